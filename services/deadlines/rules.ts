// Who is reminded of what, and when: a pure function of the case, the time and the calendar, so
// every rule is testable without a database. Moments are office moments: a reminder that falls
// on a night, weekend or holiday waits for the next opening of a working day.
import type { CaseDoc, DeadlineKind } from '../../models/case.js';
import type { WorkCalendar } from '../calendar/index.js';
import { type OpenDeadline, openDeadlines } from './open-deadlines.js';

export type ReminderTarget =
  | { kind: 'dutyOfficer' }
  | { kind: 'role'; role: 'window_clerk' | 'supervision' | 'coordination' }
  | { kind: 'unit'; unit: string }
  | { kind: 'staffRoom' };

export type ReminderText =
  | 'classifyDuty'
  | 'classifySupervision'
  | 'firstFeedbackClerk'
  | 'firstFeedbackDuty'
  | 'unitReplyLiaison'
  | 'unitReplyOverdue'
  | 'followUpClerk'
  | 'followUpOverdue'
  | 'rehandlingSupervision'
  | 'rehandlingOverdue';

export interface ReminderStep {
  /** Recorded in `remindersSent`; the same step always has the same key. */
  key: string;
  deadline: DeadlineKind;
  /** 1 = reminder to the person responsible; 2 and up = escalation. */
  level: number;
  fireAt: Date;
  targets: ReminderTarget[];
  text: ReminderText;
  dueAt: Date;
  provisional: boolean;
  slip?: { number: string; unit: string };
  /** For the daily overdue escalation of a transfer: 1 on the first overdue working day, … */
  day?: number;
}

export interface DueReminder extends ReminderStep {
  /** Keys of earlier steps of the same deadline that were due too and are skipped as stale. */
  supersedes: string[];
}

/** First-feedback reminder this long before the same-day deadline. */
export const FIRST_FEEDBACK_LEAD_MS = 2 * 3_600_000;

const room: ReminderTarget = { kind: 'staffRoom' };
const clerk: ReminderTarget = { kind: 'role', role: 'window_clerk' };
const duty: ReminderTarget = { kind: 'dutyOfficer' };
const supervision: ReminderTarget = { kind: 'role', role: 'supervision' };
const coordination: ReminderTarget = { kind: 'role', role: 'coordination' };

/** Opening of a working day given as 'YYYY-MM-DD'. */
const openingOf = (cal: WorkCalendar, day: string) => cal.nextOpening(new Date(`${day}T00:00:00+08:00`));

/** The steps of one deadline that matter at `now` (past ones and the next one). */
function stepsOf(d: OpenDeadline, c: CaseDoc, now: Date, cal: WorkCalendar): ReminderStep[] {
  const base = { deadline: d.kind, dueAt: d.at, provisional: d.provisional };
  const step = (level: number, fireAt: Date, targets: ReminderTarget[], text: ReminderText): ReminderStep => ({
    ...base,
    key: `${d.id}#${level}`,
    level,
    fireAt: cal.nextOpening(fireAt),
    targets,
    text,
  });
  switch (d.kind) {
    case 'classify':
      return [
        step(1, d.at, [duty], 'classifyDuty'),
        step(2, cal.addOfficeHours(d.at, 1), [supervision, room], 'classifySupervision'),
      ];
    case 'firstFeedback': {
      const early = new Date(Math.max(c.acceptedAt.getTime(), d.at.getTime() - FIRST_FEEDBACK_LEAD_MS));
      return [step(1, early, [clerk], 'firstFeedbackClerk'), step(2, d.at, [duty, room], 'firstFeedbackDuty')];
    }
    case 'followUp':
      return [
        step(1, openingOf(cal, cal.localDate(d.at)), [clerk], 'followUpClerk'),
        step(2, d.at, [clerk, room], 'followUpOverdue'),
      ];
    case 'rehandling':
      return [
        step(1, openingOf(cal, cal.localDate(d.at)), [supervision], 'rehandlingSupervision'),
        step(2, d.at, [supervision, room], 'rehandlingOverdue'),
      ];
    case 'unitReply':
      return unitReplySteps(d, now, cal);
  }
}

