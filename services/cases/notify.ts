// Who hears about a change, in words each audience may read. Staff rooms never get reporter
// identity (anyone from a stationed window may sit in them); units get text through the privacy rule.
import type { CaseDoc } from '../../models/case.js';
import type { Choice, Sayable } from '../../models/sayable.js';
import type { Role } from '../../models/vocabulary.js';
import type { Directory } from '../directory/index.js';
import { formatZhDateTime } from '../calendar/index.js';
import { PROVISIONAL_EN, citizenEn } from '../locales/en/cases.js';
import { PROVISIONAL_ZH, citizenZh } from '../locales/zh/cases.js';
import { redactFor } from '../privacy.js';
import type { OutboxBatch } from '../recipients.js';

export const citizenCopy = (doc: Pick<CaseDoc, 'reporter'>) => (doc.reporter.locale === 'en' ? citizenEn : citizenZh);

/** A deadline as the citizen reads it: the date, and when it may still move, that it may. */
export const citizenDue = (doc: Pick<CaseDoc, 'reporter'>, due: { at: Date; provisional: boolean }) =>
  `${formatZhDateTime(due.at)}${due.provisional ? (doc.reporter.locale === 'en' ? PROVISIONAL_EN : PROVISIONAL_ZH) : ''}`;

export const say = (text: string): Sayable => ({ kind: 'text', text });
export const ask = (text: string, choices: Choice[]): Sayable => ({ kind: 'choices', text, choices });

/**
 * Staff-facing text quotes what citizens and staff typed (the matter, a comment, a result), and
 * a staff room may hold people from the unit complained about: such text never carries the
 * reporter's name or any phone number. Staff look the reporter up with a command, by role.
 */
const forStaff = (doc: CaseDoc, text: string) => redactFor(doc, { kind: 'public' }, text);

export function toRoom(batch: OutboxBatch, doc: CaseDoc, text: string, reason: string) {
  return batch.add({ kind: 'staffRoom', site: doc.site }, say(forStaff(doc, text)), { reason });
}

export async function toRole(batch: OutboxBatch, directory: Directory, doc: CaseDoc, role: Role, text: string, reason: string) {
  for (const s of await directory.staffWithRole(doc.site, role))
    await batch.add({ kind: 'staff', staff: s }, say(forStaff(doc, text)), { reason });
}

/** Pushes to the reporter when they reported through a chat channel; `reply` marks an answer to what they just did. */
export function toReporter(batch: OutboxBatch, doc: CaseDoc, message: Sayable, reason: string, reply = false) {
  if (!doc.reporter.identity) return Promise.resolve(0);
  return batch.add({ kind: 'reporter', identity: doc.reporter.identity }, message, { reason, reply });
}
