// MongoDB's size limits, answered as mongod answers them and before anything changes: a document
// over 16 MiB, a BSON object over 16 MiB + 16 KiB in a command, an update that would grow a
// document past 16 MiB, and a reply that would exceed the limit. Runs against MONGODB_URI too.
import { type Collection, MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, useTestDatabase } from '../support/mongo.js';

const MiB = 1024 * 1024;
let tdb: TestDatabase;
let client: MongoClient;
let coll: Collection;

beforeAll(async () => {
  tdb = await useTestDatabase('embedded_limits');
  client = await MongoClient.connect(tdb.uri, { serverSelectionTimeoutMS: 5000 });
  coll = client.db(tdb.dbName).collection('big');
});
afterAll(async () => {
  await client?.close();
  await tdb?.close();
});

describe('size limits', () => {
  it('refuses a document just over 16 MiB with "object to insert too large", keeping nothing', async () => {
    const err = await coll.insertOne({ _id: 'a' as never, s: 'x'.repeat(16 * MiB) }).catch((e) => e);
    expect(err.code).toBe(2);
    expect(err.message).toMatch(/^object to insert too large\. size in bytes: \d+, max size: 16777216$/);
    expect(await coll.countDocuments({ _id: 'a' as never })).toBe(0);
  });

  it('refuses a BSON object over 16 MiB + 16 KiB with BSONObjectTooLarge (10334)', async () => {
    const err = await coll.insertOne({ _id: 'b' as never, s: 'x'.repeat(16.5 * MiB) }).catch((e) => e);
    expect(err.code).toBe(10334);
    expect(err.codeName).toBe('BSONObjectTooLarge');
    expect(err.message).toMatch(/^BSONObj size: \d+ \(0x[0-9A-F]+\) is invalid\. Size must be between 0 and 16793600\(16MB\) First element: (insert: "big"|_id: "b")/); // the command, or the document when sent as a sequence
    expect(await coll.countDocuments({ _id: 'b' as never })).toBe(0);
  });

  it('refuses an update that would grow a document past 16 MiB and leaves the document as it was', async () => {
    await coll.insertOne({ _id: 'c' as never, a: 'a'.repeat(9 * MiB) });
    const err = await coll.updateOne({ _id: 'c' as never }, { $set: { b: 'b'.repeat(8 * MiB) } }).catch((e) => e);
    expect(err.code).toBe(17419);
    expect(err.message).toMatch(/Resulting document after update is larger than 16777216/);
    const back = await coll.findOne({ _id: 'c' as never });
    expect(back?.a).toHaveLength(9 * MiB);
    expect(back?.b).toBeUndefined();
    await coll.deleteOne({ _id: 'c' as never });
  });

  it('answers an aggregate whose result document would pass the limit with an error, and keeps serving', async () => {
    await coll.insertMany([
      { _id: 'd1' as never, g: 1, s: 'd'.repeat(9 * MiB) },
      { _id: 'd2' as never, g: 1, s: 'e'.repeat(9 * MiB) },
    ]);
    const err = await coll.aggregate([{ $match: { g: 1 } }, { $group: { _id: '$g', all: { $push: '$s' } } }]).toArray().catch((e) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err.code).toBe(10334);
    expect(await coll.countDocuments({ g: 1 })).toBe(2);
  });
});
