// The embedded MongoDB-wire-compatible store: the public surface used by the composition root,
// bin/store.ts, the tests and the benchmark.
import pino, { type Logger } from 'pino';
import { Catalog } from './catalog.js';
import type { CommandContext } from './commands/context.js';
import { CursorRegistry, DEFAULT_CURSOR_TIMEOUT_MS } from './cursors.js';
import { type Recovery, Journal } from './journal.js';
import type { JournalOp } from './journal-ops.js';
import { WireServer } from './server.js';
import { sweepExpired } from './ttl.js';

export { DataDirLockedError, JournalDamagedError } from './errors.js';
export type { Recovery } from './journal.js';

export interface EmbeddedStoreOptions {
  /** Directory for the journal and snapshots; null or undefined keeps everything in memory. */
  dataDir?: string | null;
  /** TCP port; 0 picks a free one. */
  port?: number;
  /** Interface to bind; defaults to loopback only. */
  host?: string;
  logger?: Logger;
  /** Journal size that triggers a compaction (snapshot + truncate). Default 64 MiB. */
  compactEveryBytes?: number;
  /** A cursor idle for longer than this is killed, as mongod's cursorTimeoutMillis. Default 10 minutes. */
  cursorTimeoutMs?: number;
  /** Time source for cursor idleness and TTL expiry; defaults to the system clock. */
  clock?: { now(): Date };
}

export interface EmbeddedStore {
  uri: string;
  port: number;
  /** What start-up found in the data directory (null in memory mode). */
  recovery: Recovery | null;
  /** Stops listening, closes sockets, flushes the journal and releases the data-directory lock. */
  close(): Promise<void>;
}

const TTL_SWEEP_MS = 60_000;

export async function startEmbeddedStore(opts: EmbeddedStoreOptions = {}): Promise<EmbeddedStore> {
  const logger = opts.logger ?? pino({ level: 'silent' });
  const host = opts.host ?? '127.0.0.1';
  const cursorTimeoutMs = opts.cursorTimeoutMs ?? DEFAULT_CURSOR_TIMEOUT_MS;
  if (!(cursorTimeoutMs > 0))
    throw new RangeError(`cursorTimeoutMs must be a positive number of milliseconds, got ${opts.cursorTimeoutMs}`);
  const catalog = new Catalog();
  let journal: Journal | null = null;
  let recovery: Recovery | null = null;
  if (opts.dataDir) {
    const opened = await Journal.open(opts.dataDir, catalog, logger, opts.compactEveryBytes ?? 64 * 1024 * 1024);
    journal = opened.journal;
    recovery = opened.recovery;
  }
  const persist = journal
    ? (ops: JournalOp[]) => journal.append(ops)
    : () => Promise.resolve();
  const clock = opts.clock ?? { now: () => new Date() };
  const cursors = new CursorRegistry(cursorTimeoutMs, () => clock.now().getTime());
  const startedAt = clock.now();
  let ttl: NodeJS.Timeout | null = null;
  let ttlSecs = TTL_SWEEP_MS / 1000;
  const scheduleTtl = () => {
    if (ttl) clearInterval(ttl);
    ttl = setInterval(() => {
      const log = sweepExpired(catalog, clock.now());
      persist(log).catch((err) => logger.error({ err }, 'embedded store: TTL deletions could not be journaled'));
    }, ttlSecs * 1000);
    ttl.unref();
  };
  const serverInfo: CommandContext['server'] = {
    startedAt,
    now: () => clock.now(),
    connections: () => server.connections(),
    get ttlMonitorSleepSecs() {
      return ttlSecs;
    },
    set ttlMonitorSleepSecs(secs: number) {
      ttlSecs = secs;
      if (ttl) scheduleTtl();
    },
  };
  const makeContext = (connectionId: number): CommandContext => ({ catalog, cursors, persist, logger, connectionId, server: serverInfo });
  const server = new WireServer(makeContext, logger);
  let port: number;
  try {
    port = await server.listen(opts.port ?? 0, host);
  } catch (err) {
    cursors.close();
    await journal?.close();
    throw err;
  }
  scheduleTtl();
  const uri = `mongodb://${host.includes(':') ? `[${host}]` : host}:${port}/`;
  logger.info({ uri, dataDir: opts.dataDir ?? null }, 'embedded store: listening');
  let closing: Promise<void> | null = null;
  return {
    uri,
    port,
    recovery,
    close: () => {
      closing ??= (async () => {
        if (ttl) clearInterval(ttl);
        await server.close();
        cursors.close();
        await journal?.close();
      })();
      return closing;
    },
  };
}
