// `npm run store`: the embedded MongoDB-wire store on its own, so any MongoDB tool can inspect
// the data. Port from EMBEDDED_MONGO_PORT (default 27017 when free, else any free port), data in
// DATA_DIR (default ./data; EMBEDDED_IN_MEMORY=1 keeps nothing). Prints the mongodb:// URI on
// stdout; logs go to stderr.
import { DataDirLockedError, type EmbeddedStore, JournalDamagedError, startEmbeddedStore } from '../models/embedded/index.js';
import { type Config, ConfigError, loadConfig } from '../services/config.js';
import { createLogger } from '../services/logger.js';

let config: Config;
try {
  config = loadConfig();
} catch (e) {
  if (e instanceof ConfigError) {
    process.stderr.write(`configuration error: ${e.message}\n`);
    process.exit(2);
  }
  throw e;
}
const logger = createLogger({ level: config.LOG_LEVEL, destination: process.stderr });
const base = {
  dataDir: config.EMBEDDED_IN_MEMORY === '1' ? null : config.DATA_DIR,
  logger,
  compactEveryBytes: config.EMBEDDED_COMPACT_EVERY_BYTES,
};

async function start(): Promise<EmbeddedStore> {
  if (config.EMBEDDED_MONGO_PORT !== undefined) return startEmbeddedStore({ ...base, port: config.EMBEDDED_MONGO_PORT });
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
    process.exitCode = 0;
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (err) {
  if (err instanceof DataDirLockedError) {
    logger.error(err.message);
    process.exit(3);
  }
  if (err instanceof JournalDamagedError) {
    logger.error({ file: err.file, offset: err.offset }, err.message);
    process.exit(4);
  }
  throw err;
}
