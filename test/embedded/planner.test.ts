import { type Collection as DriverCollection, type Db, type Document, MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, useTestDatabase } from '../support/mongo.js';

// Proven through explain's executionStats, so the same assertions hold against a real MongoDB
// (MONGODB_URI) and the embedded store.
const N = 20_000;
const STATUSES = ['submitted', 'accepted', 'handling', 'awaiting_feedback', 'closed'];
const SITES = ['city', 'east', 'west', 'north'];
const T0 = Date.parse('2025-03-03T09:00:00+08:00');

interface CaseDoc {
  n: number;
  site: string;
  status: string;
  acceptedAt: Date;
  nextDeadlineAt: Date | null;
}

const all: CaseDoc[] = Array.from({ length: N }, (_, n) => ({
  n,
  site: SITES[n % SITES.length],
  status: STATUSES[Math.floor(n / 4) % STATUSES.length],
  acceptedAt: new Date(T0 + ((n * 7919) % N) * 60_000),
  nextDeadlineAt: n % 3 === 0 ? null : new Date(T0 + n * 60_000),
}));

let tdb: TestDatabase;
let client: MongoClient;
let db: Db;
let cases: DriverCollection<CaseDoc>;

beforeAll(async () => {
  tdb = await useTestDatabase('embedded_planner');
  client = await MongoClient.connect(tdb.uri, { serverSelectionTimeoutMS: 5000 });
  db = client.db(tdb.dbName);
  cases = db.collection<CaseDoc>('cases');
  await cases.createIndex({ status: 1, nextDeadlineAt: 1 });
  await cases.createIndex({ site: 1, status: 1, acceptedAt: -1 });
  for (let i = 0; i < N; i += 5000) await cases.insertMany(all.slice(i, i + 5000).map((d) => ({ ...d })));
});

afterAll(async () => {
  await client?.close();
  await tdb?.close();
});

function indexNames(explain: Document): string[] {
  const names: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'indexName' && typeof x === 'string') names.push(x);
        else if (k !== 'rejectedPlans') walk(x);
      }
    }
  };
  walk(explain.queryPlanner);
  return names;
}

const stats = (e: Document) => e.executionStats as { nReturned: number; totalDocsExamined: number };

