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

describe('geo queries', () => {
  it('$near on a 2d index: planar distance, nearest first, $maxDistance in the pairs own units', async () => {
    const c = db.collection('geo2d');
    await c.createIndex({ loc: '2d' });
    await c.insertMany([
      { name: 'far', loc: [40, 90] },
      { name: 'near', loc: [10, 20] },
      { name: 'none' },
    ]);
    const all = await c.find({ loc: { $near: [30, 40] } }).toArray();
    expect(all.map((d) => d.name)).toEqual(['near', 'far']);
    const close = await c.find({ loc: { $near: [30, 40], $maxDistance: 30 } }).toArray();
    expect(close.map((d) => d.name)).toEqual(['near']);
  });

  it('$near without a geo index is refused, as mongod cannot plan it', async () => {
    const c = db.collection('geonoindex');
    await c.insertOne({ loc: [1, 1] });
    const err = await c.find({ loc: { $near: [0, 0] } }).toArray().catch((e) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toMatch(/index/);
  });

  it('$nearSphere and $near $geometry on a 2dsphere index: radians for pairs, metres for GeoJSON, $minDistance', async () => {
    const c = db.collection('geosphere');
    await c.createIndex({ loc: '2dsphere' });
    const point = (lon: number, lat: number) => ({ type: 'Point', coordinates: [lon, lat] });
    await c.insertMany([
      { name: 'San Mateo', loc: point(-122.33, 37.57) },
      { name: 'Squaw Valley', loc: point(-120.24, 39.21) },
      { name: 'Mammoth Lakes', loc: point(-118.9, 37.61) },
    ]);
    const ring = await c
      .find({ loc: { $nearSphere: [-122.33, 37.57], $minDistance: 1000 / 6378100, $maxDistance: 280000 / 6378100 } })
      .toArray();
    expect(ring.map((d) => d.name)).toEqual(['Squaw Valley']);
    const metres = await c.find({ loc: { $near: { $geometry: point(-122.33, 37.57), $maxDistance: 1000 } } }).toArray();
    expect(metres.map((d) => d.name)).toEqual(['San Mateo']);
  });

  it('$geoWithin $box, $center, $centerSphere, $polygon and $geometry; $within is its old name', async () => {
    const c = db.collection('geowithin');
    await c.insertMany([
      { name: 'a', loc: [10, 20] },
      { name: 'b', loc: { long: 40, lat: 80 } },
      { name: 'c', loc: { type: 'Point', coordinates: [0, 0] } },
    ]);
    const names = async (q: object) => (await c.find({ loc: q }).sort({ name: 1 }).toArray()).map((d) => d.name);
    expect(await names({ $geoWithin: { $box: [[8, 1], [50, 100]] } })).toEqual(['a', 'b']);
    expect(await names({ $within: { $center: [[11, 20], 1.5] } })).toEqual(['a']);
    expect(await names({ $geoWithin: { $centerSphere: [[11, 20], 0.2] } })).toEqual(['a']);
    expect(await names({ $geoWithin: { $polygon: [[8, 1], [8, 100], [50, 100], [50, 1]] } })).toEqual(['a', 'b']);
    const square = { type: 'Polygon', coordinates: [[[-5, -5], [-5, 5], [5, 5], [5, -5], [-5, -5]]] };
    expect(await names({ $geoWithin: { $geometry: square } })).toEqual(['c']);
  });

  it('$geoIntersects follows great circles: a line across the antimeridian meets a line on it', async () => {
    const c = db.collection('geointersects');
    await c.insertMany([
      { name: 'across', line: { type: 'LineString', coordinates: [[-178, 10], [178, 10]] } },
      { name: 'elsewhere', line: { type: 'LineString', coordinates: [[0, 10], [10, 10]] } },
      { name: 'polygons', line: [{ type: 'Polygon', coordinates: [[[28.7, 41], [29.2, 40.9], [29.1, 41.3], [28.7, 41]]] }] },
    ]);
    const meridian = { type: 'LineString', coordinates: [[180, 11], [180, 9]] };
    const hit = await c.find({ line: { $geoIntersects: { $geometry: meridian } } }).toArray();
    expect(hit.map((d) => d.name)).toEqual(['across']);
    const box = { type: 'Polygon', coordinates: [[[26, 36], [45, 36], [45, 42], [26, 42], [26, 36]]] };
    const inBox = await c.find({ line: { $geoIntersects: { $geometry: box } } }).toArray();
    expect(inBox.map((d) => d.name)).toEqual(['polygons']);
  });
});

describe('collection options', () => {
  it('a capped collection keeps the newest documents within max and lists itself as capped', async () => {
    const c = await db.createCollection('cappedlog', { capped: true, size: 4096, max: 3 });
    for (let i = 1; i <= 5; i++) await c.insertOne({ i });
    expect((await c.find().toArray()).map((d) => d.i)).toEqual([3, 4, 5]);
    expect(await c.isCapped()).toBe(true);
    const err = await db.createCollection('cappednosize', { capped: true } as never).catch((e) => e);
    expect(err.code).toBe(72);
  });

  it('a capped collection drops its oldest documents once over its size in bytes', async () => {
    const c = await db.createCollection('cappedbytes', { capped: true, size: 4096 });
    for (let i = 0; i < 20; i++) await c.insertOne({ i, pad: 'x'.repeat(500) });
    const kept = (await c.find().toArray()).map((d) => d.i);
    expect(kept.length).toBeLessThan(10);
    expect(kept[kept.length - 1]).toBe(19);
  });

  it('a timeseries collection is listed with its type and options', async () => {
    await db.createCollection('readings', { timeseries: { timeField: 't', metaField: 'm' }, expireAfterSeconds: 5 });
    const [info] = await db.listCollections({ name: 'readings' }).toArray();
    expect(info.type).toBe('timeseries');
    const { options } = info as unknown as { options: { timeseries: { timeField: string }; expireAfterSeconds: number } };
    expect(options.timeseries.timeField).toBe('t');
    expect(options.expireAfterSeconds).toBe(5);
  });

  it('collMod hides and unhides an index', async () => {
    const c = db.collection('hideme');
    await c.createIndex({ a: 1 });
    const r = await db.command({ collMod: 'hideme', index: { name: 'a_1', hidden: true } });
    expect(r).toMatchObject({ hidden_old: false, hidden_new: true });
    const spec = (await c.listIndexes().toArray()).find((i) => i.name === 'a_1');
    expect(spec?.hidden).toBe(true);
  });
});

describe('validators', () => {
  it('$jsonSchema with bsonType, required and enum refuses a bad insert with code 121; bypassDocumentValidation lets it in', async () => {
    const c = await db.createCollection('validated', {
      validator: {
        $jsonSchema: {
          required: ['name', '_id'],
          properties: {
            _id: { bsonType: 'objectId' },
            name: { bsonType: 'string' },
            age: { bsonType: ['number', 'null'], minimum: 0 },
            source: { bsonType: ['string', 'null'], enum: ['document', 'self-reported', null] },
            tags: { bsonType: 'array', items: { bsonType: 'string' } },
          },
        },
      },
    });
    await c.insertOne({ name: 'Taco', age: null, source: null, tags: ['a'] });
    const bad = [{ name: 'x', source: 'rumour' }, {}, { name: 'x', age: -1 }, { name: 'x', tags: [1] }];
    for (const doc of bad) {
      const err = await c.insertOne(doc).catch((e) => e);
      expect(err.code).toBe(121);
      expect(err.message).toMatch(/Document failed validation/);
    }
    const upd = await c.updateOne({ name: 'Taco' }, { $set: { age: 'old' } }).catch((e) => e);
    expect(upd.code).toBe(121);
    await c.insertOne({ name: 'x', source: 'rumour' }, { bypassDocumentValidation: true });
    expect(await c.countDocuments()).toBe(2);
  });

  it('validationLevel moderate lets updates of documents that already failed through; collMod changes the rules', async () => {
    const c = await db.createCollection('moderate');
    await c.insertOne({ _id: 1 as never, n: 'not a number' });
    await db.command({ collMod: 'moderate', validator: { n: { $type: 'number' } }, validationLevel: 'moderate' });
    await c.updateOne({ _id: 1 as never }, { $set: { other: 1 } });
    const err = await c.insertOne({ n: 'text' }).catch((e) => e);
    expect(err.code).toBe(121);
  });
});

describe('collation', () => {
  it('strength 1 and 2 match strings case-insensitively in find, count, update and delete; sorts follow the locale', async () => {
    const c = db.collection('collated');
    await c.insertMany([{ name: 'a' }, { name: 'A' }, { name: 'b' }, { name: 'é' }]);
    const ci = { locale: 'en_US', strength: 1 };
    expect(await c.countDocuments({ name: 'a' })).toBe(1);
    expect(await c.find({ name: 'a' }, { collation: ci }).toArray()).toHaveLength(2);
    expect(await c.find({ name: 'e' }, { collation: ci }).toArray()).toHaveLength(1);
    expect(await c.find({ name: 'e' }, { collation: { locale: 'en', strength: 2 } }).toArray()).toHaveLength(0);
    expect(await c.countDocuments({ name: { $in: ['B'] } }, { collation: ci })).toBe(1);
    const sorted = await c.find({}, { collation: { locale: 'en' } }).sort({ name: 1 }).toArray();
    expect(sorted.map((d) => d.name)).toEqual(['a', 'A', 'b', 'é']);
    const agg = await c.aggregate([{ $sort: { name: -1 } }], { collation: { locale: 'en_US', strength: 1 } }).toArray();
    expect(agg[0].name).toBe('é');
    await c.updateMany({ name: 'A' }, { $set: { hit: true } }, { collation: ci });
    expect(await c.countDocuments({ hit: true })).toBe(2);
    await c.deleteMany({ name: 'B' }, { collation: ci });
    expect(await c.countDocuments({ name: 'b' })).toBe(0);
  });

  it("a collection's default collation applies to its queries and indexes; a unique index folds case", async () => {
    const c = await db.createCollection('users', { collation: { locale: 'en', strength: 2 } });
    await c.createIndex({ username: 1 }, { unique: true });
    const index = (await c.listIndexes().toArray()).find((i) => i.name === 'username_1');
    expect(index?.collation).toMatchObject({ locale: 'en', strength: 2 });
    await c.insertOne({ username: 'Bob' });
    const dup = await c.insertOne({ username: 'bob' }).catch((e) => e);
    expect(dup.code).toBe(11000);
    expect(await c.findOne({ username: 'BOB' })).toMatchObject({ username: 'Bob' });
    const [info] = await db.listCollections({ name: 'users' }).toArray();
    expect((info as unknown as { options: { collation: { strength: number } } }).options.collation.strength).toBe(2);
  });
});
