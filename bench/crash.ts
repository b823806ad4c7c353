// `npm run bench -- crash [--rounds N]`: the store as a supervisor runs it, SIGKILLed under 16 writers
// N times (default 20) and restarted at once each time on the same data directory. After
// every restart, every write acknowledged in any earlier round must be there, every batch whole,
// every counter between its acknowledged and attempted increments. Exits 1 on any loss.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { type StoreProcess, exited, startStoreProcess } from '../test/support/store-process.js';
import { arg } from './_args.js';

const WRITERS = 16;
const BATCH = 5;

interface Ledger {
  acked: Set<string>;
  attempted: Set<string>;
  incAcked: number[];
  incAttempted: number[];
}

async function load(uri: string, ledger: Ledger, seqBase: number, onAck: () => void): Promise<void> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 2000, retryWrites: false, maxPoolSize: WRITERS });
  const db = client.db('crash');
  const writer = async (w: number) => {
    for (let seq = seqBase; ; seq++) {
      const key = `${w}:${seq}`;
      ledger.attempted.add(key);
      try {
        await db.collection('batches').insertMany(Array.from({ length: BATCH }, (_, part) => ({ w, seq, part, pad: 'x'.repeat(200) })));
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

async function problems(uri: string, ledger: Ledger): Promise<string[]> {
  const client = await MongoClient.connect(uri, { serverSelectionTimeoutMS: 10_000 });
  try {
    const db = client.db('crash');
    const parts = new Map<string, number>();
    for await (const d of db.collection('batches').find({}, { projection: { w: 1, seq: 1 } })) {
      const key = `${d.w}:${d.seq}`;
      parts.set(key, (parts.get(key) ?? 0) + 1);
    }
    const found: string[] = [];
    for (const key of ledger.acked) if (parts.get(key) !== BATCH) found.push(`acknowledged batch ${key} has ${parts.get(key) ?? 0} of ${BATCH}`);
    for (const [key, n] of parts) {
      if (!ledger.attempted.has(key)) found.push(`batch ${key} was never sent`);
      if (n !== BATCH) found.push(`batch ${key} is half applied (${n} of ${BATCH})`);
    }
    for (const c of await db.collection('counters').find().toArray()) {
      const w = c._id as unknown as number;
      if (c.n < ledger.incAcked[w] || c.n > ledger.incAttempted[w])
        found.push(`counter ${w} is ${c.n}, outside ${ledger.incAcked[w]}..${ledger.incAttempted[w]}`);
    }
    return found;
  } finally {
    await client.close();
  }
}

export async function run(args: string[]): Promise<void> {
  const rounds = arg(args, 'rounds', 20);
  const dir = mkdtempSync(join(tmpdir(), 'bench-crash-'));
  const ledger: Ledger = { acked: new Set(), attempted: new Set(), incAcked: Array(WRITERS).fill(0), incAttempted: Array(WRITERS).fill(0) };
  const started = Date.now();
  let store: StoreProcess = await startStoreProcess(dir, { env: { LOG_LEVEL: 'warn' } });
  let lost = 0;
  try {
    for (let round = 1; round <= rounds; round++) {
      let acks = 0;
      const target = 100 + Math.floor(Math.random() * 300);
      const victim = store;
      await load(victim.uri, ledger, round * 1_000_000, () => {
        if (++acks === target) victim.proc.kill('SIGKILL');
      });
      // Restart at once, as a supervisor does: the dead store may not even be reaped yet.
      store = await startStoreProcess(dir, { env: { LOG_LEVEL: 'warn' } });
      await exited(victim.proc);
      const found = await problems(store.uri, ledger);
      lost += found.length;
      console.log(`round ${round}: killed after ${acks} acknowledged batches; ${ledger.acked.size} acknowledged so far; ${found.length === 0 ? 'none lost' : found.slice(0, 5).join('; ')}`);
    }
  } finally {
    store.proc.kill('SIGTERM');
    await exited(store.proc);
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`${rounds} SIGKILLs under ${WRITERS} writers: ${ledger.acked.size} batches of ${BATCH} acknowledged, ${lost} problems, ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (lost > 0) process.exitCode = 1;
}
