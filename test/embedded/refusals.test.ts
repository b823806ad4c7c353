import { type Db, MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, useTestDatabase } from '../support/mongo.js';

// The store answers options it cannot honour with an error naming the option, never with a result
// that silently ignores them. A real MongoDB supports most of these, so those cases run embedded only.
const realMongo = process.env.MONGODB_URI !== undefined;

let tdb: TestDatabase;
let client: MongoClient;
let db: Db;

beforeAll(async () => {
  tdb = await useTestDatabase('embedded_refusals');
  client = await MongoClient.connect(tdb.uri, { serverSelectionTimeoutMS: 5000 });
  db = client.db(tdb.dbName);
  const c = db.collection('cases');
  await c.createIndex({ status: 1 });
  await c.insertMany([
    { n: 1, status: 'open', name: 'a' },
    { n: 2, status: 'closed', name: 'B' },
  ]);
});

afterAll(async () => {
  await client?.close();
  await tdb?.close();
});

const failure = (p: Promise<unknown>) => p.then(() => expect.fail('the command succeeded'), (e: { code?: number; message: string }) => e);

describe('hints', () => {
  it('a hint naming no index is refused (as MongoDB does), and names the hint', async () => {
    const c = db.collection('cases');
    const find = await failure(c.find({ status: 'open' }).hint('nope_1').toArray());
    expect(find.code).toBe(2);
    expect(find.message).toMatch(/hint/);
    const byPattern = await failure(c.find({}).hint({ missing: 1 }).toArray());
    expect(byPattern.message).toMatch(/hint/);
    const update = await failure(c.updateOne({ status: 'open' }, { $set: { x: 1 } }, { hint: 'nope_1' }));
    expect(update.message).toMatch(/hint/);
    expect(await c.countDocuments({ x: 1 })).toBe(0);
  });

  it('a hint naming an existing index or $natural gives the same answer as no hint', async () => {
    const c = db.collection('cases');
    expect((await c.find({ status: 'open' }).hint('status_1').toArray()).map((d) => d.n)).toEqual([1]);
    expect((await c.find({ status: 'open' }).hint({ status: 1 }).toArray()).map((d) => d.n)).toEqual([1]);
    expect((await c.find({ status: 'closed' }).hint({ $natural: 1 }).toArray()).map((d) => d.n)).toEqual([2]);
  });
});

describe.skipIf(realMongo)('options the embedded store does not support', () => {
  it('a collation with a field mongod does not know', async () => {
    const err = await failure(db.collection('cases').find({ name: 'b' }, { collation: { locale: 'en', strenght: 2 } as never }).toArray());
    expect(err.code).toBe(2);
    expect(err.message).toMatch(/collation/);
  });

  it('$where, which would run client JavaScript in the store process', async () => {
    const err = await failure(db.collection('cases').find({ $where: 'this.n > 0' }).toArray());
    expect(err.code).toBe(2);
    expect(err.message).toMatch(/\$where is not supported.*JavaScript/);
  });

  it('aggregate writing with $merge', async () => {
    const merge = await failure(db.collection('cases').aggregate([{ $merge: { into: 'copy' } }]).toArray());
    expect(merge.message).toMatch(/\$merge/);
    expect(await db.listCollections({ name: 'copy' }).toArray()).toEqual([]);
  });

  it('update, delete and find with let', async () => {
    const c = db.collection('cases');
    const update = await failure(c.updateOne({ $expr: { $eq: ['$n', '$$which'] } }, { $set: { hit: true } }, { let: { which: 1 } }));
    expect(update.message).toMatch(/'let'/);
    const del = await failure(c.deleteOne({ $expr: { $eq: ['$n', '$$which'] } }, { let: { which: 1 } }));
    expect(del.message).toMatch(/'let'/);
    const find = await failure(c.find({ $expr: { $eq: ['$n', '$$which'] } }, { let: { which: 1 } }).toArray());
    expect(find.message).toMatch(/'let'/);
    expect(await c.countDocuments({ hit: true })).toBe(0);
  });

  it('tailable cursors, which would wait for documents that never come', async () => {
    const err = await failure(db.collection('cases').find({}, { tailable: true, awaitData: true }).toArray());
    expect(err.message).toMatch(/tailable|awaitData/);
  });

  it('explain of anything but find and aggregate, and unknown options of a known command', async () => {
    const explain = await failure(db.command({ explain: { distinct: 'cases', key: 'n' } }));
    expect(explain.message).toMatch(/explain/);
    const unknown = await failure(db.command({ find: 'cases', frobnicate: true }));
    expect(unknown.message).toMatch(/'frobnicate' of command 'find'/);
  });
});
