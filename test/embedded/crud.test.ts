import { type Db, MongoClient, MongoServerError } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, useTestDatabase } from '../support/mongo.js';

let tdb: TestDatabase;
let client: MongoClient;
let db: Db;

beforeAll(async () => {
  tdb = await useTestDatabase('embedded_crud');
  client = await MongoClient.connect(tdb.uri, { serverSelectionTimeoutMS: 5000 });
  db = client.db(tdb.dbName);
});

afterAll(async () => {
  await client?.close();
  await tdb?.close();
});

describe('insert and find', () => {
  it('returns inserted documents filtered, sorted, skipped, limited and projected', async () => {
    const c = db.collection('people');
    await c.insertMany([
      { name: 'a', age: 30, tags: ['x'] },
      { name: 'b', age: 20, tags: ['y'] },
      { name: 'c', age: 40, tags: ['x', 'y'] },
      { name: 'd', age: 50 },
    ]);
    const docs = await c.find({ age: { $gte: 25 } }, { projection: { _id: 0, name: 1 } }).sort({ age: -1 }).skip(1).limit(2).toArray();
    expect(docs).toEqual([{ name: 'c' }, { name: 'a' }]);
    expect(await c.countDocuments({ tags: 'x' })).toBe(2);
    expect((await c.distinct('tags')).sort()).toEqual(['x', 'y']);
  });

  it('reports per-document write errors for unordered inserts and keeps the rest', async () => {
    const c = db.collection('unordered');
    await c.insertOne({ _id: 1 as never });
    const err = await c.insertMany([{ _id: 2 }, { _id: 1 }, { _id: 3 }] as never[], { ordered: false }).catch((e) => e);
    expect(err.code).toBe(11000);
    expect(err.writeErrors).toHaveLength(1);
    expect(err.writeErrors[0].index).toBe(1);
    expect(await c.countDocuments()).toBe(3);
  });

  it('stops ordered inserts at the first error', async () => {
    const c = db.collection('ordered');
    await c.insertOne({ _id: 1 as never });
    const err = await c.insertMany([{ _id: 2 }, { _id: 1 }, { _id: 3 }] as never[]).catch((e) => e);
    expect(err.code).toBe(11000);
    expect(await c.countDocuments()).toBe(2);
  });

  it('walks a cursor across many batches with getMore', async () => {
    const c = db.collection('many');
    await c.insertMany(Array.from({ length: 2500 }, (_, i) => ({ i })));
    const seen: number[] = [];
    for await (const d of c.find({}, { batchSize: 100 }).sort({ i: 1 })) seen.push(d.i);
    expect(seen).toEqual(Array.from({ length: 2500 }, (_, i) => i));
  });
});

