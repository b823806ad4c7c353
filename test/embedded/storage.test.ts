import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize, serialize } from 'bson';
import { MongoClient } from 'mongodb';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirLockedError, JournalDamagedError, startEmbeddedStore } from '../../models/embedded/index.js';
import { rawCommand } from '../support/wire.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'store-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function withClient<T>(uri: string, fn: (c: MongoClient) => Promise<T>): Promise<T> {
  const c = await MongoClient.connect(uri, { serverSelectionTimeoutMS: 3000 });
  try {
    return await fn(c);
  } finally {
    await c.close();
  }
}

describe('data directory', () => {
  it('replays the journal, and compacts it without losing indexes or documents', async () => {
    const dir = tempDir();
    const store = await startEmbeddedStore({ dataDir: dir, compactEveryBytes: 4096 });
    await withClient(store.uri, async (c) => {
      const coll = c.db('d').collection('c');
      await coll.createIndex({ k: 1 }, { unique: true });
      for (let i = 0; i < 200; i++) await coll.insertOne({ k: i, pad: 'p'.repeat(100) });
      await coll.deleteMany({ k: { $lt: 50 } });
    });
    await store.close();
    expect(readdirSync(dir)).toContain('snapshot.bson');
    const again = await startEmbeddedStore({ dataDir: dir });
    await withClient(again.uri, async (c) => {
      const coll = c.db('d').collection('c');
      expect(await coll.countDocuments()).toBe(150);
      expect((await coll.insertOne({ k: 60 }).catch((e) => e)).code).toBe(11000);
    });
    await again.close();
  });

  it('keeps collection options through a restart: validator changed by collMod, capped bound, collation, hidden index', async () => {
    const dir = tempDir();
    const store = await startEmbeddedStore({ dataDir: dir });
    await withClient(store.uri, async (c) => {
      const db = c.db('d');
      await db.createCollection('v', { validator: { n: { $type: 'string' } } });
      await db.command({ collMod: 'v', validator: { n: { $type: 'number' } } });
      await db.createCollection('cap', { capped: true, size: 4096, max: 2 });
      await db.createCollection('ci', { collation: { locale: 'en', strength: 2 } });
      await db.collection('ci').createIndex({ u: 1 }, { unique: true });
      await db.command({ collMod: 'ci', index: { name: 'u_1', hidden: true } });
      await db.collection('ci').insertOne({ u: 'Bob' });
    });
    await store.close();
    const again = await startEmbeddedStore({ dataDir: dir });
    await withClient(again.uri, async (c) => {
      const db = c.db('d');
      expect((await db.collection('v').insertOne({ n: 'text' }).catch((e) => e)).code).toBe(121);
      await db.collection('v').insertOne({ n: 1 });
      for (let i = 0; i < 3; i++) await db.collection('cap').insertOne({ i });
      expect((await db.collection('cap').find().toArray()).map((d) => d.i)).toEqual([1, 2]);
      expect((await db.collection('ci').insertOne({ u: 'BOB' }).catch((e) => e)).code).toBe(11000);
      const index = (await db.collection('ci').listIndexes().toArray()).find((i) => i.name === 'u_1');
      expect(index?.hidden).toBe(true);
    });
    await again.close();
  });

  it('tolerates and reports a torn last journal record', async () => {
    const dir = tempDir();
    const store = await startEmbeddedStore({ dataDir: dir });
    await withClient(store.uri, (c) => c.db('d').collection('c').insertMany([{ a: 1 }, { a: 2 }]));
    await store.close();
    const journal = readdirSync(dir).find((f) => f.startsWith('journal-'))!;
    appendFileSync(join(dir, journal), Buffer.from([200, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8]));
    const again = await startEmbeddedStore({ dataDir: dir });
    expect(again.recovery?.tornRecord).toMatch(/declares 200 bytes/);
    expect(await withClient(again.uri, (c) => c.db('d').collection('c').countDocuments())).toBe(2);
    await withClient(again.uri, (c) => c.db('d').collection('c').insertOne({ a: 3 }));
    await again.close();
    const third = await startEmbeddedStore({ dataDir: dir });
    expect(third.recovery?.tornRecord).toBeNull();
    expect(await withClient(third.uri, (c) => c.db('d').collection('c').countDocuments())).toBe(3);
    await third.close();
  });

  it('ignores a half-written snapshot left by a crash during compaction', async () => {
    const dir = tempDir();
    const store = await startEmbeddedStore({ dataDir: dir });
    await withClient(store.uri, (c) => c.db('d').collection('c').insertOne({ a: 1 }));
    await store.close();
    writeFileSync(join(dir, 'snapshot.bson.tmp'), Buffer.from([1, 2, 3]));
    const again = await startEmbeddedStore({ dataDir: dir });
    expect(await withClient(again.uri, (c) => c.db('d').collection('c').countDocuments())).toBe(1);
    await again.close();
  });

  it('keeps acknowledging writes when the journal cannot be rotated for a compaction, and loses none', async () => {
    const dir = tempDir();
    const store = await startEmbeddedStore({ dataDir: dir, compactEveryBytes: 1 });
    await withClient(store.uri, async (c) => {
      const coll = c.db('d').collection('c');
      await coll.insertOne({ k: 0 });
      // The next journal's name is taken by a directory, so opening it for the rotation fails.
      mkdirSync(join(dir, 'journal-000002.log'));
      for (let k = 1; k <= 5; k++) await coll.insertOne({ k });
      expect(await coll.countDocuments()).toBe(6);
    });
    await store.close();
    rmSync(join(dir, 'journal-000002.log'), { recursive: true });
    const again = await startEmbeddedStore({ dataDir: dir });
    expect(await withClient(again.uri, (c) => c.db('d').collection('c').countDocuments())).toBe(6);
    await again.close();
  });

  it('lets one store own a data directory at a time', async () => {
    const dir = tempDir();
    const store = await startEmbeddedStore({ dataDir: dir });
    await expect(startEmbeddedStore({ dataDir: dir })).rejects.toBeInstanceOf(DataDirLockedError);
    await store.close();
    const again = await startEmbeddedStore({ dataDir: dir });
    await again.close();
  });
});

