// The composition root: the one place that builds the desk from its parts. Everything is passed
// in or created here — clock, logger, stores, directory, calendar, services, channels — and
// `stop()` takes it all down again so the process can exit by itself.
import mongoose, { type Connection } from 'mongoose';
import { type Models, createModels, syncIndexes } from './models/index.js';
import { type EmbeddedStore, startEmbeddedStore } from './models/embedded/index.js';
import {
  type CalendarOverrides,
  type OfficeHours,
  type WorkCalendar,
  createWorkCalendar,
  loadCalendarOverrides,
} from './services/calendar/index.js';
import { type CaseServices, createCaseServices } from './services/cases/index.js';
import { type Clock, systemClock } from './services/clock.js';
import { type ChannelName, type Config, loadConfig } from './services/config.js';
import {
  type Coordination,
  createMemoryCoordination,
  createRedisCoordination,
} from './services/coordination/index.js';
import {
  type Directory,
  type DirectoryData,
  createDirectory,
  loadDirectoryFile,
  syncDirectory,
} from './services/directory/index.js';
import { type Logger, createLogger } from './services/logger.js';

export interface AppOptions {
  /** Configuration as read from the environment; defaults are used for anything not given. */
  config?: Partial<Config>;
  clock?: Clock;
  logger?: Logger;
  /** Directory data, or the file to read it from (defaults to config.DIRECTORY_FILE). */
  directory?: DirectoryData | string;
  /** Calendar overrides, or the file to read them from (defaults to config.CALENDAR_FILE). */
  calendarOverrides?: CalendarOverrides | string;
  /**
   * The embedded store's data directory when MONGODB_URI is unset: a path, or null for memory
   * only (tests). Defaults to config.DATA_DIR.
   */
  embeddedDataDir?: string | null;
  /** Channels to start; defaults to config.CHANNELS, else none. */
  channels?: ChannelName[];
}

export interface App {
  config: Config;
  clock: Clock;
  logger: Logger;
  connection: Connection;
  models: Models;
  directory: Directory;
  calendar: WorkCalendar;
  coordination: Coordination;
  cases: CaseServices;
  /** What this instance serves, for the start-up banner. */
  info: { mongodb: string; embedded: boolean; redis: string; channels: ChannelName[] };
  /** Closes every connection, timer and server; the process can then exit by itself. Idempotent. */
  stop(): Promise<void>;
  /** Settles once the app has stopped, whether by `stop()` or because a channel ended (console input closed). */
  stopped: Promise<void>;
}

export async function createApp(options: AppOptions = {}): Promise<App> {
  const config: Config = { ...loadConfig({}), ...options.config } as Config;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger({ level: config.LOG_LEVEL });
  const stops: (() => Promise<unknown>)[] = [];
  let markStopped!: () => void;
  const stopped = new Promise<void>((r) => {
    markStopped = r;
  });
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      for (const s of stops.splice(0).reverse()) {
        try {
          await s();
        } catch (e) {
          logger.warn({ err: e }, 'error while stopping');
        }
      }
      markStopped();
    })();
    return stopping;
  };

  try {
    // Read and validate the files first: a mistake there should stop us before any server starts.
    const directoryData =
      typeof options.directory === 'object' ? options.directory : loadDirectoryFile(options.directory ?? config.DIRECTORY_FILE);
    const overrides =
      typeof options.calendarOverrides === 'object'
        ? options.calendarOverrides
        : loadCalendarOverrides(options.calendarOverrides ?? config.CALENDAR_FILE);
    const officeHours: OfficeHours = { open: config.OFFICE_HOURS.from, close: config.OFFICE_HOURS.to };
    const calendar = createWorkCalendar({ overrides, officeHours });

    let store: EmbeddedStore | undefined;
    let uri = config.MONGODB_URI;
    if (!uri) {
      const dataDir = options.embeddedDataDir === undefined ? config.DATA_DIR : options.embeddedDataDir;
      store = await startEmbeddedStore({ dataDir, port: config.EMBEDDED_MONGO_PORT ?? 0, logger: logger.child({ mod: 'store' }) });
      stops.push(() => store!.close());
      uri = store.uri;
    }
    const connection = mongoose.createConnection(uri, {
      dbName: config.MONGODB_DB,
      serverSelectionTimeoutMS: 5000,
      autoIndex: false,
    });
    stops.push(() => connection.close());
    await connection.asPromise();
    const models = createModels(connection);
    await syncIndexes(models);
    await syncDirectory(models, directoryData);
    const directory = createDirectory({ models, localDate: (t) => calendar.localDate(t) });

    const coordination = config.REDIS_URL
      ? await createRedisCoordination({ url: config.REDIS_URL, prefix: config.REDIS_PREFIX, logger: logger.child({ mod: 'redis' }) })
      : createMemoryCoordination({ logger: logger.child({ mod: 'coordination' }) });
    stops.push(() => coordination.close());

    for (const w of calendar.startupWarnings(clock.now())) logger.warn(w);

    const cases = createCaseServices({ models, directory, calendar, clock, logger: logger.child({ mod: 'cases' }) });
    const channels = options.channels ?? config.CHANNELS ?? [];

    return {
      config,
      clock,
      logger,
      connection,
      models,
      directory,
      calendar,
      coordination,
      cases,
      info: {
        mongodb: store ? `${store.uri} (embedded, ${config.DATA_DIR && options.embeddedDataDir !== null ? `data in ${config.DATA_DIR}` : 'in memory'})` : redactUri(uri),
        embedded: Boolean(store),
        redis: config.REDIS_URL ? redactUri(config.REDIS_URL) : 'in-memory coordination (single process)',
        channels,
      },
      stop,
      stopped,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

function redactUri(uri: string): string {
  try {
    const u = new URL(uri);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(invalid URI)';
  }
}

export type { Config } from './services/config.js';
export { ConfigError, loadConfig } from './services/config.js';
export type { CaseServices } from './services/cases/index.js';
