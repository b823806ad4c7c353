// Finds cases whose next moment of attention has come (an indexed scan on nextDeadlineAt) and
// writes their reminders and escalations into the case outbox. One sweeper leads at a time
// through a lease in the coordination layer; correctness does not depend on it: each reminder is
// written by one conditional update keyed in `remindersSent`, so overlapping or restarted
// sweepers write it once.
import type { CaseDoc } from '../../models/case.js';
import type { Models } from '../../models/index.js';
import type { OutboxEntry } from '../../models/message.js';
import type { WorkCalendar } from '../calendar/index.js';
import type { Clock } from '../clock.js';
import type { Coordination, Lock } from '../coordination/index.js';
import { type Directory, memoDirectory } from '../directory/index.js';
import type { Logger } from '../logger.js';
import { OutboxBatch } from '../recipients.js';
import { reminderTargets, reminderText } from './render.js';
import { type DueReminder, dueReminders, nextAttentionAt } from './rules.js';

export const SWEEPER_LOCK = 'sweeper:leader';

export interface SweeperOptions {
  models: Models;
  coordination: Coordination;
  directory: Directory;
  calendar: WorkCalendar;
  clock: Clock;
  logger: Logger;
  /** Time between passes of the leader. Default 60 s. */
  intervalMs?: number;
  /** Leadership lease; another sweeper takes over this long after the leader stops renewing. */
  leaseMs?: number;
  /** Cases worked on at once within a pass. Default 8. */
  concurrency?: number;
}

export interface SweepResult {
  /** Cases looked at. */
  scanned: number;
  /** Reminders and escalations written. */
  written: number;
}

export interface Sweeper {
  sweepOnce(): Promise<SweepResult>;
  /** Renews or takes leadership, and sweeps if this sweeper leads; null when another one does. */
  tick(): Promise<SweepResult | null>;
  isLeader(): boolean;
  start(): void;
  stop(): Promise<void>;
}

export function createSweeper(opts: SweeperOptions): Sweeper {
  const { models, coordination, calendar, clock, logger } = opts;
  const { Case } = models;
  const intervalMs = opts.intervalMs ?? 60_000;
  const leaseMs = opts.leaseMs ?? Math.max(3 * intervalMs, 30_000);
  const concurrency = opts.concurrency ?? 8;

  async function entriesFor(r: DueReminder, c: CaseDoc, now: Date, directory: Directory): Promise<OutboxEntry[]> {
    const batch = new OutboxBatch(directory, `${c._id.toString()}:reminder:${r.key}`, {
      site: c.site,
      caseId: c._id.toString(),
      caseNumber: c.number,
      createdAt: now,
    }, c);
    const sayable = await reminderText(r, c, now, calendar, directory);
    const reason = `${r.level === 1 ? 'reminder' : 'escalation'}.${r.deadline}`;
    for (const t of await reminderTargets(r.targets, c, now, directory)) {
      await batch.add(t, sayable, { reason });
    }
    return batch.entries;
  }

  /** One case: write what is due and move its next-attention moment, in a single guarded update. */
  async function visit(c: CaseDoc, now: Date, directory: Directory): Promise<number> {
    const due = dueReminders(c, now, calendar);
    const keys = due.flatMap((r) => [r.key, ...r.supersedes]);
    const entries: OutboxEntry[] = [];
    for (const r of due) {
      const e = await entriesFor(r, c, now, directory);
      if (!e.length) logger.error({ caseNumber: c.number, key: r.key }, 'reminder has nobody to go to; check the directory');
      entries.push(...e);
    }
    const next = nextAttentionAt(c, now, calendar, [...(c.remindersSent ?? []), ...keys]);
    // The version guard drops work computed from a case that changed meanwhile (classified,
    // replied…): the next pass sees the change. remindersSent guards against a second sweeper.
    const filter: Record<string, unknown> = { _id: c._id, version: c.version };
    if (keys.length) filter.remindersSent = { $nin: keys };
    const update: Record<string, unknown> = keys.length
      ? {
          $push: { remindersSent: { $each: keys }, ...(entries.length ? { outbox: { $each: entries } } : {}) },
          // $set, not $min: a marker left null by a schema default would swallow $min.
          $set: { nextDeadlineAt: next, ...(entries.length ? { outboxAt: now } : {}) },
        }
      : { $set: { nextDeadlineAt: next } };
    const res = await Case.updateOne(filter, update);
    return res.modifiedCount === 1 ? due.length : 0;
  }

  async function sweepOnce(): Promise<SweepResult> {
    const now = clock.now();
    let scanned = 0;
    let written = 0;
    const cursor = Case.find({ nextDeadlineAt: { $lte: now } })
      .sort({ nextDeadlineAt: 1 })
      .lean<CaseDoc[]>()
      .cursor();
    const directory = memoDirectory(opts.directory, calendar.localDate);
    const inFlight = new Set<Promise<void>>();
    for await (const c of cursor) {
      scanned++;
      const job = visit(c as CaseDoc, now, directory)
        .then((n) => {
          written += n;
        })
        .catch((err: unknown) => {
          logger.error({ err, caseNumber: (c as CaseDoc).number }, 'sweeper could not process a case; it stays due for the next pass');
        })
        .finally(() => inFlight.delete(job));
      inFlight.add(job);
      if (inFlight.size >= concurrency) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    if (written) logger.info({ scanned, written }, 'deadline sweep wrote reminders');
    return { scanned, written };
  }

  let lock: Lock | null = null;

  async function lead(): Promise<boolean> {
    try {
      if (lock && !(await lock.extend(leaseMs))) lock = null;
      if (!lock) lock = await coordination.acquireLock(SWEEPER_LOCK, leaseMs);
    } catch (err) {
      logger.warn({ err }, 'sweeper cannot reach the coordination store; not sweeping this round');
      lock = null;
    }
    return lock !== null;
  }

  async function tick(): Promise<SweepResult | null> {
    return (await lead()) ? sweepOnce() : null;
  }

  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;
  let stopped = true;

  function schedule(ms: number): void {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tick()
        .catch((err: unknown) => logger.error({ err }, 'sweep failed; retrying next interval'))
        .finally(() => schedule(intervalMs));
    }, ms);
  }

  return {
    sweepOnce,
    tick,
    isLeader: () => lock !== null,
    start() {
      if (!stopped) return;
      stopped = false;
      schedule(0);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      await lock?.release().catch(() => false);
      lock = null;
    },
  };
}