describe('bad input', () => {
  const send = (port: number, bytes: Buffer) =>
    new Promise<string>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => s.write(bytes));
      s.on('close', () => resolve('closed'));
      s.on('error', () => resolve('closed'));
      s.setTimeout(3000, () => {
        s.destroy();
        resolve('timeout');
      });
    });

  it('closes connections that send garbage, oversized or unknown messages and keeps serving', async () => {
    const store = await startEmbeddedStore({});
    const header = (len: number, op: number) => {
      const b = Buffer.alloc(Math.max(len, 16));
      b.writeInt32LE(len, 0);
      b.writeInt32LE(op, 12);
      return b;
    };
    const badBson = header(40, 2013);
    badBson.writeInt32LE(40 - 21, 21);
    badBson.fill(0xff, 25);
    expect(await send(store.port, header(64, 9999))).toBe('closed');
    expect(await send(store.port, header(49_000_000, 2013).subarray(0, 16))).toBe('closed');
    expect(await send(store.port, badBson)).toBe('closed');
    expect(await send(store.port, header(3, 2013))).toBe('closed');
    expect(await withClient(store.uri, (c) => c.db('d').command({ ping: 1 }))).toEqual({ ok: 1 });
    await store.close();
  });

  it('answers a message that arrives a few bytes at a time', async () => {
    const store = await startEmbeddedStore({});
    const body = serialize({ insert: 'c', documents: [{ _id: 1, pad: 'p'.repeat(2000) }], $db: 'd' });
    const msg = Buffer.alloc(21 + body.length);
    msg.writeInt32LE(msg.length, 0);
    msg.writeInt32LE(7, 4);
    msg.writeInt32LE(2013, 12);
    msg.set(body, 21);
    const reply = await new Promise<Buffer>((resolve, reject) => {
      const s = net.connect(store.port, '127.0.0.1', async () => {
        s.setNoDelay(true);
        for (let i = 0; i < msg.length; i += 3) {
          s.write(msg.subarray(i, i + 3));
          await new Promise((r) => setImmediate(r));
        }
      });
      const got: Buffer[] = [];
      s.on('data', (d) => {
        got.push(d);
        const all = Buffer.concat(got);
        if (all.length >= 4 && all.length >= all.readInt32LE(0)) {
          s.destroy();
          resolve(all);
        }
      });
      s.on('error', reject);
    });
    expect(reply.readInt32LE(8)).toBe(7);
    expect(deserialize(reply.subarray(21))).toEqual({ n: 1, ok: 1 });
    expect(await withClient(store.uri, (c) => c.db('d').collection('c').countDocuments())).toBe(1);
    await store.close();
  });
});

