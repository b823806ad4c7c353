// Crash safety: the store runs as a child process, is SIGKILLed under concurrent load (once at a
// random point, once right as a compaction starts), and must come back with every acknowledged
// write and no half-applied command.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { afterEach, describe, expect, it } from 'vitest';
import { type StoreProcess, startStoreProcess } from '../support/store-process.js';

const BATCH = 5;
const WRITERS = 16;
const dirs: string[] = [];
const children: ChildProcess[] = [];

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function startChild(dataDir: string, env: Record<string, string> = {}, onLog?: (line: string) => void): Promise<StoreProcess> {
  const started = startStoreProcess(dataDir, { env, onLog });
  void started.then((c) => children.push(c.proc), () => undefined);
  return started;
}

interface Ledger {
  acked: Set<string>;
  attempted: Set<string>;
  incAcked: number[];
  incAttempted: number[];
}

/** Writers that insert 5-document batches and bump a per-writer counter until the server dies. */
async function load(uri: string, ledger: Ledger, onAck: () => void): Promise<void> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 2000, retryWrites: false, maxPoolSize: WRITERS });
  const db = client.db('dur');
  const writer = async (w: number) => {
    for (let seq = 0; ; seq++) {
      const key = `${w}:${seq}`;
      ledger.attempted.add(key);
      const docs = Array.from({ length: BATCH }, (_, part) => ({ w, seq, part, pad: 'x'.repeat(200) }));
      try {
        await db.collection('batches').insertMany(docs);
      } catch {
        return;
      }
      ledger.acked.add(key);
      ledger.incAttempted[w]++;
      try {
        await db.collection('counters').updateOne({ _id: w as never }, { $inc: { n: 1 } }, { upsert: true });
      } catch {
        return;
      }
      ledger.incAcked[w]++;
      onAck();
    }
  };
  await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
  await client.close(true).catch(() => undefined);
}

async function verify(uri: string, ledger: Ledger): Promise<void> {
  const client = await MongoClient.connect(uri, { serverSelectionTimeoutMS: 5000 });
  try {
    const db = client.db('dur');
    const parts = new Map<string, number>();
    for await (const d of db.collection('batches').find({}, { projection: { w: 1, seq: 1 } })) {
      const key = `${d.w}:${d.seq}`;
      parts.set(key, (parts.get(key) ?? 0) + 1);
    }
    for (const key of ledger.acked) expect(parts.get(key), `acknowledged batch ${key}`).toBe(BATCH);
    for (const [key, n] of parts) {
      expect(ledger.attempted.has(key), `batch ${key} was sent`).toBe(true);
      expect(n, `batch ${key} is whole`).toBe(BATCH);
    }
    for (const c of await db.collection('counters').find().toArray()) {
      const w = c._id as unknown as number;
      expect(c.n).toBeGreaterThanOrEqual(ledger.incAcked[w]);
      expect(c.n).toBeLessThanOrEqual(ledger.incAttempted[w]);
    }
  } finally {
    await client.close();
  }
}

function newLedger(): Ledger {
  return { acked: new Set(), attempted: new Set(), incAcked: Array(WRITERS).fill(0), incAttempted: Array(WRITERS).fill(0) };
}

describe('durability across SIGKILL', () => {
  it('keeps every acknowledged write and never half-applies a command', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'store-dur-'));
    dirs.push(dir);
    const first = await startChild(dir);
    const ledger = newLedger();
    let acks = 0;
    const target = 300 + Math.floor(Math.random() * 300);
    await load(first.uri, ledger, () => {
      if (++acks === target) first.proc.kill('SIGKILL');
    });
    expect(ledger.acked.size).toBeGreaterThanOrEqual(target);
    const second = await startChild(dir);
    await verify(second.uri, ledger);
    second.proc.kill('SIGTERM');
  }, 60_000);

  it('recovers when killed while compacting', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'store-compact-'));
    dirs.push(dir);
    let compactions = 0;
    let proc: ChildProcess | null = null;
    const first = await startChild(dir, { EMBEDDED_COMPACT_EVERY_BYTES: '200000' }, (line) => {
      if (line.includes('compaction started') && ++compactions === 3) proc?.kill('SIGKILL');
    });
    proc = first.proc;
    const ledger = newLedger();
    await load(first.uri, ledger, () => undefined);
    expect(compactions).toBeGreaterThanOrEqual(3);
    const second = await startChild(dir, { EMBEDDED_COMPACT_EVERY_BYTES: '200000' });
    await verify(second.uri, ledger);
    second.proc.kill('SIGTERM');
  }, 60_000);
});
