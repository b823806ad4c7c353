// The durability workload shared by the SIGKILL test and `npm run bench -- crash`: writers insert
// 5-document batches and bump a per-writer counter until the server dies, keeping a ledger of
// what was acknowledged and what was only attempted, so that after a restart every acknowledged
// write can be checked for and nothing half applied or never sent can hide.
import { MongoClient } from 'mongodb';

export const BATCH = 5;
export const WRITERS = 16;

export interface Ledger {
  acked: Set<string>;
  attempted: Set<string>;
  incAcked: number[];
  incAttempted: number[];
}

export function newLedger(): Ledger {
  return { acked: new Set(), attempted: new Set(), incAcked: Array(WRITERS).fill(0), incAttempted: Array(WRITERS).fill(0) };
}

/** Runs WRITERS writers against `uri` until the server stops answering; `seqBase` keeps rounds' batch keys apart. */
export async function writeUntilDown(uri: string, dbName: string, ledger: Ledger, onAck: () => void, seqBase = 0): Promise<void> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 2000, retryWrites: false, maxPoolSize: WRITERS });
  const db = client.db(dbName);
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

/** Everything the restarted server holds that contradicts the ledger; empty when nothing was lost. */
export async function ledgerProblems(uri: string, dbName: string, ledger: Ledger): Promise<string[]> {
  const client = await MongoClient.connect(uri, { serverSelectionTimeoutMS: 10_000 });
  try {
    const db = client.db(dbName);
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