describe('recovery', () => {
  it('stops at a damaged record in the middle of the journal, naming its offset, and drops nothing', async () => {
    const dir = tempDir();
    const store = await startEmbeddedStore({ dataDir: dir });
    await withClient(store.uri, async (c) => {
      const coll = c.db('d').collection('c');
      for (const m of ['A', 'B', 'C', 'D']) await coll.insertOne({ m, pad: m.repeat(64) });
    });
    await store.close();
    const file = join(dir, readdirSync(dir).find((f) => f.startsWith('journal-'))!);
    const journal = readFileSync(file);
    const inB = journal.indexOf('B'.repeat(64));
    journal[inB + 10] ^= 0xff; // one flipped bit of B's record, acknowledged long ago; C and D follow
    writeFileSync(file, journal);
    const err = await startEmbeddedStore({ dataDir: dir }).catch((e) => e);
    expect(err).toBeInstanceOf(JournalDamagedError);
    const starts: number[] = [];
    for (let off = 0; off < journal.length; off += 8 + journal.readUInt32LE(off)) starts.push(off);
    expect(starts).toHaveLength(4); // one record per insert
    expect(err.offset).toBe(starts[1]);
    expect(err.message).toContain(`at byte ${err.offset}`);
    expect(err.message).toMatch(/intact records follow/);
    expect(readFileSync(file).equals(journal)).toBe(true); // nothing truncated
    // The lock was given back: the operator can restore and start again at once.
    writeFileSync(file, journal.subarray(0, err.offset));
    const again = await startEmbeddedStore({ dataDir: dir });
    expect(await withClient(again.uri, (c) => c.db('d').collection('c').countDocuments())).toBe(1);
    await again.close();
  });

  it('journals and replays a command of more than 17 MiB whole', async () => {
    const dir = tempDir();
    const store = await startEmbeddedStore({ dataDir: dir });
    // Two 9 MB documents in one insert: one 18 MB journal record, past bson's 17 MiB scratch buffer.
    const docs = [0, 1].map((i) => ({ _id: i, s: String(i).repeat(9_000_000) }));
    const reply = await rawCommand(store.port, { insert: 'c', $db: 'd' }, { documents: docs });
    expect(reply).toMatchObject({ ok: 1, n: 2 });
    await withClient(store.uri, (c) => c.db('d').collection('c').insertOne({ _id: 2 as never, after: true }));
    await store.close();
    const again = await startEmbeddedStore({ dataDir: dir });
    expect(again.recovery?.tornRecord).toBeNull();
    await withClient(again.uri, async (c) => {
      const back = await c.db('d').collection('c').find().sort({ _id: 1 }).toArray();
      expect(back.map((d) => (typeof d.s === 'string' ? d.s.length : d.after))).toEqual([9_000_000, 9_000_000, true]);
    });
    await again.close();
  });
});
