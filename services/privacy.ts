// The reporter-privacy rule of the transfer slip — "nobody may disclose the reporter's name or
// contact to the unit complained about" — enforced here and only here. Every output that a unit
// or a staff member sees (slip, messages, listings, exports, logs) takes the reporter through
// `reporterFor`, and free text through `redactFor`; whether a unit may identify the reporter at
// all is `unitMayIdentify` (default deny until 被反映单位 is settled), and every message written
// passes `guardOutgoing` for its recipient.
import { can } from '../machines/permissions.js';
import type { CaseDoc } from '../models/case.js';
import type { Sayable } from '../models/sayable.js';
import type { StaffDoc } from '../models/staff.js';
import { maskName, maskPhone, normalizePhone } from '../models/validation.js';
import { onlyLiaison } from './cases/performer.js';
import { knownReporter, replaceIdentifiers } from './privacy/detector.js';
import { normaliseText } from './privacy/normalise.js';

export type Viewer =
  | { kind: 'staff'; staff: StaffDoc }
  /** A unit's liaisons, reading what is addressed to the unit. */
  | { kind: 'unit'; unit: string }
  /** A staff room or log: anyone might read it, so it gets nothing personal. */
  | { kind: 'public' };

export type ReporterView =
  | { visibility: 'full'; name: string; phone: string }
  | { visibility: 'masked'; name: string; phone: string }
  | { visibility: 'hidden' };

type InvolvementFields = Pick<CaseDoc, 'involvedUnit' | 'involvedUnits' | 'unitsSettled' | 'category'>;

/**
 * The units the case complains about, as a set: `involvedUnits`, plus the single `involvedUnit`
 * of documents written before it was a set (they load as that one-unit set).
 */
export function subjectUnits(doc: Partial<Pick<CaseDoc, 'involvedUnit' | 'involvedUnits'>>): string[] {
  const out = new Set(doc.involvedUnits ?? []);
  if (doc.involvedUnit) out.add(doc.involvedUnit);
  return [...out];
}

/** Staff have answered "被反映单位" (one or more units, or explicitly none). */
export const unitsSettled = (doc: Partial<Pick<CaseDoc, 'unitsSettled'>>): boolean => Boolean(doc.unitsSettled);

/**
 * THE decision: may this unit learn who reported? Only once staff have positively settled which
 * units the case complains about, only for a unit not among them, and only when the unit must
 * contact the citizen itself (未进驻 / 审批主体不明). Default deny: anything else is no.
 */
export function unitMayIdentify(doc: Partial<InvolvementFields>, unit: string): boolean {
  if (!unitsSettled(doc)) return false;
  if (subjectUnits(doc).includes(unit)) return false;
  return doc.category === 'NOT_STATIONED' || doc.category === 'AUTHORITY_UNCLEAR';
}

/**
 * The same decision for what is addressed to `unit` and read by its people: a village or community
 * without liaisons of its own is read by its town's (services/recipients.ts), so a case about the
 * town must not reach the town with identity through a slip to one of its villages.
 */
export function unitReadersMayIdentify(doc: Partial<InvolvementFields>, unit: { _id: string; parent?: string; liaisons: readonly string[] }): boolean {
  if (!unitMayIdentify(doc, unit._id)) return false;
  return unit.liaisons.length > 0 || !unit.parent || unitMayIdentify(doc, unit.parent);
}

/** Identity reaches the unit only when the decision says yes now and a slip to it was issued saying so. */
function unitIdentityShared(doc: CaseDoc, unit: string): boolean {
  return unitMayIdentify(doc, unit) && (doc.transfers ?? []).some((t) => (t.unit === unit || t.readBy === unit) && t.identityShared);
}

