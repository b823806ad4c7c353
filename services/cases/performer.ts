// Who is acting on a case, and whether they may. Staff act through their roles (machines/permissions);
// citizens act only on their own cases, through the channel they reported on.
import { type CaseAction, ForbiddenError, authorize } from '../../machines/permissions.js';
import type { Actor, CaseDoc, TransferSlip } from '../../models/case.js';
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
  return doc.transfers.some((t) => slipIsFor(t, staff));
}

/** A slip is a liaison's to act on when it is addressed to their unit, or read by it for a unit without liaisons. */
export const slipIsFor = (t: Pick<TransferSlip, 'unit' | 'readBy'>, staff: StaffDoc): boolean => Boolean(staff.unit && (t.unit === staff.unit || t.readBy === staff.unit));

/** Sections that send slips may enter a unit's answer given by phone or on paper. */
const ENTERS_FOR_UNIT = ['coordination', 'supervision'] as const;

/**
 * The open slip a staff member acts on when they sign for or answer one: as a liaison, only a
 * slip addressed to their own unit; as the section that sends slips, the latest open one (an
 * answer entered on the unit's behalf). Other roles held change nothing: a window clerk who is
 * also the liaison of their own window cannot sign for or answer another unit's slip.
 */
export function slipIndexFor(doc: Pick<CaseDoc, 'transfers' | 'number'>, staff: StaffDoc, action: 'unitAck' | 'unitReply'): number {
  const open = (i: number) => doc.transfers[i].state !== 'replied';
  if (staff.roles.includes('unit_liaison') && staff.unit) {
    for (let i = doc.transfers.length - 1; i >= 0; i--) if (open(i) && slipIsFor(doc.transfers[i], staff)) return i;
  }
  if (action === 'unitReply' && staff.roles.some((r) => (ENTERS_FOR_UNIT as readonly string[]).includes(r))) {
    for (let i = doc.transfers.length - 1; i >= 0; i--) if (open(i)) return i;
    throw new DeskError('conflict', `事项 ${doc.number} 没有待答复的转办单。`);
  }
  if (!doc.transfers.some((_, i) => open(i))) throw new DeskError('conflict', `事项 ${doc.number} 没有待答复的转办单。`);
  throw new DeskError('forbidden', `事项 ${doc.number} 的待办转办单不是发给您所在单位的，不能${action === 'unitAck' ? '签收' : '答复'}。`, { action });
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
  if (isUnitAction) {
    try {
      slipIndexFor(doc, staff, action);
    } catch (e) {
      // No open slip at all is the lifecycle's to explain; acting for the wrong unit is refused here.
      if (!(e instanceof DeskError && e.code === 'forbidden')) {
        /* fall through */
      } else throw e;
    }
  }
  if (!isUnitAction && liaisonOnly) throw new ForbiddenError(action, staff.roles);
  if (staff.site !== doc.site && !staff.roles.includes('admin') && !(isUnitAction && liaisonUnitOnCase(doc, staff))) {
    throw new DeskError('forbidden', `事项 ${doc.number} 属于其他站点（${doc.site}），请由该站点工作人员办理。`, { action });
  }
}
