// The calendar's public shapes. Deadline is stored on cases as-is, so it stays plain JSON data.
import type { OfficeHours } from './office-hours.js';

export type YearStatus = 'published' | 'override' | 'missing';

export interface Deadline {
  at: Date;
  /** True when a year the count passed through has no published schedule: the date may move. */
  provisional: boolean;
  /** The years without a schedule, for the staff view's note and the operator's warning. */
  missingYears: number[];
}

export interface WorkingDuration {
  /** Office time only, in milliseconds. */
  ms: number;
  /** Whole office-length working days in `ms`. */
  days: number;
  /** Whole hours of office time left over after `days`. */
  hours: number;
}

export interface AcceptanceStart {
  /** When the SLA clock starts: the report's own time if the office is open, else the next opening. */
  at: Date;
  /** The report arrived outside office hours; tell the citizen when it is taken up. */
  deferred: boolean;
  /** The next opening was chosen inside a year without a published schedule. */
  provisional: boolean;
}

export interface WorkCalendar {
  officeHours: OfficeHours;
  /** Whether `day` ('YYYY-MM-DD', Asia/Shanghai) is a working day. */
  isWorkingDay(day: string): boolean;
  /** The Asia/Shanghai calendar date of `t`. */
  localDate(t: Date): string;
  /** Open means: a working day, at or after opening and before closing. */
  isOfficeOpen(t: Date): boolean;
  /** `t` itself when the office is open, else the next opening. */
  nextOpening(t: Date): Date;
  acceptanceStart(t: Date): AcceptanceStart;
  /** Office close of `t`'s calendar day: the 'same day' first-feedback deadline. */
  sameDayClose(t: Date): Date;
  /** Office close of the n-th working day after `t`'s calendar date (n = 0: close of that date). */
  addWorkingDays(t: Date, n: number): Deadline;
  /** The instant `hours` of office time after `t` (counting from the next opening when closed). */
  addOfficeHours(t: Date, hours: number): Date;
  /** Office time in [from, to); zero when `to` is not after `from`. */
  workingTimeBetween(from: Date, to: Date): WorkingDuration;
  /** Office close of the last working day before `deadline`'s calendar date. */
  previousWorkingDayClose(deadline: Date): Date;
  /** The first working day after `day`. */
  nextWorkingDay(day: string): string;
  /** The last working day before `day`. */
  previousWorkingDay(day: string): string;
  yearStatus(year: number): YearStatus;
  /** Years between `from` and `to` (inclusive, Asia/Shanghai) that have no schedule. */
  missingYears(from: Date, to: Date): number[];
  /** Chinese sentences for the operator and the staff channel, one per missing year within ~400 days. */
  startupWarnings(now: Date): string[];
}
