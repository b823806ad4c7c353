// Behaviours mongoose and MongoDB tools rely on, found by running mongoose's own suite against the
// store (`npm run conformance`). Each case passes against a real MongoDB too (MONGODB_URI).
import { Binary, type Db, MongoClient, ObjectId } from 'mongodb';
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

describe('updates mongoose relies on', () => {
  it('two paths under one positional $ (timestamps on subdocument arrays) update the matched element', async () => {
    const c = db.collection('positional');
    await c.insertOne({ _id: 1 as never, kids: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] });
    const at = new Date(1_700_000_000_000);
    await c.updateOne({ 'kids.name': 'b' }, { $set: { 'kids.$.name': 'Luke', 'kids.$.updatedAt': at } });
    await c.updateOne({ kids: { $elemMatch: { name: 'c' } } }, { $set: { 'kids.$.x': 1, 'kids.$.y': 2 } });
    expect((await c.findOne({ _id: 1 as never }))?.kids).toEqual([{ name: 'a' }, { name: 'Luke', updatedAt: at }, { name: 'c', x: 1, y: 2 }]);
    const miss = await c.updateOne({ _id: 1 as never }, { $set: { 'kids.$.name': 'z' } }).catch((e) => e);
    expect(miss.code).toBe(2);
  });

  it('$pull with a query condition: $or of subdocument fields, operators on values', async () => {
    const c = db.collection('pulls');
    await c.insertOne({ _id: 1 as never, members: [{ name: 'Axl', role: 'L' }, { name: 'Slash', role: 'G' }, { name: 'Izzy', role: 'G' }], n: [1, 5, 9] });
    await c.updateOne({ _id: 1 as never }, { $pull: { members: { $or: [{ name: 'Slash', role: 'G' }] }, n: { $gte: 5 } } as never });
    const doc = await c.findOne({ _id: 1 as never });
    expect(doc?.members.map((m: { name: string }) => m.name)).toEqual(['Axl', 'Izzy']);
    expect(doc?.n).toEqual([1]);
  });

  it('field names starting with $ are set where mongod allows them', async () => {
    const c = db.collection('dollars');
    await c.updateOne({ _id: 1 as never }, { $set: { $myKey: 'v', nested: { $each: 1 } } }, { upsert: true });
    await c.updateOne({ _id: 1 as never }, { $set: { 'nested.$each': 2 } });
    expect(await c.findOne({ _id: 1 as never })).toEqual({ _id: 1, $myKey: 'v', nested: { $each: 2 } });
  });

  it('a path through a scalar or a field of an array is refused (PathNotViable)', async () => {
    const c = db.collection('viable');
    await c.insertOne({ _id: 1 as never, a: 5, list: [{ b: 1 }] });
    expect((await c.updateOne({ _id: 1 as never }, { $set: { 'a.b': 1 } }).catch((e) => e)).code).toBe(28);
    expect((await c.updateOne({ _id: 1 as never }, { $set: { 'list.b': 1 } }).catch((e) => e)).code).toBe(28);
    expect(await c.findOne({ _id: 1 as never })).toEqual({ _id: 1, a: 5, list: [{ b: 1 }] });
  });

  it('$push, $addToSet and $pop on a field that is not an array are refused; an unordered batch runs the rest', async () => {
    const c = db.collection('notarray');
    await c.insertOne({ _id: 1 as never, num: 42 });
    expect((await c.updateOne({ _id: 1 as never }, { $push: { num: 1 } } as never).catch((e) => e)).code).toBe(2);
    expect((await c.updateOne({ _id: 1 as never }, { $addToSet: { num: 1 } } as never).catch((e) => e)).code).toBe(2);
    expect((await c.updateOne({ _id: 1 as never }, { $pop: { num: 1 } } as never).catch((e) => e)).code).toBe(14);
    const err = await c
      .bulkWrite([{ updateOne: { filter: {}, update: { $push: { num: 42 } } as never } }, { updateOne: { filter: {}, update: { $inc: { num: 57 } } } }], { ordered: false })
      .catch((e) => e);
    expect(err.writeErrors ?? err.result?.getWriteErrors?.()).toHaveLength(1);
    expect((await c.findOne({ _id: 1 as never }))?.num).toBe(99);
  });
});

