import { type Db, type Long, MongoClient } from 'mongodb';
import { afterEach, describe, expect, it } from 'vitest';
import { type EmbeddedStore, startEmbeddedStore } from '../../models/embedded/index.js';
import { ManualClock } from '../../services/clock.js';

// Cursor idleness runs on an injected clock: these tests age cursors by moving it, never by waiting.
let store: EmbeddedStore | undefined;
let client: MongoClient | undefined;

afterEach(async () => {
  await client?.close();
  await store?.close();
  client = undefined;
  store = undefined;
});

async function open(opts: { cursorTimeoutMs?: number; clock: ManualClock }): Promise<Db> {
  store = await startEmbeddedStore({ dataDir: null, ...opts });
  client = await MongoClient.connect(store.uri, { serverSelectionTimeoutMS: 5000 });
  const db = client.db('cursors');
  await db.collection('items').insertMany(Array.from({ length: 30 }, (_, i) => ({ i })));
  return db;
}

async function openCursor(db: Db, extra: Record<string, unknown> = {}): Promise<Long> {
  const r = await db.command({ find: 'items', sort: { i: 1 }, batchSize: 5, ...extra });
  expect(r.cursor.firstBatch).toHaveLength(5);
  return r.cursor.id;
}

const getMore = (db: Db, id: Long) => db.command({ getMore: id, collection: 'items', batchSize: 5 });

describe('idle cursor timeout', () => {
  it('kills a cursor idle past cursorTimeoutMs (CursorNotFound, 43) while a cursor in use survives', async () => {
    const clock = new ManualClock('2025-03-03T09:00:00+08:00');
    const db = await open({ cursorTimeoutMs: 60_000, clock });
    const idle = await openCursor(db);
    const active = await openCursor(db);
    const pinned = await openCursor(db, { noCursorTimeout: true });
    clock.advance(40_000);
    expect((await getMore(db, active)).cursor.nextBatch.map((d: { i: number }) => d.i)).toEqual([5, 6, 7, 8, 9]);
    clock.advance(40_000);
    await expect(getMore(db, idle)).rejects.toMatchObject({ code: 43, codeName: 'CursorNotFound' });
    expect((await getMore(db, active)).cursor.nextBatch.map((d: { i: number }) => d.i)).toEqual([10, 11, 12, 13, 14]);
    expect((await getMore(db, pinned)).cursor.nextBatch).toHaveLength(5);
    // Once killed it stays gone, even if the clock were to say otherwise.
    await expect(getMore(db, idle)).rejects.toMatchObject({ code: 43 });
  });

  it('defaults to MongoDB’s 10 minutes of idleness', async () => {
    const clock = new ManualClock('2025-03-03T09:00:00+08:00');
    const db = await open({ clock });
    const early = await openCursor(db);
    const late = await openCursor(db);
    clock.advance(9 * 60_000);
    expect((await getMore(db, early)).cursor.nextBatch).toHaveLength(5);
    clock.advance(61_000 + 60_000);
    await expect(getMore(db, late)).rejects.toMatchObject({ code: 43 });
    // Idleness counts from the last getMore, not from the cursor's birth.
    expect((await getMore(db, early)).cursor.nextBatch).toHaveLength(5);
  });

  it('the driver reports a timed-out cursor to the caller instead of ending the iteration quietly', async () => {
    const clock = new ManualClock('2025-03-03T09:00:00+08:00');
    const db = await open({ cursorTimeoutMs: 1_000, clock });
    const cursor = db.collection('items').find({}, { batchSize: 5 });
    const seen: number[] = [];
    const err = await (async () => {
      for await (const d of cursor) {
        seen.push(d.i);
        if (seen.length === 5) clock.advance(5_000);
      }
    })().catch((e) => e);
    expect(seen).toHaveLength(5);
    expect(err).toMatchObject({ code: 43 });
  });

  it('refuses a cursor timeout that is not a positive number of milliseconds', async () => {
    await expect(startEmbeddedStore({ dataDir: null, cursorTimeoutMs: 0 })).rejects.toThrow(/cursorTimeoutMs must be a positive/);
  });
});
