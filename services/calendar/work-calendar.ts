// Working-day and office-time arithmetic for deadlines. A day is a working day by, in order:
// the operator's single-day overrides, the statutory days of the 放假办法 (computed for every
// year), the State Council notices entered in the override file, the published schedule
// (chinese-days), then Monday–Friday. A year with neither a notice nor published data still gets
// its statutory days right; only its 调休 is unknown, and every answer that passes through it
// says so (provisional / missingYears) instead of pretending to be exact.
import {
  addDays,
  DAY_MS,
  isValidDay,
  shanghaiDay,
  shanghaiInstant,
  shanghaiMinuteOfDay,
  weekdayOf,
  yearOf,
} from './civil-date.js';
import { chineseDaysSource, type HolidaySource } from './holiday-source.js';
import { DEFAULT_OFFICE_HOURS, type OfficeHours, officeWindow } from './office-hours.js';
import { type CalendarOverrides, expandNotice } from './overrides.js';
import { statutoryFestival } from './statutory.js';
import type { AcceptanceStart, Deadline, WorkCalendar, WorkingDuration, YearStatus } from './types.js';
import { missingYearWarning } from './warnings.js';

/**
 * How far ahead start-up looks for years without a 调休 schedule: the longest run of clocks a
 * case accepted today can open (a slip's 3 days, the 5-day follow-up from the unit's result, a
 * dissatisfied round's 2 days, again), with a Spring Festival week inside. A year further out
 * touches no deadline yet, so naming it would only teach people to ignore the warning.
 */
export const WARNING_HORIZON_DAYS = 60;

/** No real schedule has a year-long break; more means the override file marks everything off. */
const MAX_DAYS_WITHOUT_WORK = 366;

export interface WorkCalendarOptions {
  overrides?: CalendarOverrides;
  officeHours?: OfficeHours;
  /** The only zone the desk serves; fixed +08:00 arithmetic depends on it. */
  timeZone?: 'Asia/Shanghai';
  /** The published schedule; defaults to the chinese-days package data. */
  source?: HolidaySource;
}

/** Raised when the calendar has no working day for a whole year from some date. */
export class NoWorkingDayError extends Error {
  constructor(readonly from: string) {
    super(
      `No working day within ${MAX_DAYS_WITHOUT_WORK} days from ${from}: the calendar override file marks them all as holidays. ` +
        'Check the "holidays" list in config/calendar.json.',
    );
    this.name = 'NoWorkingDayError';
  }
}

