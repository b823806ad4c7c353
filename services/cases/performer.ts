// Who is acting on a case, and whether they may. Staff act through their roles (machines/permissions);
// citizens act only on their own cases, through the channel they reported on.
import { type CaseAction, ForbiddenError, authorize } from '../../machines/permissions.js';
import type { Actor, CaseDoc } from '../../models/case.js';
import type { StaffDoc } from '../../models/staff.js';
import type { ChannelIdentity } from '../../models/vocabulary.js';
import { DeskError } from '../errors.js';

export type Performer =
  | { kind: 'staff'; staff: StaffDoc }
  | { kind: 'citizen'; identity: ChannelIdentity }
  | { kind: 'system' };

/** The actions a reporter may take on their own case. */
const CITIZEN_ACTIONS: readonly CaseAction[] = ['withdraw', 'followUp'];

export function actorOf(p: Performer): Actor {
  switch (p.kind) {
    case 'staff':
      return { kind: 'staff', id: p.staff._id, label: p.staff.name };
    case 'citizen':
      return { kind: 'citizen', id: 'reporter', label: '诉求人' };
    case 'system':
      return { kind: 'system', id: 'system', label: '系统' };
  }
}

export const isReporter = (doc: Pick<CaseDoc, 'reporter'>, identity: ChannelIdentity): boolean =>
  doc.reporter.identity?.channel === identity.channel && doc.reporter.identity?.id === String(identity.id);

/** A unit liaison and nothing else: acts for their unit only, on cases transferred to it. */
export const onlyLiaison = (staff: Pick<StaffDoc, 'roles'>): boolean => staff.roles.every((r) => r === 'unit_liaison');

/** The unit a liaison acts for may only touch cases transferred to it. */
export function liaisonUnitOnCase(doc: CaseDoc, staff: StaffDoc): boolean {
  return Boolean(staff.unit && doc.transfers.some((t) => t.unit === staff.unit));
}

/** Throws a readable refusal unless `p` may do `action` on `doc`. */
export function authorizeOn(doc: CaseDoc, p: Performer, action: CaseAction): void {
  if (p.kind === 'system') return;
  if (p.kind === 'citizen') {
    if (!isReporter(doc, p.identity)) throw new DeskError('forbidden', `您无权查看或操作事项 ${doc.number}。`, { action });
    if (!CITIZEN_ACTIONS.includes(action)) throw new DeskError('forbidden', '这一步需要窗口工作人员办理。', { action });
    return;
  }
  const { staff } = p;
  // Removed from the directory means removed from every case, whatever roles the record still lists.
  if (staff.active === false) throw new DeskError('forbidden', `${staff.name} 已不在工作人员名录中，不能办理事项 ${doc.number}。`, { action });
  authorize(staff.roles, action, { category: doc.lifecycle.category });
  const isUnitAction = action === 'unitAck' || action === 'unitReply';
  const liaisonOnly = onlyLiaison(staff);
  if (isUnitAction && liaisonOnly && !liaisonUnitOnCase(doc, staff)) {
    throw new DeskError('forbidden', `事项 ${doc.number} 没有转办给您所在的单位，不能签收或答复。`, { action });
  }
  if (!isUnitAction && liaisonOnly) throw new ForbiddenError(action, staff.roles);
  if (staff.site !== doc.site && !staff.roles.includes('admin') && !(isUnitAction && liaisonUnitOnCase(doc, staff))) {
    throw new DeskError('forbidden', `事项 ${doc.number} 属于其他站点（${doc.site}），请由该站点工作人员办理。`, { action });
  }
}