describe('fields named __proto__', () => {
  it('are stored as own fields by $set and $rename, and no prototype changes', async () => {
    const c = db.collection('protos');
    await c.insertOne({ _id: 1 as never, path1: {}, hello: 'world' });
    const after = await c.findOneAndUpdate({ _id: 1 as never }, { $set: { path1: JSON.parse('{"__proto__":"abcd"}') } }, { returnDocument: 'after' });
    expect(Object.hasOwn(after?.path1, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(after?.path1, '__proto__')?.value).toBe('abcd');
    await c.updateOne({ _id: 1 as never }, { $rename: { hello: '__proto__.polluted' } });
    const doc = await c.findOne({ _id: 1 as never });
    expect(Object.hasOwn(doc!, '__proto__')).toBe(true);
    expect(Object.hasOwn(doc!, 'hello')).toBe(false);
    await c.updateOne({ _id: 1 as never }, { $set: { again: 1 } });
    await c.updateOne({ _id: 1 as never }, { $rename: { again: 'constructor.polluted' } });
    expect((await c.findOne({ _id: 1 as never }))?.constructor).toEqual({ polluted: 1 });
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('$rename moves a field, creates the target path and refuses renaming into itself', async () => {
    const c = db.collection('renames');
    await c.insertOne({ _id: 1 as never, a: { b: 1 }, keep: 2 });
    await c.updateOne({ _id: 1 as never }, { $rename: { 'a.b': 'x.y', missing: 'z' } });
    expect(await c.findOne({ _id: 1 as never })).toEqual({ _id: 1, a: {}, keep: 2, x: { y: 1 } });
    expect((await c.updateOne({ _id: 1 as never }, { $rename: { keep: 'keep' } }).catch((e) => e)).code).toBe(2);
  });
});

describe('BSON types', () => {
  it('$type by alias and number tells int, long, double, objectId and binData apart', async () => {
    const c = db.collection('types');
    await c.insertMany([
      { k: 'int', v: 42 },
      { k: 'double', v: 4.5 },
      { k: 'long', v: 9223372036854775807n },
      { k: 'oid', v: new ObjectId() },
      { k: 'bin', v: new Binary(Buffer.from('hi'), 4) },
      { k: 'arr', v: [1, 'x'] },
    ]);
    const kinds = async (t: unknown) => (await c.find({ v: { $type: t as never } }).sort({ k: 1 }).toArray()).map((d) => d.k);
    expect(await kinds('int')).toEqual(['arr', 'int']);
    expect(await kinds('double')).toEqual(['double']);
    expect(await kinds(1)).toEqual(['double']);
    expect(await kinds('long')).toEqual(['long']);
    expect(await kinds(18)).toEqual(['long']);
    expect(await kinds('objectId')).toEqual(['oid']);
    expect(await kinds(5)).toEqual(['bin']);
    expect(await kinds('number')).toEqual(['arr', 'double', 'int', 'long']);
    expect(await kinds(['string', 'binData'])).toEqual(['arr', 'bin']);
  });

  it('a long stays a long: read back as int64 and equal to the same number', async () => {
    const c = db.collection('longs');
    await c.insertOne({ _id: 1 as never, small: 37n, big: 9223372036854775807n });
    const asBig = await c.findOne({ _id: 1 as never }, { useBigInt64: true });
    expect(typeof asBig?.small).toBe('bigint');
    expect(asBig?.big).toBe(9223372036854775807n);
    expect(await c.countDocuments({ small: 37 })).toBe(1);
    expect(await c.countDocuments({ small: { $gt: 36n, $lt: 38 } })).toBe(1);
    expect(await c.countDocuments({ big: 9223372036854775807n })).toBe(1);
  });

  it('binData keeps its subtype, compares by length then subtype then bytes, and equality needs the same subtype', async () => {
    const c = db.collection('bins');
    await c.insertMany([
      { n: 'uber', b: new Binary(Buffer.from('über')) },
      { n: 'long', b: new Binary(Buffer.from('buffer shtuffs are neat')) },
      { n: 'hello', b: new Binary(Buffer.from('hello world')) },
      { n: 'uuid', b: new Binary(Buffer.from('hello world'), 4) },
    ]);
    const names = async (q: object) => (await c.find({ b: q }).sort({ n: 1 }).toArray()).map((d) => d.n);
    expect(await names({ $gt: new Binary(Buffer.from('über')) })).toEqual(['hello', 'long', 'uuid']);
    expect(await names({ $lt: new Binary(Buffer.from('hello world'), 4) })).toEqual(['hello', 'uber']);
    expect(await names({ $eq: new Binary(Buffer.from('hello world')) })).toEqual(['hello']);
    expect(await names({ $in: [new Binary(Buffer.from('hello world'), 4)] })).toEqual(['uuid']);
    expect((await c.findOne({ n: 'uuid' }))?.b.sub_type).toBe(4);
    await c.updateOne({ n: 'uuid' }, { $set: { b: new Binary(Buffer.from('hello world'), 0) } });
    expect((await c.findOne({ n: 'uuid' }))?.b.sub_type).toBe(0);
  });

  it('$bitsAllSet, $bitsAnySet, $bitsAllClear, $bitsAnyClear on binData (little-endian bits) and on numbers', async () => {
    const c = db.collection('bits');
    const uuid = Buffer.alloc(16);
    uuid[0] = 0xff;
    await c.insertMany([{ k: 'bin', v: new Binary(uuid, 4) }, { k: 'num', v: 0b1010 }]);
    const hit = async (q: object) => (await c.find({ v: q }).sort({ k: 1 }).toArray()).map((d) => d.k);
    expect(await hit({ $bitsAllSet: [0, 4] })).toEqual(['bin']);
    expect(await hit({ $bitsAllSet: 2 ** 15 })).toEqual([]);
    expect(await hit({ $bitsAnySet: 3 })).toEqual(['bin', 'num']);
    expect(await hit({ $bitsAnySet: [8] })).toEqual([]);
    expect(await hit({ $bitsAnyClear: [0, 32] })).toEqual(['bin', 'num']);
    expect(await hit({ $bitsAllClear: [16, 17, 18] })).toEqual(['bin', 'num']);
    expect(await hit({ $bitsAllSet: [1, 3] })).toEqual(['bin', 'num']);
    expect(await hit({ $bitsAllClear: 3 })).toEqual([]);
  });

  it('$all on a field that is not an array matches its single value', async () => {
    const c = db.collection('alls');
    await c.insertMany([{ k: 'one', tags: 'a' }, { k: 'many', tags: ['a', 'b'] }]);
    const hit = async (q: object) => (await c.find({ tags: q }).sort({ k: 1 }).toArray()).map((d) => d.k);
    expect(await hit({ $all: ['a'] })).toEqual(['many', 'one']);
    expect(await hit({ $all: ['a', 'b'] })).toEqual(['many']);
    expect(await hit({ $all: [] })).toEqual([]);
  });
});

describe('aggregate', () => {
  it('$out replaces the target collection with the results, keeping its indexes', async () => {
    const c = db.collection('outsrc');
    await c.insertMany([{ k: 1 }, { k: 2 }, { k: 3 }]);
    await db.collection('outdst').insertOne({ stale: true });
    await db.collection('outdst').createIndex({ k: 1 });
    await c.aggregate([{ $match: { k: { $gte: 2 } } }, { $project: { _id: 0, k: 1 } }, { $out: 'outdst' }]).toArray();
    expect((await db.collection('outdst').find({}, { projection: { _id: 0 } }).sort({ k: 1 }).toArray())).toEqual([{ k: 2 }, { k: 3 }]);
    expect(await db.collection('outdst').indexExists('k_1')).toBe(true);
  });

  it('a database-level aggregate starting with $documents', async () => {
    const out = await db.aggregate([{ $documents: [{ x: 10 }, { x: 2 }, { x: 5 }] }, { $sort: { x: 1 } }]).toArray();
    expect(out).toEqual([{ x: 2 }, { x: 5 }, { x: 10 }]);
  });

  it('an unknown stage answers mongod\'s Unrecognized pipeline stage name', async () => {
    const err = await db.collection('outsrc').aggregate([{ $fakeStage: {} }]).toArray().catch((e) => e);
    expect(err.code).toBe(40324);
    expect(err.message).toMatch(/Unrecognized pipeline stage name: '\$fakeStage'/);
  });
});

describe('positional projection', () => {
  it('arr.$ returns the element an $elemMatch filter matched', async () => {
    const c = db.collection('posproj');
    await c.insertOne({ _id: 1 as never, events: [{ kind: 'Purchased', product: 'p' }, { kind: 'Clicked', element: 'Test' }] });
    const doc = await c.findOne({ events: { $elemMatch: { kind: 'Clicked', element: 'Test' } } }, { projection: { 'events.$': 1 } });
    expect(doc).toEqual({ _id: 1, events: [{ kind: 'Clicked', element: 'Test' }] });
  });
});

describe('$text search', () => {
  it('matches any term, stems and drops stop words, and orders by textScore', async () => {
    const c = db.collection('posts');
    await c.createIndex({ title: 'text' });
    await c.insertMany([{ title: 'querying in mongoose' }, { title: 'searching in mongoose' }, { title: 'text search in mongoose' }, { title: 'other' }]);
    const scored = await c
      .find({ $text: { $search: 'text search' } }, { projection: { _id: 0, title: 1, score: { $meta: 'textScore' } } })
      .sort({ score: { $meta: 'textScore' } })
      .toArray();
    expect(scored.map((d) => d.title)).toEqual(['text search in mongoose', 'searching in mongoose']);
    expect(scored[0].score).toBeGreaterThan(scored[1].score);
    expect(await c.countDocuments({ $text: { $search: 'in' } })).toBe(0);
    expect(await c.countDocuments({ $text: { $search: 'MONGOOSE -querying' } })).toBe(2);
    expect(await c.countDocuments({ $text: { $search: '"search in"' } })).toBe(1);
  });

  it('needs a text index, and a $meta sort in aggregate follows the $text match', async () => {
    const c = db.collection('notext');
    await c.insertOne({ t: 'a test' });
    const err = await c.find({ $text: { $search: 'test' } }).toArray().catch((e) => e);
    expect(err.code).toBe(27);
    const m = db.collection('aggtext');
    await m.createIndex({ test: 'text' });
    await m.insertMany([{ test: 'a test' }, { test: 'test test' }]);
    const res = await m.aggregate([{ $match: { $text: { $search: 'test' } } }, { $sort: { score: { $meta: 'textScore' } } }]).toArray();
    expect(res.map((d) => d.test)).toEqual(['test test', 'a test']);
  });
});

describe('DBRef fields in conditions', () => {
  it('$elemMatch on $id matches the referencing element', async () => {
    const c = db.collection('chats');
    const id = new ObjectId();
    await c.insertOne({ members: [{ $ref: 'foo', $id: id, $db: 'foo' }] });
    expect(await c.countDocuments({ members: { $elemMatch: { $id: id } } })).toBe(1);
    expect(await c.countDocuments({ members: { $elemMatch: { $id: new ObjectId() } } })).toBe(0);
  });
});

describe('server parameters', () => {
  it.skipIf(process.env.MONGODB_URI !== undefined)('setParameter ttlMonitorSleepSecs changes the TTL sweep interval; unknown parameters are refused', async () => {
    const admin = client.db('admin');
    const before = await admin.command({ getParameter: 1, ttlMonitorSleepSecs: 1 });
    const set = await admin.command({ setParameter: 1, ttlMonitorSleepSecs: 7 });
    expect(set.was).toBe(before.ttlMonitorSleepSecs);
    expect((await admin.command({ getParameter: 1, ttlMonitorSleepSecs: 1 })).ttlMonitorSleepSecs).toBe(7);
    await admin.command({ setParameter: 1, ttlMonitorSleepSecs: before.ttlMonitorSleepSecs });
    const err = await admin.command({ setParameter: 1, notAParameter: 1 }).catch((e) => e);
    expect(err).toBeInstanceOf(Error);
  });
});