export function reporterFor(doc: CaseDoc, viewer: Viewer, opts: { reveal?: boolean } = {}): ReporterView {
  const { name, phone } = doc.reporter;
  if (viewer.kind === 'public') return { visibility: 'hidden' };
  if (viewer.kind === 'unit') {
    return unitIdentityShared(doc, viewer.unit) ? { visibility: 'full', name, phone } : { visibility: 'hidden' };
  }
  const { staff } = viewer;
  if (staff.active === false) return { visibility: 'hidden' };
  // Staff who belong to the unit complained about, or sit at its window (the 办不成事 clerk at
  // 市场准入's counter), see nothing, whatever their role: what reaches them reaches that window.
  const subjects = subjectUnits(doc);
  if ((staff.unit && subjects.includes(staff.unit)) || (staff.seatedAt && subjects.includes(staff.seatedAt))) return { visibility: 'hidden' };
  if (onlyLiaison(staff)) {
    return staff.unit && unitIdentityShared(doc, staff.unit) ? { visibility: 'full', name, phone } : { visibility: 'hidden' };
  }
  if (opts.reveal && can(staff.roles, 'viewFullIdentity')) return { visibility: 'full', name, phone };
  return { visibility: 'masked', name: maskName(name), phone: maskPhone(phone) };
}

/**
 * Removes every identifier of the reporter from free text for viewers who may not identify
 * them: the name becomes 诉求人, contacts disappear. Staff who may see a masked identity keep a
 * masked phone (138****5678); the unit complained about and staff rooms see no digit of it.
 */
export function redactFor(doc: CaseDoc, viewer: Viewer, text: string): string {
  const v = reporterFor(doc, viewer);
  if (v.visibility === 'full') return text;
  return replaceIdentifiers(
    text,
    (hit, written) => {
      if (hit.kind === 'name') return '诉求人';
      if (v.visibility === 'masked' && hit.kind === 'phone') {
        const phone = normalizePhone(normaliseText(written).replace(/[^\d+()]/g, ''));
        if (phone) return maskPhone(phone);
      }
      return HIDDEN_CONTACT;
    },
    knownReporter(doc.reporter),
  );
}

const HIDDEN_CONTACT = '（联系方式已隐去）';

/** How the reporter is written on a line of a listing or message for this viewer. */
export function reporterLabel(v: ReporterView, hiddenText = '（按规定不予显示）'): string {
  return v.visibility === 'hidden' ? hiddenText : `${v.name} ${v.phone}`;
}

/** Who an outgoing message is for, as the outbox resolves it. */
export type Recipient = { kind: 'unit'; unit: string } | { kind: 'staff'; staff?: StaffDoc } | { kind: 'staffRoom' } | { kind: 'reporter' };

/** The viewer a message to `r` is written for: the same decision as every screen and listing. */
export function viewerOfRecipient(r: Recipient): Viewer | null {
  switch (r.kind) {
    case 'unit':
      return { kind: 'unit', unit: r.unit };
    case 'staff':
      return r.staff ? { kind: 'staff', staff: r.staff } : { kind: 'public' };
    case 'staffRoom':
      return { kind: 'public' };
    case 'reporter':
      return null;
  }
}

/**
 * The last gate before anything leaves for someone other than the reporter: every text in the
 * message goes through `redactFor` for that recipient. Services compose messages for their
 * audience already; this makes a mistake in one of them harmless instead of a leak.
 */
export function guardOutgoing<S extends Sayable>(doc: CaseDoc | undefined, r: Recipient, sayable: S): S {
  const viewer = viewerOfRecipient(r);
  if (!doc || !viewer) return sayable;
  const clean = (t: string) => redactFor(doc, viewer, t);
  switch (sayable.kind) {
    case 'text':
      return { ...sayable, text: clean(sayable.text) };
    case 'choices':
      return { ...sayable, text: clean(sayable.text), choices: sayable.choices.map((c) => ({ ...c, label: clean(c.label) })) };
    case 'file':
      // Forms and exports are rendered from views that already applied the rule; a caption is free text.
      return sayable.caption ? { ...sayable, caption: clean(sayable.caption) } : sayable;
  }
  return sayable;
}
