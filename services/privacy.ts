// The reporter-privacy rule of the transfer slip — "nobody may disclose the reporter's name or
// contact to the unit complained about" — enforced here and only here. Every output that a unit
// or a staff member sees (slip, messages, listings, exports, logs) takes the reporter through
// `reporterFor`, and free text through `redactFor`.
import { can } from '../machines/permissions.js';
import type { CaseDoc } from '../models/case.js';
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

/** Units the complaint is about: the involved window/unit (always the subject for irregular service). */
export function subjectUnits(doc: Pick<CaseDoc, 'involvedUnit'>): string[] {
  return doc.involvedUnit ? [doc.involvedUnit] : [];
}

/** A unit may see who reported only when it must contact them and is not what they complained about. */
export function unitMayIdentify(doc: Pick<CaseDoc, 'involvedUnit' | 'category'>, unit: string): boolean {
  if (subjectUnits(doc).includes(unit)) return false;
  return doc.category === 'NOT_STATIONED' || doc.category === 'AUTHORITY_UNCLEAR';
}

function unitIdentityShared(doc: CaseDoc, unit: string): boolean {
  return unitMayIdentify(doc, unit) && doc.transfers.some((t) => t.unit === unit && t.identityShared);
}

export function reporterFor(doc: CaseDoc, viewer: Viewer, opts: { reveal?: boolean } = {}): ReporterView {
  const { name, phone } = doc.reporter;
  if (viewer.kind === 'public') return { visibility: 'hidden' };
  if (viewer.kind === 'unit') {
    return unitIdentityShared(doc, viewer.unit) ? { visibility: 'full', name, phone } : { visibility: 'hidden' };
  }
  const { staff } = viewer;
  if (staff.active === false) return { visibility: 'hidden' };
  // Staff who belong to the unit complained about see nothing, whatever their role.
  if (staff.unit && subjectUnits(doc).includes(staff.unit)) return { visibility: 'hidden' };
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