describe('update', () => {
  it('applies $set/$inc/$push and upserts with the filter equality fields', async () => {
    const c = db.collection('upd');
    await c.insertOne({ _id: 'k' as never, n: 1, list: [] });
    const r = await c.updateOne({ _id: 'k' as never }, { $inc: { n: 2 }, $set: { s: 'v' }, $push: { list: { $each: [1, 2] } as never } });
    expect(r.modifiedCount).toBe(1);
    expect(await c.findOne({ _id: 'k' as never })).toEqual({ _id: 'k', n: 3, s: 'v', list: [1, 2] });
    const up = await c.updateOne({ code: 'new', kind: 'z' }, { $set: { v: 1 }, $setOnInsert: { created: true } }, { upsert: true });
    expect(up.upsertedCount).toBe(1);
    expect(await c.findOne({ code: 'new' }, { projection: { _id: 0 } })).toEqual({ code: 'new', kind: 'z', v: 1, created: true });
  });

  it('accepts an upsert whose $setOnInsert restates the filter _id, as MongoDB does', async () => {
    const c = db.collection('upsert_id');
    const r = await c.updateOne({ _id: 'a1' as never }, { $setOnInsert: { _id: 'a1', at: 1 } as never }, { upsert: true });
    expect(r.upsertedCount).toBe(1);
    const again = await c.updateOne({ _id: 'a1' as never }, { $setOnInsert: { _id: 'a1', at: 2 } as never }, { upsert: true });
    expect([again.matchedCount, again.upsertedCount]).toEqual([1, 0]);
    expect(await c.findOne({ _id: 'a1' as never })).toEqual({ _id: 'a1', at: 1 });
    await expect(c.updateOne({ _id: 'a1' as never }, { $set: { _id: 'other' } as never })).rejects.toMatchObject({ code: 66 });
  });

  it('updates many documents and counts matched and modified separately', async () => {
    const c = db.collection('multi');
    await c.insertMany([{ g: 1, v: 0 }, { g: 1, v: 5 }, { g: 2, v: 0 }]);
    const r = await c.updateMany({ g: 1 }, { $set: { v: 5 } });
    expect([r.matchedCount, r.modifiedCount]).toEqual([2, 1]);
  });

  it('allows two $[identifier] paths into the same array in one update (mingo does not)', async () => {
    const c = db.collection('arrf');
    await c.insertOne({
      _id: 1 as never,
      steps: [
        { k: 'a', state: 'open' },
        { k: 'b', state: 'done' },
        { k: 'c', state: 'open' },
      ],
    });
    await c.updateOne(
      { _id: 1 as never },
      { $set: { 'steps.$[s].state': 'done', 'steps.$[s].closedBy': 'u1' } },
      { arrayFilters: [{ 's.state': 'open' }] },
    );
    const doc = await c.findOne({ _id: 1 as never });
    expect(doc?.steps).toEqual([
      { k: 'a', state: 'done', closedBy: 'u1' },
      { k: 'b', state: 'done' },
      { k: 'c', state: 'done', closedBy: 'u1' },
    ]);
  });

  it('updates the element matched by the positional $ operator', async () => {
    const c = db.collection('pos');
    await c.insertOne({ _id: 1 as never, items: [{ id: 'x', n: 0 }, { id: 'y', n: 0 }] });
    await c.updateOne({ _id: 1 as never, 'items.id': 'y' }, { $inc: { 'items.$.n': 5 } });
    expect((await c.findOne({ _id: 1 as never }))?.items).toEqual([{ id: 'x', n: 0 }, { id: 'y', n: 5 }]);
  });

  it('runs pipeline-style updates', async () => {
    const c = db.collection('pipe');
    await c.insertOne({ _id: 1 as never, a: 2, b: 3 });
    await c.updateOne({ _id: 1 as never }, [{ $set: { sum: { $add: ['$a', '$b'] } } }]);
    expect((await c.findOne({ _id: 1 as never }))?.sum).toBe(5);
  });

  it('refuses to change _id', async () => {
    const c = db.collection('immut');
    await c.insertOne({ _id: 1 as never });
    const err = await c.updateOne({ _id: 1 as never }, { $set: { _id: 2 } }).catch((e) => e);
    expect(err.code).toBe(66);
  });
});

