// Delivers messages from the messages collection through the channels' senders. Any number of
// dispatcher processes may run: a message is claimed with a lease in MongoDB (the only copy of
// delivery state), so each is sent once normally and at most twice if a dispatcher dies between
// sending and recording. Redis carries rate limits and wake-ups only; losing it loses neither.
import { randomUUID } from 'node:crypto';
import type { Models } from '../../models/index.js';
import type { MessageDoc } from '../../models/message.js';
import type { Channel } from '../../models/vocabulary.js';
import type { Clock } from '../clock.js';
import { type Coordination, CoordinationUnavailableError } from '../coordination/index.js';
import type { Directory } from '../directory/index.js';
import type { Logger } from '../logger.js';
import { type BackoffOptions, backoffMs, DEFAULT_BACKOFF } from './backoff.js';
import { deadLetter } from './dead-letter.js';
import { bucketsFor, chatBucket, globalBucket, type Line, type LimitsPolicy, lineOf, mergeLimits, openLinesFilter } from './limits.js';
import { DEFAULT_QUIET_HOURS, type QuietHours, quietHoursEnd } from './quiet-hours.js';
import { createRelay, WAKE_CHANNEL } from './relay.js';
import { type Sender, sendSafely } from './sender.js';

export interface DispatcherOptions {
  models: Models;
  coordination: Coordination;
  senders: Sender[];
  directory: Directory;
  clock: Clock;
  logger: Logger;
  quietHours?: QuietHours;
  /** Per-channel overrides laid over DEFAULT_LIMITS. */
  limits?: LimitsPolicy;
  /** Names this process in leases; unique per dispatcher. */
  owner?: string;
  /** How long a claim protects a message from other dispatchers. Default 30 s. */
  leaseMs?: number;
  /** Failed attempts (not counting rate-limit waits) before a dead letter. Default 8. */
  maxAttempts?: number;
  backoff?: BackoffOptions;
  random?: () => number;
  /** Longest sleep of the background loop between passes. Default 2 s. */
  pollMs?: number;
  /** Messages in flight at once within this dispatcher. Default 4. */
  concurrency?: number;
  /**
   * Longest wait for the channel-wide bucket while holding a claim (and the chat's token).
   * Default 100 ms: the bot-wide bucket refills every ~35 ms, and a longer wait would let the
   * send land closer than the chat's own spacing to the previous one.
   */
  inlineWaitMs?: number;
}

export interface Dispatcher {
  readonly owner: string;
  relayOnce(): Promise<number>;
  /** Claims and handles every message due now; returns how many ended sent or dead. */
  dispatchOnce(): Promise<number>;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Wakes the background loop now (new messages were written). */
  kick(): void;
}

type Outcome = 'sent' | 'dead' | 'later';

/** Shortest wait behind an earlier message of the same chat when nothing wakes the waiter sooner. */
const AHEAD_RECHECK_MS = 1_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The messages to the same chat as this one. */
const sameChat = (m: Pick<MessageDoc, 'to'>): Record<string, unknown> => ({ 'to.id': m.to.id, 'to.channel': m.to.channel, 'to.thread': m.to.thread ?? null });

/**
 * Whether a message keeps its place in its chat's order. Staff rooms do not: their sender posts a
 * case's queued notices together, in the order written, and parking them would split those posts
 * (the room's 20 a minute).
 */
const keepsOrder = (m: Pick<MessageDoc, 'audience'>) => m.audience !== 'staff';

type Ahead = Pick<MessageDoc, '_id' | 'state' | 'nextAttemptAt'>;

