// A message that will never get through: mark it dead, tell the site's staff room why, and
// record on the case that the person could not be reached (so staff phone instead). The case
// side is one update guarded by an idempotency key, so a dispatcher that crashes half-way and a
// second one that finishes the job produce one alert, not two.
import type { Models } from '../../models/index.js';
import type { MessageDoc, OutboxEntry } from '../../models/message.js';
import type { Clock } from '../clock.js';
import type { Directory } from '../directory/index.js';
import type { Logger } from '../logger.js';
import { deliveryZh } from '../locales/zh/reminders.js';
import type { CaseDoc } from '../../models/case.js';
import { redactFor } from '../privacy.js';
import { replaceIdentifiers } from '../privacy/detector.js';
import { resolveTarget } from '../recipients.js';
import { onlyDuplicates, toMessage } from './relay.js';

export interface DeadLetterDeps {
  models: Models;
  directory: Directory;
  clock: Clock;
  logger: Logger;
}

export const DEAD_LETTER_REASON = 'delivery.dead_letter';

/** The staff-room alerts for one dead message; none when the dead message was itself to that room. */
export async function deadLetterAlerts(deps: DeadLetterDeps, m: MessageDoc, reason: string, now: Date): Promise<OutboxEntry[]> {
  let rooms: Awaited<ReturnType<typeof resolveTarget>> = [];
  try {
    rooms = await resolveTarget(deps.directory, { kind: 'staffRoom', site: m.site });
  } catch (err) {
    deps.logger.error({ err, site: m.site }, 'dead letter: the site has no staff room in the directory; nobody can be alerted');
  }
  const text = deliveryZh.deadLetter({ number: m.caseNumber, channel: m.to.channel, audience: m.audience, reason });
  return rooms
    .filter((r) => !(r.to.channel === m.to.channel && r.to.id === m.to.id))
    .map((r, i) => ({
      _id: `${m._id}:dead:${i + 1}`,
      audience: 'staff' as const,
      to: r.to,
      site: m.site,
      ...(m.caseId ? { caseId: m.caseId } : {}),
      ...(m.caseNumber ? { caseNumber: m.caseNumber } : {}),
      sayable: { kind: 'text' as const, text },
      createdAt: now,
      reason: DEAD_LETTER_REASON,
    }));
}

/**
 * Records the dead letter on the case (or straight into the messages collection when the message
 * belongs to no case), then marks the message dead if this dispatcher still holds its lease.
 * Returns false when the lease had been lost meanwhile.
 */
export async function deadLetter(deps: DeadLetterDeps, m: MessageDoc, rawReason: string, owner: string): Promise<boolean> {
  // A sender's failure text can quote anything (an error echoing the message); it goes to staff rooms.
  const { Case, Message } = deps.models;
  const doc = m.caseId ? await Case.findById(m.caseId, { outbox: 0, appliedKeys: 0 }).lean<CaseDoc>().exec() : null;
  // The same decision as every other output: a staff room (and the log) is a public viewer.
  const reason = doc ? redactFor(doc, { kind: 'public' }, rawReason) : replaceIdentifiers(rawReason, () => '（已隐去）');
  const now = deps.clock.now();
  const alerts = await deadLetterAlerts(deps, m, reason, now);
  const key = `${DEAD_LETTER_REASON}:${m._id}`;
  if (m.caseId) {
    const text =
      m.audience === 'citizen'
        ? deliveryZh.unreachableTimeline({ channel: m.to.channel, reason })
        : deliveryZh.staffUnreachableTimeline({ channel: m.to.channel, reason });
    const update: Record<string, unknown> = {
      $push: {
        appliedKeys: key,
        timeline: { at: now, type: DEAD_LETTER_REASON, actor: { kind: 'system', id: 'system' }, text, public: false },
        ...(alerts.length ? { outbox: { $each: alerts } } : {}),
      },
      // $set rather than $min: a marker left as null by a default would swallow $min.
      ...(alerts.length || m.audience === 'citizen'
        ? {
            $set: {
              ...(alerts.length ? { outboxAt: now } : {}),
              ...(m.audience === 'citizen' ? { citizenUnreachable: { at: now, reason } } : {}),
            },
          }
        : {}),
    };
    await Case.updateOne({ _id: m.caseId, appliedKeys: { $ne: key } }, update);
  } else if (alerts.length) {
    try {
      await Message.insertMany(alerts.map(toMessage), { ordered: false });
    } catch (err) {
      if (!onlyDuplicates(err)) throw err;
    }
  }
  if (!alerts.length) {
    deps.logger.error({ messageId: m._id, channel: m.to.channel, reason }, 'dead letter with no staff room to alert');
  }
  const res = await Message.updateOne(
    { _id: m._id, state: 'sending', leaseOwner: owner },
    {
      $set: { state: 'dead', deadAt: now, lastError: reason, attempts: m.attempts + 1 },
      $unset: { leaseOwner: 1, leaseUntil: 1 },
    },
  );
  deps.logger.warn({ messageId: m._id, caseNumber: m.caseNumber, channel: m.to.channel, reason }, 'message dead-lettered');
  return res.modifiedCount === 1;
}