/** One working day before: the liaison; overdue: coordination and supervision, once per working day. */
function unitReplySteps(d: OpenDeadline, now: Date, cal: WorkCalendar): ReminderStep[] {
  const slip = d.slip ? { number: d.slip.number, unit: d.slip.unit } : undefined;
  const base = { deadline: d.kind, dueAt: d.at, provisional: d.provisional, ...(slip ? { slip } : {}) };
  const steps: ReminderStep[] = [];
  const before = openingOf(cal, cal.previousWorkingDay(cal.localDate(d.at)));
  // A slip issued with less than a working day to go was its own reminder.
  if (slip && before.getTime() >= (d.slip?.transferredAt.getTime() ?? 0)) {
    steps.push({ ...base, key: `${d.id}#1`, level: 1, fireAt: before, targets: [{ kind: 'unit', unit: slip.unit }], text: 'unitReplyLiaison' });
  }
  const overdue = (day: number, fireAt: Date): ReminderStep => ({
    ...base,
    key: `${d.id}#overdue${day}`,
    level: 1 + day,
    day,
    fireAt,
    targets: [coordination, supervision, room],
    text: 'unitReplyOverdue',
  });
  const first = cal.nextOpening(d.at);
  const today = cal.localDate(now);
  let day = cal.localDate(first);
  let n = 1;
  if (now.getTime() >= first.getTime()) {
    for (let next = cal.nextWorkingDay(day); next <= today; next = cal.nextWorkingDay(day)) {
      day = next;
      n++;
    }
    steps.push(overdue(n, openingOf(cal, day)));
    steps.push(overdue(n + 1, openingOf(cal, cal.nextWorkingDay(day))));
  } else {
    steps.push(overdue(1, first));
  }
  return steps;
}

/** Every step of the case that matters at `now`, grouped by the deadline it belongs to. */
export function reminderSteps(c: CaseDoc, now: Date, calendar: WorkCalendar): ReminderStep[][] {
  return openDeadlines(c).map((d) => stepsOf(d, c, now, calendar));
}

/**
 * The reminders to write now: for each deadline, the highest step that is due and not yet sent
 * (earlier due steps are superseded rather than sent late). Nothing fires outside office hours.
 */
export function dueReminders(c: CaseDoc, now: Date, calendar: WorkCalendar): DueReminder[] {
  if (!calendar.isOfficeOpen(now)) return [];
  const sent = new Set(c.remindersSent ?? []);
  const out: DueReminder[] = [];
  for (const steps of reminderSteps(c, now, calendar)) {
    const due = steps.filter((s) => s.fireAt.getTime() <= now.getTime() && !sent.has(s.key));
    if (!due.length) continue;
    const top = due.reduce((a, b) => (b.level > a.level ? b : a));
    // A lower level never follows a higher one that was already sent.
    if (steps.some((s) => sent.has(s.key) && s.level > top.level)) continue;
    out.push({ ...top, supersedes: due.filter((s) => s !== top).map((s) => s.key) });
  }
  return out;
}

/** The next moment the sweeper must look at the case, given the keys already recorded; null when never. */
export function nextAttentionAt(c: CaseDoc, now: Date, calendar: WorkCalendar, recorded: Iterable<string> = c.remindersSent ?? []): Date | null {
  const done = new Set(recorded);
  let min: number | null = null;
  for (const steps of reminderSteps(c, now, calendar)) {
    const highestDone = Math.max(0, ...steps.filter((s) => done.has(s.key)).map((s) => s.level));
    for (const s of steps) {
      if (done.has(s.key) || s.level < highestDone) continue;
      const t = Math.max(s.fireAt.getTime(), now.getTime() <= s.fireAt.getTime() ? 0 : calendar.nextOpening(now).getTime());
      if (min === null || t < min) min = t;
    }
  }
  return min === null ? null : new Date(min);
}
