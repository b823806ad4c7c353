// Moves the messages a case change wrote into its own `outbox` over to the messages collection,
// where the dispatcher works. Each step is safe to repeat: ids are deterministic, so a copy made
// twice is one message, and the case only forgets exactly the ids that were copied. A crash
// between any two steps leaves at worst entries that the next pass copies again (a no-op).
import type { Types } from 'mongoose';
import type { Models } from '../../models/index.js';
import type { MessageDoc, OutboxEntry } from '../../models/message.js';
import type { Clock } from '../clock.js';
import type { Coordination } from '../coordination/index.js';
import type { Logger } from '../logger.js';

export const WAKE_CHANNEL = 'delivery:wake';

export interface RelayDeps {
  models: Models;
  coordination: Coordination;
  clock: Clock;
  logger: Logger;
}

export interface Relay {
  /** Relays every case with pending outbox entries (up to `limit` cases); returns messages copied. */
  relayOnce(limit?: number): Promise<number>;
  /** Step 1: copy entries into the messages collection (duplicates of earlier copies are fine). */
  copy(entries: OutboxEntry[]): Promise<void>;
  /** Step 2: drop exactly those entries from the case; clear its marker when nothing is left. */
  acknowledge(caseId: Types.ObjectId | string, ids: string[]): Promise<void>;
}

/** What a new message looks like before its first attempt. */
export function toMessage(e: OutboxEntry): MessageDoc {
  const { notBefore, ...rest } = e;
  const due = notBefore && notBefore.getTime() > e.createdAt.getTime() ? notBefore : e.createdAt;
  return { ...rest, state: 'pending', attempts: 0, nextAttemptAt: due };
}

const DUPLICATE_KEY = 11000;

/** True when an insert failed only because some ids were already there: they were copied before. */
export function onlyDuplicates(err: unknown): boolean {
  const e = err as { code?: number; writeErrors?: { code?: number; err?: { code?: number } }[] };
  if (Array.isArray(e.writeErrors) && e.writeErrors.length > 0) {
    return e.writeErrors.every((w) => (w.code ?? w.err?.code) === DUPLICATE_KEY);
  }
  return e.code === DUPLICATE_KEY;
}

export function createRelay(deps: RelayDeps): Relay {
  const { Case, Message } = deps.models;

  async function copy(entries: OutboxEntry[]): Promise<void> {
    if (entries.length === 0) return;
    try {
      await Message.insertMany(entries.map(toMessage), { ordered: false });
    } catch (err) {
      if (!onlyDuplicates(err)) throw err;
    }
  }

  async function acknowledge(caseId: Types.ObjectId | string, ids: string[]): Promise<void> {
    if (ids.length > 0) await Case.updateOne({ _id: caseId }, { $pull: { outbox: { _id: { $in: ids } } } });
    // Conditional on an empty outbox, so an entry pushed meanwhile keeps the marker. The marker
    // is removed rather than nulled: `$min` on a missing field sets it, on null it keeps null.
    await Case.updateOne({ _id: caseId, outbox: { $size: 0 } }, { $unset: { outboxAt: 1 } });
  }

  async function relayOnce(limit = 200): Promise<number> {
    const cases = await Case.find({ outboxAt: { $ne: null } }, { _id: 1, outbox: 1 })
      .sort({ outboxAt: 1 })
      .limit(limit)
      .lean()
      .exec();
    let copied = 0;
    for (const c of cases) {
      const entries = (c.outbox ?? []) as OutboxEntry[];
      await copy(entries);
      await acknowledge(c._id, entries.map((e) => e._id));
      copied += entries.length;
    }
    if (copied > 0) {
      // Redis is a doorbell only: dispatchers also poll, so a lost wake-up costs a poll interval.
      await deps.coordination.publish(WAKE_CHANNEL, String(copied)).catch((err: unknown) => {
        deps.logger.warn({ err }, 'delivery wake-up not published; dispatchers will find the messages by polling');
      });
    }
    return copied;
  }

  return { relayOnce, copy, acknowledge };
}
