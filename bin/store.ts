// `npm run store`: the embedded MongoDB-wire store on its own, so any MongoDB tool can inspect
// the data. Port from EMBEDDED_MONGO_PORT (default 27017 when free, else any free port), data in
// DATA_DIR (default ./data; EMBEDDED_IN_MEMORY=1 keeps nothing). Prints the mongodb:// URI on
// stdout; logs go to stderr.
import pino from 'pino';
import { DataDirLockedError, type EmbeddedStore, startEmbeddedStore } from '../models/embedded/index.js';

const logger = pino({ level: process.env.LOG_LEVEL ?? 'info' }, pino.destination(2));
const dataDir = process.env.EMBEDDED_IN_MEMORY === '1' ? null : (process.env.DATA_DIR ?? './data');
const compactEveryBytes = process.env.EMBEDDED_COMPACT_EVERY_BYTES ? Number(process.env.EMBEDDED_COMPACT_EVERY_BYTES) : undefined;
const explicitPort = process.env.EMBEDDED_MONGO_PORT;

async function start(): Promise<EmbeddedStore> {
  const base = { dataDir, logger, compactEveryBytes };
  if (explicitPort !== undefined) return startEmbeddedStore({ ...base, port: Number(explicitPort) });
  try {
    return await startEmbeddedStore({ ...base, port: 27017 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    return startEmbeddedStore({ ...base, port: 0 });
  }
}

try {
  const store = await start();
  if (store.recovery?.tornRecord) logger.warn({ torn: store.recovery.tornRecord }, 'recovered after a torn journal record');
  process.stdout.write(`${store.uri}\n`);
  const stop = async () => {
    await store.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (err) {
  if (err instanceof DataDirLockedError) {
    logger.error(err.message);
    process.exit(3);
  }
  throw err;
}