export function createDispatcher(opts: DispatcherOptions): Dispatcher {
  const { models, coordination, clock, logger } = opts;
  const { Message } = models;
  const owner = opts.owner ?? `dispatcher:${randomUUID()}`;
  const leaseMs = opts.leaseMs ?? 30_000;
  const maxAttempts = opts.maxAttempts ?? 8;
  const quietHours = opts.quietHours ?? DEFAULT_QUIET_HOURS;
  const limits = mergeLimits(opts.limits);
  const backoff = opts.backoff ?? DEFAULT_BACKOFF;
  const random = opts.random ?? Math.random;
  const pollMs = opts.pollMs ?? 2_000;
  const concurrency = opts.concurrency ?? 4;
  const inlineWaitMs = opts.inlineWaitMs ?? 100;
  const senders = new Map<Channel, Sender>(opts.senders.map((s) => [s.channel, s]));
  const relay = createRelay({ models, coordination, clock, logger });
  /** Lines (sending accounts) whose shared bucket is empty: claiming for them would only churn. Local by design. */
  const pausedUntil = new Map<Line, number>();
  let limiterDownLogged = false;

  const pause = (line: Line, ms: number) => pausedUntil.set(line, Math.max(pausedUntil.get(line) ?? 0, clock.now().getTime() + ms));
  /** The messages whose line is not paused, as a filter; null when every line is. */
  const openLines = (now: number): Record<string, unknown> | null => {
    const whole: Channel[] = [];
    const parts: Record<string, unknown>[] = [];
    for (const c of senders.keys()) {
      const f = openLinesFilter(c, (l) => (pausedUntil.get(l) ?? 0) > now);
      if (f === true) whole.push(c);
      else if (f) parts.push(f);
    }
    const any = [...(whole.length ? [{ 'to.channel': { $in: whole } }] : []), ...parts];
    return any.length === 0 ? null : any.length === 1 ? any[0] : { $or: any };
  };

  async function claim(): Promise<MessageDoc | null> {
    const now = clock.now();
    const open = openLines(now.getTime());
    if (!open) return null;
    return Message.findOneAndUpdate(
      {
        $and: [
          open,
          {
            $or: [
              { state: 'pending', nextAttemptAt: { $lte: now } },
              { state: 'sending', leaseUntil: { $lte: now } },
            ],
          },
        ],
      },
      { $set: { state: 'sending', leaseOwner: owner, leaseUntil: new Date(now.getTime() + leaseMs) }, $unset: { waitingFor: 1 } },
      { sort: { nextAttemptAt: 1 }, returnDocument: 'after' },
    )
      .lean<MessageDoc>()
      .exec();
  }

  /** Gives the message back without spending an attempt (unless `set` says otherwise). */
  async function release(m: MessageDoc, set: Partial<MessageDoc>): Promise<void> {
    await Message.updateOne(
      { _id: m._id, state: 'sending', leaseOwner: owner },
      { $set: { state: 'pending', ...set }, $unset: { leaseOwner: 1, leaseUntil: 1 } },
    );
  }

  /**
   * The earliest message to the same chat that was due before this one and is not yet sent or
   * dead. Sending only the head of each chat keeps the chat's order through retries, back-offs
   * and several dispatchers: once a message passes this check, everything before it has ended.
   */
  async function earlierUnsent(m: MessageDoc): Promise<Ahead | null> {
    const due = m.dueAt ?? m.nextAttemptAt;
    const earlier = { $or: [{ dueAt: { $lt: due } }, { dueAt: due, _id: { $lt: m._id } }] };
    // At night a push to a citizen is held for the morning the moment it is claimed: a reply must
    // not wait behind one that has merely not been claimed yet.
    const held = m.audience === 'citizen' && quietHoursEnd(clock.now(), quietHours) ? [{ $or: [{ audience: { $ne: 'citizen' } }, { reply: true }] }] : [];
    const filter: Record<string, unknown> = { ...sameChat(m), state: { $in: ['pending', 'sending'] }, $and: [earlier, ...held] };
    return Message.findOne(filter, { _id: 1, state: 1, nextAttemptAt: 1 })
      .sort({ dueAt: 1, _id: 1 })
      .lean<Ahead>()
      .exec();
  }

  /** Puts the message back to wait for the one ahead of it; the end of a message in its chat wakes it (wakeWaiters). */
  async function waitBehind(m: MessageDoc, ahead: Ahead): Promise<void> {
    const now = clock.now().getTime();
    // One in flight ends in moments, and its end wakes us; should no wake come (its dispatcher
    // died), look again shortly rather than at its lease's end. One that is backing off holds us
    // until its own retry.
    const until = ahead.state === 'sending' ? now : ahead.nextAttemptAt.getTime();
    await release(m, { nextAttemptAt: new Date(Math.max(until, now + AHEAD_RECHECK_MS)), waitingFor: ahead._id });
    // It may have ended between the check and the release, and then found no one to wake.
    const still = await Message.exists({ _id: ahead._id, state: { $in: ['pending', 'sending'] } });
    if (!still) await wakeWaiters(m);
  }

  /** A message of this chat ended: the ones waiting in it look again now (each re-parks if it is still behind another). */
  async function wakeWaiters(m: Pick<MessageDoc, 'to' | 'audience'>): Promise<void> {
    if (!keepsOrder(m)) return;
    await Message.updateMany({ ...sameChat(m), state: 'pending', waitingFor: { $exists: true } }, { $set: { nextAttemptAt: clock.now() }, $unset: { waitingFor: 1 } });
  }

  /** Takes a token from each bucket the send draws on; the wait when one is empty. */
  async function throttle(m: MessageDoc): Promise<{ waitMs: number; scope: 'chat' | 'global' } | null> {
    // Chat bucket first: when the bot-wide one then refuses, the lost chat token only delays
    // that chat by its own interval, whereas a lost bot-wide token would cost everyone.
    for (const rule of bucketsFor(m.to, limits)) {
      try {
        for (;;) {
          const r = await coordination.takeToken(rule.bucket, rule.limit);
          if (r.allowed) break;
          // The bot-wide bucket refills in tens of milliseconds: waiting with the claim in hand
          // takes the token the moment it exists, where releasing and re-claiming would miss it.
          if (rule.scope === 'global' && r.retryAfterMs <= inlineWaitMs) {
            await sleep(Math.max(1, r.retryAfterMs));
            continue;
          }
          return { waitMs: Math.max(1, r.retryAfterMs), scope: rule.scope };
        }
      } catch (err) {
        if (!(err instanceof CoordinationUnavailableError)) throw err;
        // Without the shared limiter we still deliver; the platform's own 429s slow us down.
        if (!limiterDownLogged) logger.warn({ err }, 'rate limiter unavailable; sending unthrottled until Redis is back');
        limiterDownLogged = true;
        return null;
      }
    }
    limiterDownLogged = false;
    return null;
  }

  async function handle(m: MessageDoc): Promise<Outcome> {
    const now = clock.now();
    if (m.audience === 'citizen' && !m.reply) {
      const end = quietHoursEnd(now, quietHours);
      if (end) {
        // Its place in the chat's order moves to the morning too: a reply sent meanwhile must not
        // wait all night behind it.
        await release(m, { nextAttemptAt: end, dueAt: end });
        return 'later';
      }
    }
    const ahead = keepsOrder(m) ? await earlierUnsent(m) : null;
    if (ahead) {
      await waitBehind(m, ahead);
      return 'later';
    }
    const wait = await throttle(m);
    if (wait) {
      if (wait.scope === 'global') {
        // Keep its place in the queue; stop claiming for this line until the bucket refills.
        pause(lineOf(m.to), wait.waitMs);
        await release(m, {});
      } else {
        await release(m, { nextAttemptAt: new Date(now.getTime() + wait.waitMs) });
      }
      return 'later';
    }
    const sender = senders.get(m.to.channel);
    if (!sender) throw new Error(`No sender for channel ${m.to.channel}; claim() only picks channels with one.`);
    const res = await sendSafely(sender, m.to, m.sayable, { messageId: m._id, reason: m.reason, ...(m.caseNumber ? { caseNumber: m.caseNumber } : {}) });
    const after = clock.now();
    if (res.ok) {
      const done = await Message.updateOne(
        { _id: m._id, state: 'sending', leaseOwner: owner },
        {
          $set: { state: 'sent', sentAt: after, attempts: m.attempts + 1, ...(res.channelMessageId ? { channelMessageId: res.channelMessageId } : {}) },
          $unset: { leaseOwner: 1, leaseUntil: 1, lastError: 1 },
        },
      );
      if (done.modifiedCount !== 1) {
        logger.warn({ messageId: m._id, owner }, 'sent after the lease ran out; another dispatcher may send it again');
      }
      await wakeWaiters(m);
      return 'sent';
    }
    if (res.kind === 'retry_after') {
      const ms = Math.max(1, res.retryAfterMs ?? 1_000);
      const scope = res.scope ?? 'chat';
      await coordination
        .block(scope === 'global' ? globalBucket(lineOf(m.to)) : chatBucket(m.to), ms)
        .catch((err: unknown) => logger.warn({ err }, 'could not share retry_after through Redis'));
      if (scope === 'global') pause(lineOf(m.to), ms);
      await release(m, { nextAttemptAt: new Date(after.getTime() + ms), lastError: res.reason });
      return 'later';
    }
    const attempts = m.attempts + 1;
    if (res.kind === 'permanent' || attempts >= maxAttempts) {
      const reason = res.kind === 'permanent' ? res.reason : `${res.reason}（已尝试 ${attempts} 次）`;
      await deadLetter({ models, directory: opts.directory, clock, logger }, m, reason, owner);
      await wakeWaiters(m);
      return 'dead';
    }
    await release(m, {
      attempts,
      lastError: res.reason,
      nextAttemptAt: new Date(after.getTime() + backoffMs(attempts, backoff, random)),
    });
    logger.info({ messageId: m._id, attempts, reason: res.reason }, 'send failed; will retry');
    return 'later';
  }

  async function worker(): Promise<number> {
    let finished = 0;
    for (;;) {
      const m = await claim();
      if (!m) return finished;
      const outcome = await handle(m);
      if (outcome !== 'later') finished++;
    }
  }

  async function dispatchOnce(): Promise<number> {
    const counts = await Promise.all(Array.from({ length: concurrency }, () => worker()));
    return counts.reduce((a, b) => a + b, 0);
  }

  /** How long the loop may sleep: until the next message or paused channel is due, at most pollMs. */
  async function idleMs(): Promise<number> {
    const now = clock.now().getTime();
    let until = now + pollMs;
    for (const t of pausedUntil.values()) if (t > now) until = Math.min(until, t);
    // Only lines not paused: a backlog on a paused line is not a reason to spin.
    const open = openLines(now);
    const next = open
      ? await Message.findOne({ $and: [open, { state: 'pending' }] }, { nextAttemptAt: 1 })
          .sort({ nextAttemptAt: 1 })
          .lean()
          .exec()
      : null;
    if (next) until = Math.min(until, next.nextAttemptAt.getTime());
    // A claim of a dispatcher that died comes back when its lease runs out, and with it the
    // chat's later messages waiting behind it: wake for that rather than a poll later.
    const orphan = open
      ? await Message.findOne({ $and: [open, { state: 'sending', leaseUntil: { $gt: new Date(now) } }] }, { leaseUntil: 1 })
          .sort({ leaseUntil: 1 })
          .lean()
          .exec()
      : null;
    if (orphan?.leaseUntil) until = Math.min(until, orphan.leaseUntil.getTime());
    return Math.max(0, until - now);
  }

  let running = false;
  let loop: Promise<void> | null = null;
  let wake: (() => void) | null = null;
  let kicked = false;
  let unsubscribe: (() => Promise<void>) | null = null;

  function kick(): void {
    kicked = true;
    wake?.();
  }

  async function runLoop(): Promise<void> {
    while (running) {
      kicked = false;
      let sleep = pollMs;
      try {
        await relay.relayOnce();
        await dispatchOnce();
        sleep = await idleMs();
      } catch (err) {
        logger.error({ err, owner }, 'dispatcher pass failed; retrying after the poll interval');
      }
      if (!running || kicked || sleep === 0) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, sleep);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
    }
  }

  return {
    owner,
    relayOnce: () => relay.relayOnce(),
    dispatchOnce,
    kick,
    async start() {
      if (running) return;
      running = true;
      unsubscribe = await coordination.subscribe(WAKE_CHANNEL, () => kick()).catch((err: unknown) => {
        logger.warn({ err }, 'no wake-ups from Redis; the dispatcher polls every %d ms instead', pollMs);
        return null;
      });
      loop = runLoop();
    },
    async stop() {
      running = false;
      wake?.();
      await loop;
      loop = null;
      await unsubscribe?.().catch(() => undefined);
      unsubscribe = null;
    },
  };
}
