// Reminder rules as a pure function of the case, the time and the calendar.
import { Types } from 'mongoose';
import { describe, expect, it } from 'vitest';
import type { CaseDoc } from '../../models/case.js';
import { createWorkCalendar } from '../../services/calendar/index.js';
import { dueReminders, nextAttentionAt } from '../../services/deadlines/rules.js';
import { caseDoc } from '../delivery/harness.js';

const cal = createWorkCalendar();
const sh = (s: string) => new Date(`${s}+08:00`);

/** Accepted Tuesday 24 Nov 2026 10:00; first feedback due that day at close. */
function fresh(over: Partial<CaseDoc> = {}): CaseDoc {
  const accepted = sh('2026-11-24T10:00:00');
  return caseDoc({
    acceptedAt: accepted,
    deadlines: {
      classify: { at: cal.addOfficeHours(accepted, 1), provisional: false },
      firstFeedback: { at: cal.sameDayClose(accepted), provisional: false },
    },
    ...over,
  });
}

describe('dueReminders', () => {
  it('reminds the duty officer once the case has waited one office hour unclassified', () => {
    expect(dueReminders(fresh(), sh('2026-11-24T10:59:00'), cal)).toEqual([]);
    const due = dueReminders(fresh(), sh('2026-11-24T11:00:00'), cal);
    expect(due.map((r) => [r.deadline, r.level, r.targets])).toEqual([['classify', 1, [{ kind: 'dutyOfficer' }]]]);
  });

  it('reminds the window clerk of same-day feedback two hours before close', () => {
    const c = fresh({ deadlines: { firstFeedback: { at: sh('2026-11-24T17:00:00'), provisional: false } }, status: 'handling' });
    expect(dueReminders(c, sh('2026-11-24T14:59:00'), cal)).toEqual([]);
    const [r] = dueReminders(c, sh('2026-11-24T15:00:00'), cal);
    expect(r.text).toBe('firstFeedbackClerk');
  });

  it('never fires at night or on a holiday, even when long overdue', () => {
    const c = fresh();
    expect(dueReminders(c, sh('2026-11-24T21:00:00'), cal)).toEqual([]);
    expect(dueReminders(c, sh('2026-10-03T10:00:00'), cal)).toEqual([]);
  });

  it('sends only the latest step of a deadline when the earlier ones were missed', () => {
    const c = fresh({ deadlines: { firstFeedback: { at: sh('2026-11-24T17:00:00'), provisional: false } }, status: 'handling' });
    const due = dueReminders(c, sh('2026-11-25T09:00:00'), cal);
    expect(due).toHaveLength(1);
    expect(due[0].level).toBe(2);
    expect(due[0].supersedes).toHaveLength(1);
  });

  it('skips reminders already recorded on the case', () => {
    const c = fresh();
    const first = dueReminders(c, sh('2026-11-24T11:00:00'), cal);
    c.remindersSent = first.map((r) => r.key);
    expect(dueReminders(c, sh('2026-11-24T11:30:00'), cal)).toEqual([]);
  });

  it('stops once the deadline is met or the case is closed', () => {
    const met = fresh({ deadlines: { classify: { at: sh('2026-11-24T11:00:00'), provisional: false, metAt: sh('2026-11-24T10:30:00') } }, status: 'handling' });
    expect(dueReminders(met, sh('2026-11-24T12:00:00'), cal)).toEqual([]);
    expect(dueReminders(fresh({ status: 'withdrawn' }), sh('2026-11-24T12:00:00'), cal)).toEqual([]);
  });

  it('escalates an unanswered transfer once per working day, skipping the weekend', () => {
    const c = fresh({
      status: 'transferred',
      deadlines: {},
      transfers: [
        {
          _id: new Types.ObjectId(),
          number: 'X-1',
          unit: 'zjj',
          via: 'coordination',
          requestType: '咨询',
          receivedAt: sh('2026-11-24T10:00:00'),
          transferredAt: sh('2026-11-24T10:30:00'),
          replyDueAt: sh('2026-11-27T17:00:00'),
          replyDueProvisional: false,
          content: '…',
          transferredBy: { kind: 'staff', id: 'liuyang' },
          identityShared: true,
          state: 'issued',
        },
      ],
    });
    const friday = dueReminders(c, sh('2026-11-27T09:00:00'), cal);
    expect(friday.map((r) => r.text)).toEqual(['unitReplyLiaison']);
    const monday = dueReminders(c, sh('2026-11-30T09:00:00'), cal);
    expect(monday.map((r) => [r.text, r.day])).toEqual([['unitReplyOverdue', 1]]);
    c.remindersSent = [...friday, ...monday].flatMap((r) => [r.key, ...r.supersedes]);
    expect(nextAttentionAt(c, sh('2026-11-30T09:00:00'), cal)).toEqual(sh('2026-12-01T09:00:00'));
    expect(dueReminders(c, sh('2026-12-01T09:00:00'), cal).map((r) => r.day)).toEqual([2]);
  });
});

describe('nextAttentionAt', () => {
  it('is the next reminder moment, or the next opening when one is due at night', () => {
    const c = fresh();
    expect(nextAttentionAt(c, sh('2026-11-24T10:00:00'), cal)).toEqual(sh('2026-11-24T11:00:00'));
    expect(nextAttentionAt(c, sh('2026-11-24T22:00:00'), cal)).toEqual(sh('2026-11-25T09:00:00'));
  });
  it('is null when nothing is left to watch', () => {
    expect(nextAttentionAt(fresh({ status: 'archived' }), sh('2026-11-24T10:00:00'), cal)).toBeNull();
  });
});
