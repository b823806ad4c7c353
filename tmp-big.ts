import { MongoClient } from 'mongodb';
import pino from 'pino';
import { startEmbeddedStore } from './models/embedded/index.js';
const s = await startEmbeddedStore({ logger: pino({ level: 'error' }) });
const c = await MongoClient.connect(s.uri);
const coll = c.db('big').collection('b');
await coll.insertMany([{ n: 9223372036854775807n }, { n: 5n }, { n: 7 }]);
for (const q of [{ n: 9223372036854775807n }, { n: { $gt: 4n } }, { n: { $in: [5n] } }, { n: 5 }, { n: { $type: 'long' } }, { n: { $lte: 6 } }])
  console.log(JSON.stringify(q, (_, v) => typeof v === 'bigint' ? `${v}n` : v), (await coll.find(q, { useBigInt64: true }).toArray().catch(e => [e.code, e.stack.split("\n").slice(0,6).join(" | ")])).map(String));
await c.close(); await s.close();
