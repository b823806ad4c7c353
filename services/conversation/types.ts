// The engine's vocabulary: what a channel hands in, what the engine is built from.
import type { IntakeEvent } from '../../machines/intake/index.js';
import type { Locale } from '../../models/vocabulary.js';
import type { WorkCalendar } from '../calendar/index.js';
import type { CaseServices } from '../cases/index.js';
import type { TokenBucketLimit } from '../coordination/index.js';
import type { Coordination } from '../coordination/index.js';
import type { Directory } from '../directory/index.js';
import type { Logger } from '../logger.js';

/** What a citizen can do in a chat. Result events (submitted, progressResult, …) come from the engine only. */
export type CitizenEvent = Extract<IntakeEvent, { type: 'text' | 'choice' | 'attachment' | 'unsupported' | 'command' }>;
export const CITIZEN_EVENT_TYPES: readonly CitizenEvent['type'][] = ['text', 'choice', 'attachment', 'unsupported', 'command'];

export type ConversationInput = CitizenEvent & {
  /** The platform's id of this update (Telegram update_id, WeChat message id): a redelivery is ignored. */
  updateId?: string;
  /** The citizen's language as the platform reports it; used when a new dialogue starts. */
  locale?: Locale;
};

/** The case services the engine performs the dialogue's effects through. */
export type ConversationCases = Pick<CaseServices, 'register' | 'addSupplement' | 'followUp' | 'followUpComment' | 'progress' | 'myCases' | 'flagAgitated' | 'withdraw'>;

export interface ConversationEngineOptions {
  coordination: Coordination;
  cases: ConversationCases;
  /** To turn the unit the citizen named into a directory unit code (the privacy rule keys on it). */
  directory: Pick<Directory, 'units'>;
  calendar: Pick<WorkCalendar, 'addWorkingDays' | 'missingYears'>;
  logger: Logger;
  /** Site code that reports from this engine's chats are registered at. */
  site: string;
  /** The site's name and where its window is, for the copy that sends a citizen there in person. */
  siteInfo?: { name: string; windowLocation?: string };
  /** How long an idle dialogue is kept. Default 7 days. */
  snapshotTtlMs?: number;
  /** How long the engine remembers that a chat had a dialogue, to say "it expired" instead of "welcome". Default 365 days. */
  knownTtlMs?: number;
  /**
   * Lease of the per-chat lock; renewed while a turn waits on an effect. Default 5 s: a process
   * that dies holding a chat blocks it that long at most.
   */
  lockLeaseMs?: number;
  /** How long an update waits for the chat's previous update to finish. Default 10 s. */
  lockWaitMs?: number;
  /** Per-chat token bucket. Default DEFAULT_CHAT_RATE: bursts of 20, then one message a second. */
  rateLimit?: TokenBucketLimit;
  /** How long a message beyond the burst may wait its turn before it is refused as a flood. Default 15 s. */
  burstQueueMs?: number;
  /** Desk-wide bucket of submissions from chats, against mass filing. Default: 300 at once, then one a second. */
  submissionLimit?: TokenBucketLimit;
}
