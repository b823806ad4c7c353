import { type Db, MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Collection } from '../../models/embedded/collection.js';
import { type TestDatabase, useTestDatabase } from '../support/mongo.js';

let tdb: TestDatabase;
let client: MongoClient;
let db: Db;

beforeAll(async () => {
  tdb = await useTestDatabase('embedded_indexes');
  client = await MongoClient.connect(tdb.uri, { serverSelectionTimeoutMS: 5000 });
  db = client.db(tdb.dbName);
});

afterAll(async () => {
  await client?.close();
  await tdb?.close();
});

const E11000 = /^E11000 duplicate key error collection: (\S+) index: (\S+) dup key: \{ .+ \}$/;

describe('unique indexes report duplicates as MongoDB does', () => {
  it('single field: code, codeName, errmsg, keyPattern, keyValue', async () => {
    const c = db.collection('users');
    await c.createIndex({ email: 1 }, { unique: true });
    await c.insertOne({ email: 'a@x.cn' });
    const err = await c.insertOne({ email: 'a@x.cn' }).catch((e) => e);
    expect(err.code).toBe(11000);
    const m = E11000.exec(err.errmsg ?? err.message);
    expect(m?.[1]).toBe(`${tdb.dbName}.users`);
    expect(m?.[2]).toBe('email_1');
    expect(err.message).toContain('dup key: { email: "a@x.cn" }');
    expect(err.keyPattern).toEqual({ email: 1 });
    expect(err.keyValue).toEqual({ email: 'a@x.cn' });
  });

  it('compound: the whole tuple must repeat', async () => {
    const c = db.collection('pairs');
    await c.createIndex({ unit: 1, n: 1 }, { unique: true, name: 'unit_n' });
    await c.insertMany([{ unit: 'a', n: 1 }, { unit: 'a', n: 2 }, { unit: 'b', n: 1 }]);
    const err = await c.insertOne({ unit: 'a', n: 2 }).catch((e) => e);
    expect(err.code).toBe(11000);
    expect(err.message).toContain('index: unit_n dup key: { unit: "a", n: 2 }');
    expect(err.keyPattern).toEqual({ unit: 1, n: 1 });
    expect(err.keyValue).toEqual({ unit: 'a', n: 2 });
  });

  it('partial: only documents matching the filter are constrained', async () => {
    const c = db.collection('partial');
    await c.createIndex({ phone: 1 }, { unique: true, partialFilterExpression: { active: true } });
    await c.insertMany([{ phone: '1', active: false }, { phone: '1', active: false }, { phone: '1', active: true }]);
    const err = await c.insertOne({ phone: '1', active: true }).catch((e) => e);
    expect(err.code).toBe(11000);
  });

  it('applies to updates and findOneAndUpdate upserts, and to building an index', async () => {
    const c = db.collection('upd_unique');
    await c.createIndex({ k: 1 }, { unique: true });
    await c.insertMany([{ k: 1 }, { k: 2 }]);
    const upd = await c.updateOne({ k: 2 }, { $set: { k: 1 } }).catch((e) => e);
    expect(upd.code).toBe(11000);
    expect(upd.keyValue).toEqual({ k: 1 });
    const fam = await c.findOneAndUpdate({ k: 3 }, { $set: { k: 1 } }, { upsert: true }).catch((e) => e);
    expect([fam.code, fam.codeName]).toEqual([11000, 'DuplicateKey']);
    const dups = db.collection('dups');
    await dups.insertMany([{ v: 1 }, { v: 1 }]);
    expect((await dups.createIndex({ v: 1 }, { unique: true }).catch((e) => e)).code).toBe(11000);
  });
});

describe('index management', () => {
  it('lists, keeps idempotent creates, refuses conflicting options and drops', async () => {
    const c = db.collection('mgmt');
    await c.createIndex({ a: 1 });
    await c.createIndex({ a: 1 });
    expect((await c.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_', 'a_1']);
    expect((await c.createIndex({ a: 1 }, { unique: true }).catch((e) => e)).code).toBe(85);
    await c.dropIndex('a_1');
    expect((await c.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_']);
    expect((await c.dropIndex('nope').catch((e) => e)).code).toBe(27);
  });

  it('answers an indexed find on a large collection from the index', async () => {
    const coll = new Collection('db', 'big');
    coll.addIndex({ key: { email: 1 }, name: 'email_1', unique: true }, true);
    coll.addIndex({ key: { at: 1 }, name: 'at_1' }, true);
    for (let i = 0; i < 20_000; i++) coll.put({ _id: i, email: `u${i}@x.cn`, at: new Date(i * 1000) });
    expect([...coll.candidates({ email: 'u123@x.cn' })].map((d) => d._id)).toEqual([123]);
    const range = [...coll.candidates({ at: { $gte: new Date(5_000_000), $lt: new Date(5_005_000) } })];
    expect(range.map((d) => d._id).sort((a, b) => Number(a) - Number(b))).toEqual([5000, 5001, 5002, 5003, 5004]);
    expect([...coll.candidates({ _id: { $in: [1, 2] } })]).toHaveLength(2);
  });
});