describe('indexed finds read only what the index points at', () => {
  it('an equality prefix ($in) plus a range on the next field of a compound index', async () => {
    const open = ['submitted', 'handling'];
    const before = new Date(T0 + 3000 * 60_000);
    const filter = { status: { $in: open }, nextDeadlineAt: { $lt: before } };
    const expected = all.filter((d) => open.includes(d.status) && d.nextDeadlineAt !== null && d.nextDeadlineAt < before).map((d) => d.n);
    const found = await cases.find(filter).toArray();
    expect(found.map((d) => d.n).sort((a, b) => a - b)).toEqual(expected);
    const e = await cases.find(filter).explain('executionStats');
    expect(indexNames(e)).toContain('status_1_nextDeadlineAt_1');
    expect(stats(e).nReturned).toBe(expected.length);
    expect(stats(e).totalDocsExamined).toBe(expected.length);
    expect(expected.length).toBeLessThan(N / 10);
  });

  it('equality plus $in on a three-field index, sorted by its last field', async () => {
    const filter = { site: 'city', status: { $in: ['accepted', 'handling'] } };
    const matching = all.filter((d) => d.site === 'city' && ['accepted', 'handling'].includes(d.status));
    const expected = [...matching].sort((a, b) => b.acceptedAt.getTime() - a.acceptedAt.getTime()).slice(0, 20);
    const found = await cases.find(filter).sort({ acceptedAt: -1 }).limit(20).toArray();
    expect(found.map((d) => d.n)).toEqual(expected.map((d) => d.n));
    const e = await cases.find(filter).sort({ acceptedAt: -1 }).limit(20).explain('executionStats');
    expect(indexNames(e)).toContain('site_1_status_1_acceptedAt_-1');
    expect(stats(e).totalDocsExamined).toBeLessThanOrEqual(matching.length);
    expect(matching.length).toBeLessThan(N / 5);
  });

  it('a sort that follows the index stops after the limit', async () => {
    const filter = { site: 'east', status: 'closed' };
    const newest = all
      .filter((d) => d.site === 'east' && d.status === 'closed')
      .sort((a, b) => b.acceptedAt.getTime() - a.acceptedAt.getTime())
      .slice(0, 10);
    expect((await cases.find(filter).sort({ acceptedAt: -1 }).limit(10).toArray()).map((d) => d.n)).toEqual(newest.map((d) => d.n));
    const e = await cases.find(filter).sort({ acceptedAt: -1 }).limit(10).explain('executionStats');
    expect(stats(e).totalDocsExamined).toBe(10);

    // The same index read backwards gives the oldest first.
    const oldest = all
      .filter((d) => d.site === 'east' && d.status === 'closed')
      .sort((a, b) => a.acceptedAt.getTime() - b.acceptedAt.getTime())
      .slice(0, 3);
    expect((await cases.find(filter).sort({ acceptedAt: 1 }).limit(3).toArray()).map((d) => d.n)).toEqual(oldest.map((d) => d.n));
    expect(stats(await cases.find(filter).sort({ acceptedAt: 1 }).limit(3).explain('executionStats')).totalDocsExamined).toBe(3);
  });

  it('the earliest deadlines of one status come straight from the index', async () => {
    const from = new Date(T0 + 5000 * 60_000);
    const filter = { status: 'accepted', nextDeadlineAt: { $gte: from } };
    const expected = all
      .filter((d) => d.status === 'accepted' && d.nextDeadlineAt !== null && d.nextDeadlineAt >= from)
      .sort((a, b) => (a.nextDeadlineAt?.getTime() ?? 0) - (b.nextDeadlineAt?.getTime() ?? 0))
      .slice(0, 5);
    expect((await cases.find(filter).sort({ nextDeadlineAt: 1 }).limit(5).toArray()).map((d) => d.n)).toEqual(expected.map((d) => d.n));
    const e = await cases.find(filter).sort({ nextDeadlineAt: 1 }).limit(5).explain('executionStats');
    expect(indexNames(e)).toContain('status_1_nextDeadlineAt_1');
    expect(stats(e).totalDocsExamined).toBe(5);
  });

  it('findOneAndUpdate with a sort claims the earliest deadline', async () => {
    const claimed = await cases.findOneAndUpdate(
      { status: 'submitted', nextDeadlineAt: { $lt: new Date(T0 + N * 60_000) } },
      { $set: { status: 'accepted' } },
      { sort: { nextDeadlineAt: 1 }, returnDocument: 'before' },
    );
    const first = all.filter((d) => d.status === 'submitted' && d.nextDeadlineAt !== null)[0];
    expect(claimed?.n).toBe(first.n);
    await cases.updateOne({ n: first.n }, { $set: { status: 'submitted' } });
  });

  it('an array field matches a range through different elements, as in MongoDB', async () => {
    const tagged = db.collection('tagged');
    await tagged.createIndex({ unit: 1, marks: 1 });
    await tagged.insertMany([
      { _id: 1 as never, unit: 'u', marks: [1, 8] },
      { _id: 2 as never, unit: 'u', marks: [4] },
      { _id: 3 as never, unit: 'u', marks: 9 },
      { _id: 4 as never, unit: 'u', marks: [] },
      { _id: 5 as never, unit: 'u' },
    ]);
    // 8 > 5 and 1 < 3: each bound is met by some element, so the document matches.
    const found = await tagged.find({ unit: 'u', marks: { $gt: 5, $lt: 3 } }).toArray();
    expect(found.map((d) => d._id)).toEqual([1]);
    const sorted = await tagged.find({ unit: 'u' }).sort({ marks: -1 }).toArray();
    // Descending sorts an array by its largest element, ascending by its smallest; an empty
    // array sorts before a missing field (null).
    expect(sorted.map((d) => d._id)).toEqual([3, 1, 2, 5, 4]);
    expect((await tagged.find({ unit: 'u' }).sort({ marks: 1 }).toArray()).map((d) => d._id)).toEqual([4, 5, 1, 2, 3]);
  });

  it('a collection scan is reported as one, for contrast', async () => {
    const e = await cases.find({ n: { $gte: N - 10 } }).explain('executionStats');
    expect(stats(e).nReturned).toBe(10);
    expect(stats(e).totalDocsExamined).toBe(N);
  });
});
