// The composition root: the one place that builds the desk from its parts. Everything is passed
// in or created here — clock, logger, stores, directory, calendar, services, channels — and
// `stop()` takes it all down again so the process can exit by itself.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import mongoose, { type Connection } from 'mongoose';
import { type Models, createModels, syncIndexes } from './models/index.js';
import { type EmbeddedStore, startEmbeddedStore } from './models/embedded/index.js';
import {
  type CalendarOverrides,
  type OfficeHours,
  type WorkCalendar,
  createWorkCalendar,
  loadCalendarOverrides,
  CalendarConfigError,
  checkCalendar,
  chineseDaysSource,
} from './services/calendar/index.js';
import { type AttachmentStore, createFileAttachmentStore } from './services/attachments.js';
import { type CaseServices, createCaseServices } from './services/cases/index.js';
import { type Clock, startingClock, systemClock } from './services/clock.js';
import { type ChannelName, type Config, ConfigError, loadConfig } from './services/config.js';
import {
  type Coordination,
  type TokenBucketLimit,
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
import { type Logger, createLogger, redactUrl } from './services/logger.js';
import { type ConversationEngine, createConversationEngine } from './services/conversation/index.js';
import { type Sweeper, createSweeper } from './services/deadlines/index.js';
import { type Dispatcher, type LimitsPolicy, type Sender, createDispatcher, postStaffNotice } from './services/delivery/index.js';
import { handleStaffText } from './services/staff-commands/index.js';
import { type ReportScheduler, type ReportServices, createReportScheduler, createReportServices } from './services/reports/index.js';
import type { Sayable } from './models/sayable.js';
import type { StaffDoc } from './models/staff.js';
import { createPushedMenus } from './bots/text-menus.js';
import type { ChannelPlugin, RunningChannel } from './bots/channel.js';
import { CHANNEL_PLUGINS, type ChannelOptions, channelPlugin } from './bots/index.js';

export interface AppOptions {
  /** Configuration as read from the environment; defaults are used for anything not given. */
  config?: Partial<Config>;
  clock?: Clock;
  logger?: Logger;
  /** Where long supplements are kept outside the case document; defaults to DATA_DIR/attachments. */
  attachments?: AttachmentStore;
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
  /** Extra senders (tests record what would be sent); a channel's own sender comes with it. */
  senders?: Sender[];
  /** Run the dispatcher and sweeper loops in this process (default true). Tests drive them by hand. */
  workers?: boolean;
  /** Per-channel options by channel name (the console's terminal, a test's Bot API server, a WeChat puppet). */
  channelOptions?: ChannelOptions;
  /** Delivery rate limits laid over the platforms' (tests of a whole case flow lift them; the limit's own tests keep them). */
  deliveryLimits?: LimitsPolicy;
  /** How long a delivery claim protects a message from other dispatchers (default 30 s); the tests that kill dispatchers shorten it. */
  deliveryLeaseMs?: number;
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
  dispatcher: Dispatcher;
  sweeper: Sweeper;
  conversation: ConversationEngine;
  /** Forms, the period ledger and unit performance. */
  reports: ReportServices;
  reportScheduler: ReportScheduler;
  /** Runs one line of staff command text as `staff` (the channel-neutral staff command module); `where: 'room'` for a staff room. */
  staffCommand(staff: StaffDoc, line: string, idempotencyKey?: string, where?: 'room' | 'private'): Promise<Sayable[]>;
  /** What this instance serves, for the start-up banner. */
  info: { mongodb: string; embedded: boolean; redis: string; channels: ChannelName[] };
  /** Closes every connection, timer and server; the process can then exit by itself. Idempotent. */
  stop(): Promise<void>;
  /** Settles once the app has stopped, whether by `stop()` or because a channel ended (console input closed). */
  stopped: Promise<void>;
}

export async function createApp(options: AppOptions = {}): Promise<App> {
  const config: Config = { ...loadConfig({}), ...options.config } as Config;
  const clock = options.clock ?? (config.CLOCK_START ? startingClock(config.CLOCK_START) : systemClock);
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
    // Validate everything first: a mistake should stop us before any server starts.
    const channels = options.channels ?? config.CHANNELS ?? [];
    const channelOptions = (options.channelOptions ?? {}) as Partial<Record<ChannelName, unknown>>;
    const plugins: ChannelPlugin<ChannelName, unknown>[] = channels.map((c) => {
      const plugin = channelPlugin(c);
      if (!plugin)
        throw new ConfigError('CHANNELS', `the ${c} channel is not part of this version yet; use ${CHANNEL_PLUGINS.map((p) => p.name).join(', ')}, or none for a headless worker`);
      return plugin;
    });
    for (const p of plugins) p.check?.(config, channelOptions[p.name]);
    const directoryData =
      typeof options.directory === 'object' ? options.directory : loadDirectoryFile(options.directory ?? config.DIRECTORY_FILE);
    const overrides =
      typeof options.calendarOverrides === 'object'
        ? options.calendarOverrides
        : loadCalendarOverrides(options.calendarOverrides ?? config.CALENDAR_FILE);
    const officeHours: OfficeHours = { open: config.OFFICE_HOURS.from, close: config.OFFICE_HOURS.to };
    // A notice that leaves out a statutory day or contradicts the package would move every
    // deadline of its week: the same check as `npm run calendar -- check` refuses it here.
    const holidaySource = chineseDaysSource();
    const calendarError = checkCalendar(overrides, holidaySource).errors[0];
    if (calendarError) throw new CalendarConfigError(typeof options.calendarOverrides === 'object' ? 'calendar overrides' : (options.calendarOverrides ?? config.CALENDAR_FILE), 'notices', calendarError);
    const calendar = createWorkCalendar({ overrides, officeHours, source: holidaySource });

    let store: EmbeddedStore | undefined;
    let uri = config.MONGODB_URI;
    const dataDir = options.embeddedDataDir === undefined ? (config.EMBEDDED_IN_MEMORY === '1' ? null : config.DATA_DIR) : options.embeddedDataDir;
    if (!uri) {
      store = await startEmbeddedStore({
        dataDir,
        port: config.EMBEDDED_MONGO_PORT ?? 0,
        compactEveryBytes: config.EMBEDDED_COMPACT_EVERY_BYTES,
        logger: logger.child({ mod: 'store' }),
      });
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

    // Without Redis, dialogues live in this process; beside a durable embedded store they are
    // journaled to its data directory, so a restart resumes them instead of greeting a citizen
    // who was halfway through a report as a stranger.
    const journal = !config.REDIS_URL && store && dataDir ? join(dataDir, 'coordination.jsonl') : undefined;
    const coordination = config.REDIS_URL
      ? await createRedisCoordination({ url: config.REDIS_URL, prefix: config.REDIS_PREFIX, logger: logger.child({ mod: 'redis' }) })
      : createMemoryCoordination({ logger: logger.child({ mod: 'coordination' }), ...(journal ? { journal } : {}) });
    stops.push(() => coordination.close());

    // The dispatcher is created before the services so that a change's messages wake it at once.
    const senders: Sender[] = [...(options.senders ?? [])];
    let dispatcher: Dispatcher | undefined;
    const cases = createCaseServices({
      models,
      directory,
      calendar,
      clock,
      logger: logger.child({ mod: 'cases' }),
      // Long supplements are kept beside the photos the channels keep, outside the case document.
      attachments: options.attachments ?? createFileAttachmentStore(join(config.DATA_DIR, 'attachments')),
      onOutbox: () => dispatcher?.kick(),
    });
    const sites = await directory.sites();
    const site = config.SITE ? await directory.site(config.SITE) : sites[0];

    const menus = createPushedMenus(coordination);
    const conversationEngine = (rateLimit?: TokenBucketLimit, siteCode?: string) => {
      // A deep link may name another site; the dialogue then points to that site's window.
      const reportSite = sites.find((s) => s._id === siteCode) ?? site;
      return createConversationEngine({
        coordination,
        cases,
        directory,
        calendar,
        logger: logger.child({ mod: 'conversation' }),
        site: reportSite._id,
        siteInfo: { name: reportSite.name, ...(reportSite.windowLocation ? { windowLocation: reportSite.windowLocation } : {}) },
        ...(rateLimit ? { rateLimit } : {}),
      });
    };
    const reports = createReportServices({ models, directory, calendar, clock, logger: logger.child({ mod: 'reports' }), ledgerPeriod: config.REPORT_LEDGER_PERIOD });
    const staffCommand = (staff: StaffDoc, line: string, idempotencyKey?: string, where?: 'room' | 'private') =>
      handleStaffText({ cases, directory, calendar, clock, staff, reports, ...(where ? { where } : {}) }, line, { idempotencyKey });

    // Channels exist before the dispatcher (it needs their senders) and start once delivery runs.
    // Each is stopped after the workers (a send in flight finishes on a live client) and even if a later one fails to start.
    const running: RunningChannel[] = [];
    for (const p of plugins) {
      const channel = await p.create(
        { config, clock, logger: logger.child({ mod: p.name }), models, directory, calendar, coordination, cases, sites, site, menus, conversationEngine, staffCommand },
        channelOptions[p.name],
      );
      running.push(channel);
      stops.push(() => channel.stop());
      if (channel.sender) senders.push(channel.sender);
    }

    dispatcher = createDispatcher({
      models,
      coordination,
      senders,
      directory,
      clock,
      logger: logger.child({ mod: 'delivery' }),
      quietHours: { from: config.QUIET_HOURS.from, to: config.QUIET_HOURS.to },
      ...(options.deliveryLimits ? { limits: options.deliveryLimits } : {}),
      ...(options.deliveryLeaseMs ? { leaseMs: options.deliveryLeaseMs } : {}),
    });
    // The operator hears of a missing holiday year in the log, and the staff in their rooms (once a day).
    const now = clock.now();
    for (const w of calendar.startupWarnings(now)) {
      logger.warn(w);
      for (const s of sites)
        await postStaffNotice({ models, directory }, { site: s._id, key: `calendar:${calendar.localDate(now)}:${createHash('sha1').update(w).digest('hex').slice(0, 12)}`, text: `【系统提示】${w}`, reason: 'notice.calendar', now });
    }
    const sweeper = createSweeper({ models, coordination, directory, calendar, clock, logger: logger.child({ mod: 'sweeper' }) });
    const reportScheduler = createReportScheduler({
      models,
      directory,
      calendar,
      clock,
      coordination,
      logger: logger.child({ mod: 'reports' }),
      reports,
      schedule: config.REPORT_SCHEDULE ?? [],
      postAt: config.REPORT_POST_AT ?? '09:00',
    });
    if (options.workers !== false) {
      await dispatcher.start();
      stops.push(() => dispatcher!.stop());
      await sweeper.start();
      stops.push(() => sweeper.stop());
      reportScheduler.start();
      stops.push(() => reportScheduler.stop());
    }

    const conversation = conversationEngine();

    for (const channel of running) {
      await channel.start({ dispatcher });
      // With only one channel on, its end (the console's input closing) is the end of the session.
      if (running.length === 1) void channel.ended?.then(() => stop());
    }

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
      dispatcher,
      sweeper,
      conversation,
      reports,
      reportScheduler,
      staffCommand,
      info: {
        mongodb: store ? `${store.uri} (embedded, ${dataDir ? `data in ${dataDir}` : 'in memory'})` : redactUrl(uri),
        embedded: Boolean(store),
        redis: config.REDIS_URL ? redactUrl(config.REDIS_URL) : `in-memory coordination (single process${journal ? `, kept in ${journal}` : ''})`,
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

export type { Config } from './services/config.js';
export { ConfigError, loadConfig } from './services/config.js';
export type { CaseServices } from './services/cases/index.js';