export function createWorkCalendar(opts: WorkCalendarOptions = {}): WorkCalendar {
  const officeHours = { ...(opts.officeHours ?? DEFAULT_OFFICE_HOURS) };
  const { openMin, closeMin, lengthMs } = officeWindow(officeHours);
  const source = opts.source ?? chineseDaysSource();
  const offDays = new Set(opts.overrides?.holidays ?? []);
  const onDays = new Set(opts.overrides?.workdays ?? []);
  const declaredYears = new Set(opts.overrides?.years ?? []);
  const noticeOff = new Set<string>();
  const noticeOn = new Set<string>();
  const noticeYears = new Set<number>();
  for (const [y, n] of Object.entries(opts.overrides?.notices ?? {})) {
    const e = expandNotice(Number(y), n);
    for (const d of e.holidays) noticeOff.add(d);
    for (const d of e.workdays) noticeOn.add(d);
    noticeYears.add(Number(y));
  }

  function isWorkingDay(day: string): boolean {
    if (!isValidDay(day)) {
      throw new RangeError(`isWorkingDay("${day}"): expected a date as YYYY-MM-DD, e.g. "2026-10-08".`);
    }
    if (offDays.has(day)) return false;
    if (onDays.has(day)) return true;
    if (statutoryFestival(day)) return false;
    if (noticeOff.has(day)) return false;
    if (noticeOn.has(day)) return true;
    if (source.holidays.has(day)) return false;
    if (source.workdays.has(day)) return true;
    const wd = weekdayOf(day);
    return wd >= 1 && wd <= 5;
  }

  function step(day: string, dir: 1 | -1): string {
    let d = day;
    for (let i = 0; i < MAX_DAYS_WITHOUT_WORK; i++) {
      d = addDays(d, dir);
      if (isWorkingDay(d)) return d;
    }
    throw new NoWorkingDayError(day);
  }
  const nextWorkingDay = (day: string) => step(day, 1);
  const previousWorkingDay = (day: string) => step(day, -1);

  const opening = (day: string) => shanghaiInstant(day, openMin);
  const closing = (day: string) => shanghaiInstant(day, closeMin);

  function isOfficeOpen(t: Date): boolean {
    const min = shanghaiMinuteOfDay(t);
    return min >= openMin && min < closeMin && isWorkingDay(shanghaiDay(t));
  }

  function nextOpening(t: Date): Date {
    const day = shanghaiDay(t);
    if (isWorkingDay(day)) {
      const min = shanghaiMinuteOfDay(t);
      if (min < openMin) return opening(day);
      if (min < closeMin) return t;
    }
    return opening(nextWorkingDay(day));
  }

  function yearStatus(year: number): YearStatus {
    if (source.years.has(year)) return 'published';
    if (declaredYears.has(year) || noticeYears.has(year)) return 'override';
    return 'missing';
  }

  function missingYears(from: Date, to: Date): number[] {
    const a = yearOf(shanghaiDay(from));
    const b = yearOf(shanghaiDay(to));
    const out: number[] = [];
    for (let y = Math.min(a, b); y <= Math.max(a, b); y++) if (yearStatus(y) === 'missing') out.push(y);
    return out;
  }

  function acceptanceStart(t: Date): AcceptanceStart {
    const at = nextOpening(t);
    return { at, deferred: at.getTime() !== t.getTime(), provisional: missingYears(t, at).length > 0 };
  }

  function addWorkingDays(t: Date, n: number): Deadline {
    if (!Number.isInteger(n) || n < 0) {
      throw new RangeError(`addWorkingDays: n must be a whole number of working days, 0 or more; got ${n}.`);
    }
    let day = shanghaiDay(t);
    for (let i = 0; i < n; i++) day = nextWorkingDay(day);
    const at = closing(day);
    const missing = missingYears(t, at);
    return { at, provisional: missing.length > 0, missingYears: missing };
  }

  function addOfficeHours(t: Date, hours: number): Date {
    if (!Number.isFinite(hours) || hours < 0) {
      throw new RangeError(`addOfficeHours: hours must be a finite number, 0 or more; got ${hours}.`);
    }
    let remaining = Math.round(hours * 3_600_000);
    let cur = nextOpening(t);
    for (;;) {
      const day = shanghaiDay(cur);
      const available = closing(day).getTime() - cur.getTime();
      if (remaining <= available) return new Date(cur.getTime() + remaining);
      remaining -= available;
      cur = opening(nextWorkingDay(day));
    }
  }

  function workingTimeBetween(from: Date, to: Date): WorkingDuration {
    let ms = 0;
    if (to.getTime() > from.getTime()) {
      const last = shanghaiDay(to);
      for (let day = shanghaiDay(from); day <= last; day = addDays(day, 1)) {
        if (!isWorkingDay(day)) continue;
        const s = Math.max(from.getTime(), opening(day).getTime());
        const e = Math.min(to.getTime(), closing(day).getTime());
        if (e > s) ms += e - s;
      }
    }
    const days = Math.floor(ms / lengthMs);
    const hours = Math.floor((ms - days * lengthMs) / 3_600_000);
    return { ms, days, hours };
  }

  function startupWarnings(now: Date): string[] {
    const today = shanghaiDay(now);
    const horizon = new Date(now.getTime() + WARNING_HORIZON_DAYS * DAY_MS);
    const nowYear = yearOf(today);
    const nowMonth = Number(today.slice(5, 7));
    const warnings = missingYears(now, horizon).map((y) => missingYearWarning(y, nowYear, nowMonth));
    // Every State Council notice gives 元旦 off, so a declared year with no holiday at all is
    // almost surely a year whose dates were never typed in.
    for (const y of [...declaredYears].sort((a, b) => a - b)) {
      if (source.years.has(y)) continue;
      if (![...offDays].some((d) => d.startsWith(`${y}-`))) {
        warnings.push(
          `config/calendar.json 在 years 中声明${y}年安排已完整，但 holidays 中没有任何${y}年的日期；` +
            `请按国务院办公厅通知补录，否则${y}年的期限会按普通周末计算且不再标为“暂定”。`,
        );
      }
    }
    return warnings;
  }

  return {
    officeHours,
    isWorkingDay,
    localDate: shanghaiDay,
    isOfficeOpen,
    nextOpening,
    acceptanceStart,
    sameDayClose: (t) => closing(shanghaiDay(t)),
    addWorkingDays,
    addOfficeHours,
    workingTimeBetween,
    previousWorkingDayClose: (deadline) => closing(previousWorkingDay(shanghaiDay(deadline))),
    nextWorkingDay,
    previousWorkingDay,
    yearStatus,
    missingYears,
    startupWarnings,
  };
}