describe('findAndModify', () => {
  it('returns the document before or after, upserts and removes', async () => {
    const c = db.collection('fam');
    const after = await c.findOneAndUpdate({ key: 'a' }, { $inc: { n: 1 } }, { upsert: true, returnDocument: 'after' });
    expect(after?.n).toBe(1);
    const before = await c.findOneAndUpdate({ key: 'a' }, { $inc: { n: 1 } }, { returnDocument: 'before', projection: { _id: 0 } });
    expect(before).toEqual({ key: 'a', n: 1 });
    await c.insertMany([{ key: 'q', p: 2 }, { key: 'q', p: 1 }]);
    const removed = await c.findOneAndDelete({ key: 'q' }, { sort: { p: 1 } });
    expect(removed?.p).toBe(1);
    expect(await c.countDocuments({ key: 'q' })).toBe(1);
    expect(await c.findOneAndUpdate({ key: 'none' }, { $set: { x: 1 } })).toBeNull();
  });

  it('gives consecutive values to concurrent $inc upserts on one counter', async () => {
    const c = db.collection('counters');
    const values = await Promise.all(
      Array.from({ length: 50 }, () =>
        c.findOneAndUpdate({ _id: 'case' as never }, { $inc: { seq: 1 } }, { upsert: true, returnDocument: 'after' }),
      ),
    );
    expect(values.map((v) => v?.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });
});

describe('delete', () => {
  it('deletes one or many', async () => {
    const c = db.collection('del');
    await c.insertMany([{ g: 1 }, { g: 1 }, { g: 1 }, { g: 2 }]);
    expect((await c.deleteOne({ g: 1 })).deletedCount).toBe(1);
    expect((await c.deleteMany({ g: 1 })).deletedCount).toBe(2);
    expect(await c.countDocuments()).toBe(1);
  });
});

describe('aggregate', () => {
  it('groups, sorts, counts, facets and looks up across collections', async () => {
    const orders = db.collection('orders');
    const units = db.collection('units');
    await units.insertMany([{ _id: 'u1' as never, name: 'Tax' }, { _id: 'u2' as never, name: 'Land' }]);
    await orders.insertMany([
      { unit: 'u1', amount: 5 },
      { unit: 'u1', amount: 7 },
      { unit: 'u2', amount: 1 },
    ]);
    const grouped = await orders
      .aggregate([
        { $match: { amount: { $gt: 0 } } },
        { $group: { _id: '$unit', total: { $sum: '$amount' }, n: { $sum: 1 } } },
        { $sort: { total: -1 } },
        { $lookup: { from: 'units', localField: '_id', foreignField: '_id', as: 'unit' } },
        { $project: { total: 1, n: 1, name: { $first: '$unit.name' } } },
      ])
      .toArray();
    expect(grouped).toEqual([
      { _id: 'u1', total: 12, n: 2, name: 'Tax' },
      { _id: 'u2', total: 1, n: 1, name: 'Land' },
    ]);
    const [facet] = await orders
      .aggregate([{ $facet: { count: [{ $count: 'n' }], big: [{ $match: { amount: { $gte: 5 } } }, { $count: 'n' }] } }])
      .toArray();
    expect(facet).toEqual({ count: [{ n: 3 }], big: [{ n: 2 }] });
  });

  it('projects top-level fields in the stored order, leading a pipeline too, and keeps facets and stored documents apart', async () => {
    const c = db.collection('shaped');
    await c.insertMany([
      { _id: 1 as never, z: 1, a: { b: [1, 2] }, m: 'x', when: new Date('2026-11-02T01:00:00Z') },
      { _id: 2 as never, a: { b: [3] }, m: 'y' },
    ]);
    const found = await c.find({}, { projection: { m: 1, a: 1 } }).sort({ _id: 1 }).toArray();
    expect(found.map((d) => Object.keys(d))).toEqual([['_id', 'a', 'm'], ['_id', 'a', 'm']]);
    expect(await c.find({ _id: 1 as never }, { projection: { when: true, _id: 0 } }).toArray()).toEqual([{ when: new Date('2026-11-02T01:00:00Z') }]);
    const [f] = await c
      .aggregate([
        { $match: { m: { $in: ['x', 'y'] } } },
        { $project: { _id: 0, a: 1, m: 1 } },
        { $facet: { read: [{ $sort: { m: -1 } }], written: [{ $set: { 'a.b': 'gone', m: 'changed' } }], again: [{ $match: {} }] } },
      ])
      .toArray();
    // The $set of one sub-pipeline is seen neither by those before it nor by those after it.
    expect(f).toEqual({
      read: [{ a: { b: [3] }, m: 'y' }, { a: { b: [1, 2] }, m: 'x' }],
      written: [{ a: { b: 'gone' }, m: 'changed' }, { a: { b: 'gone' }, m: 'changed' }],
      again: [{ a: { b: [1, 2] }, m: 'x' }, { a: { b: [3] }, m: 'y' }],
    });
    expect(await c.find({}, { projection: { a: 1 } }).sort({ _id: 1 }).toArray()).toEqual([{ _id: 1, a: { b: [1, 2] } }, { _id: 2, a: { b: [3] } }]);
    // Other projection shapes still go through the general path.
    expect(await c.find({ _id: 1 as never }, { projection: { 'a.b': 1, _id: 0 } }).toArray()).toEqual([{ a: { b: [1, 2] } }]);
  });
});

describe('errors', () => {
  it('answers unknown commands with CommandNotFound naming the command', async () => {
    const err = await db.command({ frobnicate: 1 }).catch((e) => e);
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.code).toBe(59);
    expect(err.message).toContain('frobnicate');
  });

  it('refuses unknown query operators with BadValue', async () => {
    const err = await db.collection('x').find({ a: { $frob: 1 } }).toArray().catch((e) => e);
    expect(err.code).toBe(2);
  });
});
