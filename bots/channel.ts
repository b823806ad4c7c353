// What a channel is to the desk: a plug-in that translates one platform to the services and back.
// The composition root knows nothing about any platform; it checks each configured channel's
// settings before any server starts, creates it with the desk's parts (so its sender exists
// before the dispatcher that needs it), then starts it once delivery is running.
import type { Models } from '../models/index.js';
import type { Sayable } from '../models/sayable.js';
import type { SiteDoc } from '../models/site.js';
import type { StaffDoc } from '../models/staff.js';
import type { WorkCalendar } from '../services/calendar/index.js';
import type { CaseServices } from '../services/cases/index.js';
import type { Clock } from '../services/clock.js';
import type { ChannelName, Config } from '../services/config.js';
import type { ConversationEngine } from '../services/conversation/index.js';
import type { Coordination, TokenBucketLimit } from '../services/coordination/index.js';
import type { Dispatcher, Sender } from '../services/delivery/index.js';
import type { Directory } from '../services/directory/index.js';
import type { Logger } from '../services/logger.js';
import type { PushedMenus } from './text-menus.js';

/** The desk's parts a channel may use; channels translate, the rules stay in these services. */
export interface ChannelDeps {
  config: Config;
  clock: Clock;
  /** Already scoped to the channel (`mod: <name>`). */
  logger: Logger;
  models: Models;
  directory: Directory;
  calendar: WorkCalendar;
  coordination: Coordination;
  cases: CaseServices;
  /** Every site, and the one this process takes reports for (config.SITE, else the first). */
  sites: SiteDoc[];
  site: SiteDoc;
  /** Menus pushed to citizens by the services, for channels that answer them by typed number. */
  menus: PushedMenus;
  /**
   * A dialogue engine; a channel whose users cannot flood (a local terminal) may raise the limit.
   * Reports are registered at `site` (a code from `sites`; default `site`), e.g. the window whose poster a citizen scanned.
   */
  conversationEngine(rateLimit?: TokenBucketLimit, site?: string): ConversationEngine;
  /**
   * One line of staff command text as `staff`: the one parser every channel shares. `where` is
   * 'room' when the answer is shown in a staff group (no reporter identity in it).
   */
  staffCommand(staff: StaffDoc, line: string, idempotencyKey?: string, where?: 'room' | 'private'): Promise<Sayable[]>;
}

/** What only exists once the desk is running. */
export interface ChannelRuntime {
  dispatcher: Dispatcher;
}

export interface RunningChannel {
  /** Delivers the dispatcher's messages to this channel's addresses; absent for a receive-only channel. */
  sender?: Sender;
  /** Starts receiving (polling, a webhook server, a terminal). */
  start(runtime: ChannelRuntime): Promise<void>;
  /** Stops receiving and releases everything the channel holds. Called once. */
  stop(): Promise<void>;
  /** Settles when the channel ends by itself (the console's input closed); the app then stops if it was the only channel. */
  ended?: Promise<void>;
}

export interface ChannelPlugin<N extends ChannelName = ChannelName, O = unknown> {
  name: N;
  /** Throws ConfigError for a missing or bad setting; runs before any store or server starts. */
  check?(config: Config, options: O | undefined): void;
  create(deps: ChannelDeps, options: O | undefined): Promise<RunningChannel>;
}

/** Keeps the plug-in's name as a literal so per-channel options can be typed by name. */
export const defineChannel = <N extends ChannelName, O>(plugin: ChannelPlugin<N, O>): ChannelPlugin<N, O> => plugin;
