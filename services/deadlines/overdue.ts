// How late a case is, for every staff query and listing: each open deadline already passed, with
// the office time since (working days and hours on the case-core calendar).
import type { CaseDoc, DeadlineKind } from '../../models/case.js';
import type { WorkCalendar } from '../calendar/index.js';
import { DEADLINE_KIND_ZH, overdueZh } from '../locales/zh/reminders.js';
import { openDeadlines } from './open-deadlines.js';

export interface Overdue {
  kind: DeadlineKind;
  dueAt: Date;
  by: { days: number; hours: number };
  /** The deadline was counted through a year without a published holiday schedule. */
  provisional: boolean;
  /** The transfer slip, for a unit's reply. */
  slip?: string;
}

export function overdueOf(c: CaseDoc, now: Date, calendar: WorkCalendar): Overdue[] {
  return openDeadlines(c)
    .filter((d) => d.at.getTime() < now.getTime())
    .sort((a, b) => a.at.getTime() - b.at.getTime())
    .map((d) => {
      const { days, hours } = calendar.workingTimeBetween(d.at, now);
      return {
        kind: d.kind,
        dueAt: d.at,
        by: { days, hours },
        provisional: d.provisional,
        ...(d.slip ? { slip: d.slip.number } : {}),
      };
    });
}

/** '回访超期 1 个工作日 3 小时；单位答复（转办单 …-1）超期 2 小时' — empty when nothing is late. */
export function formatOverdueZh(items: Overdue[]): string {
  return items
    .map((o) => `${DEADLINE_KIND_ZH[o.kind]}${o.slip ? `（转办单 ${o.slip}）` : ''}${overdueZh(o.by)}${o.provisional ? '（暂定）' : ''}`)
    .join('；');
}

/**
 * A query for cases with some deadline already passed. `nextDeadlineAt` cannot serve: the sweeper
 * moves it to the next reminder, which for a case overdue and fully escalated is later or none.
 * Cases on the default classify deadline (no `deadlines.classify`) are matched by status.
 */
export function overdueFilter(now: Date): Record<string, unknown> {
  const open = (kind: string) => ({ [`deadlines.${kind}.at`]: { $lt: now }, [`deadlines.${kind}.metAt`]: null });
  return {
    $or: [
      open('classify'),
      open('firstFeedback'),
      open('followUp'),
      open('rehandling'),
      { transfers: { $elemMatch: { state: { $ne: 'replied' }, replyDueAt: { $lt: now } } } },
      { status: 'registered', 'deadlines.classify': null, acceptedAt: { $lt: now } },
    ],
  };
}

/** The same shape under the name the case queries first used. */
export type OverdueItem = Overdue;

export { overdueZh };
