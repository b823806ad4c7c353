// `npm run bench -- store [seconds-per-measure]`: throughput of the embedded store through the raw
// driver and through mongoose, durable (fsync per acknowledged write, group commit) vs in-memory,
// on a collection holding 100,000 documents.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Collection, MongoClient } from 'mongodb';
import mongoose, { Schema } from 'mongoose';
import { startEmbeddedStore } from '../models/embedded/index.js';

const SEED = 100_000;
const CONCURRENCY = 16;

interface Ops {
  insert(i: number): Promise<unknown>;
  find(email: string): Promise<unknown>;
  findAndUpdate(email: string): Promise<unknown>;
}

async function measure(seconds: number, workers: number, op: (n: number) => Promise<unknown>): Promise<number> {
  const end = Date.now() + seconds * 1000;
  let n = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (Date.now() < end) await op(n++);
    }),
  );
  return n / (Number(process.hrtime.bigint() - started) / 1e9);
}

const randomEmail = () => `u${Math.floor(Math.random() * SEED)}@bench.cn`;

async function runMode(durable: boolean, seconds: number): Promise<Record<string, { driver: number; mongoose: number }>> {
  const dir = durable ? mkdtempSync(join(tmpdir(), 'store-bench-')) : null;
  const store = await startEmbeddedStore({ dataDir: dir });
  const client = await MongoClient.connect(store.uri, { maxPoolSize: CONCURRENCY + 4 });
  const conn = await mongoose.createConnection(store.uri, { dbName: 'bench', maxPoolSize: CONCURRENCY + 4 }).asPromise();
  try {
    const coll: Collection = client.db('bench').collection('people');
    await coll.createIndex({ email: 1 }, { unique: true });
    for (let i = 0; i < SEED; i += 5000) {
      await coll.insertMany(Array.from({ length: 5000 }, (_, j) => ({ email: `u${i + j}@bench.cn`, n: 0, unit: `unit${(i + j) % 50}` })));
    }
    const Person = conn.model(
      'Person',
      new Schema({ email: { type: String, required: true, unique: true }, n: Number, unit: String }, { collection: 'people', autoIndex: false }),
    );
    let seq = 0;
    const tag = durable ? 'd' : 'm';
    const driver: Ops = {
      insert: () => coll.insertOne({ email: `drv${tag}${seq++}@bench.cn`, n: 0, unit: 'x' }),
      find: (email) => coll.findOne({ email }),
      findAndUpdate: (email) => coll.findOneAndUpdate({ email }, { $inc: { n: 1 } }, { returnDocument: 'after' }),
    };
    const viaMongoose: Ops = {
      insert: () => Person.create({ email: `mgs${tag}${seq++}@bench.cn`, n: 0, unit: 'x' }),
      find: (email) => Person.findOne({ email }).lean(),
      findAndUpdate: (email) => Person.findOneAndUpdate({ email }, { $inc: { n: 1 } }, { returnDocument: 'after' }).lean(),
    };
    const rows: Record<string, { driver: number; mongoose: number }> = {};
    const row = async (name: string, workers: number, pick: (o: Ops) => (n: number) => Promise<unknown>) => {
      rows[name] = { driver: await measure(seconds, workers, pick(driver)), mongoose: await measure(seconds, workers, pick(viaMongoose)) };
    };
    await row('insert, 1 writer', 1, (o) => o.insert);
    await row(`insert, ${CONCURRENCY} writers`, CONCURRENCY, (o) => o.insert);
    await row(`indexed findOne, ${CONCURRENCY} readers`, CONCURRENCY, (o) => () => o.find(randomEmail()));
    await row(`findOneAndUpdate $inc, ${CONCURRENCY} writers`, CONCURRENCY, (o) => () => o.findAndUpdate(randomEmail()));
    return rows;
  } finally {
    await conn.close();
    await client.close();
    await store.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(args: string[]): Promise<void> {
  const seconds = Number(args[0] ?? 2);
  if (!(seconds > 0)) throw new Error(`seconds per measure must be a positive number, got ${args[0]}`);
  const started = Date.now();
  const memory = await runMode(false, seconds);
  const durable = await runMode(true, seconds);
  const ratio = (a: number, b: number) => Number((a / b).toFixed(2));
  const table: Record<string, Record<string, number>> = {};
  for (const [op, m] of Object.entries(memory)) {
    const d = durable[op];
    table[op] = {
      'mem driver/s': Math.round(m.driver),
      'mem mongoose/s': Math.round(m.mongoose),
      'mem mongoose/driver': ratio(m.mongoose, m.driver),
      'durable driver/s': Math.round(d.driver),
      'durable mongoose/s': Math.round(d.mongoose),
      'durable mongoose/driver': ratio(d.mongoose, d.driver),
      'durable/mem (driver)': ratio(d.driver, m.driver),
    };
  }
  console.log(
    `embedded store: ${SEED.toLocaleString('en')} documents in the collection, ${seconds}s per measure, ` +
      `durable = fsync before each reply with group commit (${Math.round((Date.now() - started) / 1000)}s in all)`,
  );
  console.table(table);
}
