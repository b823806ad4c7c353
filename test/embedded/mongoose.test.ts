import mongoose, { type Connection, Schema } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, useTestDatabase } from '../support/mongo.js';

let tdb: TestDatabase;
let conn: Connection;

const unitSchema = new Schema({ code: { type: String, required: true, unique: true }, name: String });
const caseSchema = new Schema(
  {
    number: { type: Number, required: true },
    phone: { type: String, match: /^1\d{10}$/ },
    unit: { type: Schema.Types.ObjectId, ref: 'Unit' },
    status: { type: String, enum: ['open', 'closed'], default: 'open' },
    notes: [{ by: String, text: String, at: Date }],
    touched: { type: Number, default: 0 },
  },
  { timestamps: true },
);
caseSchema.index({ unit: 1, number: 1 }, { unique: true });
caseSchema.pre('save', function () {
  this.touched = (this.touched ?? 0) + 1;
});

beforeAll(async () => {
  tdb = await useTestDatabase('embedded_mongoose');
  conn = await mongoose.createConnection(tdb.uri, { dbName: tdb.dbName, serverSelectionTimeoutMS: 5000 }).asPromise();
});

afterAll(async () => {
  await conn?.close();
  await tdb?.close();
});

describe('mongoose over the store', () => {
  it('builds indexes with syncIndexes and reports duplicate keys as E11000', async () => {
    const Unit = conn.model('Unit', unitSchema);
    await Unit.syncIndexes();
    const names = (await Unit.listIndexes()).map((i) => i.name).sort();
    expect(names).toEqual(['_id_', 'code_1']);
    await Unit.create({ code: 'tax', name: 'Tax bureau' });
    const err = await Unit.create({ code: 'tax', name: 'again' }).catch((e) => e);
    expect(err.code).toBe(11000);
    expect(err.keyValue).toEqual({ code: 'tax' });
    expect(err.keyPattern).toEqual({ code: 1 });
  });

  it('validates, runs middleware, populates and updates with arrayFilters', async () => {
    const Unit = conn.model('Unit', unitSchema);
    const Case = conn.model('Case', caseSchema);
    await Case.syncIndexes();
    const invalid = await Case.create({ number: 1, phone: '123' }).catch((e) => e);
    expect(invalid).toBeInstanceOf(mongoose.Error.ValidationError);
    const unit = await Unit.findOne({ code: 'tax' }).orFail();
    const c = await Case.create({ number: 1, phone: '13800138000', unit: unit._id, notes: [{ by: 'a', text: 'x' }, { by: 'b', text: 'y' }] });
    expect(c.touched).toBe(1);
    expect(c.createdAt).toBeInstanceOf(Date);
    const dup = await Case.create({ number: 1, unit: unit._id }).catch((e) => e);
    expect(dup.code).toBe(11000);
    await Case.updateOne({ _id: c._id }, { $set: { 'notes.$[n].text': 'edited', 'notes.$[n].at': new Date(0) } }, { arrayFilters: [{ 'n.by': 'b' }] });
    const populated = await Case.findById(c._id).populate('unit').lean().orFail();
    expect((populated.unit as unknown as { name: string }).name).toBe('Tax bureau');
    expect(populated.notes.map((n) => n.text)).toEqual(['x', 'edited']);
    const closed = await Case.findOneAndUpdate({ _id: c._id, status: 'open' }, { $set: { status: 'closed' } }, { returnDocument: 'after' }).lean();
    expect(closed?.status).toBe('closed');
    expect(await Case.countDocuments({ status: 'closed' })).toBe(1);
    const agg = await Case.aggregate([{ $match: { status: 'closed' } }, { $group: { _id: '$unit', n: { $sum: 1 } } }]);
    expect(agg).toEqual([{ _id: unit._id, n: 1 }]);
  });

  it('pages with sort, skip and limit', async () => {
    const Item = conn.model('Item', new Schema({ i: Number }));
    await Item.insertMany(Array.from({ length: 30 }, (_, i) => ({ i })));
    const page = await Item.find({}).sort({ i: -1 }).skip(10).limit(5).lean();
    expect(page.map((p) => p.i)).toEqual([19, 18, 17, 16, 15]);
  });
});
