// Behaviours mongoose and MongoDB tools rely on, found by running mongoose's own suite against the
// store (`npm run conformance`). Each case passes against a real MongoDB too (MONGODB_URI).
import { type Db, MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, useTestDatabase } from '../support/mongo.js';

let tdb: TestDatabase;
let client: MongoClient;
let db: Db;

beforeAll(async () => {
  tdb = await useTestDatabase('embedded_conformance');
  client = await MongoClient.connect(tdb.uri, { serverSelectionTimeoutMS: 5000 });
  db = client.db(tdb.dbName);
});

afterAll(async () => {
  await client?.close();
  await tdb?.close();
});

describe('serverStatus', () => {
  it('reports the version, uptime and open connections monitoring tools read', async () => {
    const status = await db.admin().serverStatus();
    expect(status.ok).toBe(1);
    expect(status.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(status.process).toMatch(/mongo/);
    expect(status.uptime).toBeGreaterThanOrEqual(0);
    expect(status.localTime).toBeInstanceOf(Date);
    expect(status.connections.current).toBeGreaterThanOrEqual(1);
    expect(status.connections.totalCreated).toBeGreaterThanOrEqual(status.connections.current);
  });
});

describe('geo, text and hashed indexes', () => {
  it('are created, listed and dropped, and finds on those fields still answer', async () => {
    const c = db.collection('places');
    await c.insertMany([
      { name: 'a', loc: { type: 'Point', coordinates: [1, 2] }, grid: [1, 2], t: 'x' },
      { name: 'b', loc: { type: 'Point', coordinates: [3, 4] }, grid: [3, 4], t: 'y' },
    ]);
    await c.createIndex({ loc: '2dsphere' });
    await c.createIndex({ grid: '2d' });
    await c.createIndex({ name: 'text' });
    await c.createIndex({ t: 'hashed' });
    const names = (await c.listIndexes().toArray()).map((i) => i.name).sort();
    expect(names).toEqual(['_id_', 'grid_2d', 'loc_2dsphere', 'name_text', 't_hashed']);
    expect(await c.find({ t: 'y' }).project({ _id: 0, name: 1 }).toArray()).toEqual([{ name: 'b' }]);
    await c.dropIndex('t_hashed');
    expect(await c.indexExists('t_hashed')).toBe(false);
  });

  it('refuses a unique hashed index as mongod does', async () => {
    const err = await db.collection('places').createIndex({ name: 'hashed' }, { unique: true }).catch((e) => e);
    expect(err.code).toBe(67);
  });
});

describe('explain of aggregate', () => {
  it('reports the plan of the leading $match and lists the stages after it', async () => {
    const c = db.collection('salaries');
    await c.insertMany([{ sal: 10 }, { sal: 20 }, { sal: 30 }]);
    await c.createIndex({ sal: 1 });
    const matchOnly = await c.aggregate([{ $match: { sal: { $lt: 25 } } }]).explain('queryPlanner');
    const plan = matchOnly.queryPlanner ?? matchOnly.stages?.[0]?.$cursor?.queryPlanner;
    expect(JSON.stringify(plan.winningPlan)).toContain('sal_1');
    const grouped = await c.aggregate([{ $match: { sal: { $lt: 25 } } }, { $group: { _id: null, n: { $sum: 1 } } }]).explain('queryPlanner');
    // mongod 7 may run the $group inside the query layer (a GROUP stage) or after a $cursor stage.
    const text = JSON.stringify(grouped);
    expect(text).toContain('sal_1');
    expect(text.toLowerCase()).toContain('group');
  });
});

describe('projection of arrays', () => {
  it('$elemMatch with operators on scalars, positional $ from the filter, $slice beside an exclusion', async () => {
    const c = db.collection('proj');
    await c.insertOne({ _id: 1 as never, name: 'n', ids: [1, 5, 9], kids: [{ k: 1, v: 'a' }, { k: 2, v: 'b' }], big: 'x' });
    const elem = await c.findOne({ _id: 1 as never }, { projection: { ids: { $elemMatch: { $in: [5, 9] } } } });
    expect(elem).toEqual({ _id: 1, ids: [5] });
    const none = await c.findOne({ _id: 1 as never }, { projection: { name: 1, ids: { $elemMatch: { $gt: 100 } } } });
    expect(none).toEqual({ _id: 1, name: 'n' });
    const pos = await c.findOne({ 'kids.k': 2 }, { projection: { 'kids.$': 1 } });
    expect(pos).toEqual({ _id: 1, kids: [{ k: 2, v: 'b' }] });
    const sliced = await c.findOne({ _id: 1 as never }, { projection: { big: 0, ids: { $slice: -2 } } });
    expect(sliced).toEqual({ _id: 1, name: 'n', ids: [5, 9], kids: [{ k: 1, v: 'a' }, { k: 2, v: 'b' }] });
    const skipTake = await c.findOne({ _id: 1 as never }, { projection: { name: 1, ids: { $slice: [1, 1] } } });
    expect(skipTake).toEqual({ _id: 1, name: 'n', ids: [5] });
    const modified = await c.findOneAndUpdate({ 'kids.k': 1 }, { $set: { big: 'y' } }, { projection: { 'kids.$': 1 }, returnDocument: 'after' });
    expect(modified).toEqual({ _id: 1, kids: [{ k: 1, v: 'a' }] });
  });
});
