// What `npm run calendar -- check` reports about the override file: each entered State Council
// notice against the statutory rule and, where chinese-days already has the year, against the
// package. A notice that misses a statutory day or disagrees with the package is an error: its
// dates would move every deadline of that week.
import { weekdayOf } from './civil-date.js';
import type { HolidaySource } from './holiday-source.js';
import { type CalendarOverrides, expandNotice } from './overrides.js';
import { statutoryDays } from './statutory.js';

export interface CalendarCheck {
  errors: string[];
  warnings: string[];
  /** One summary line per notice, for the operator to compare with the notice's "共N天". */
  summary: string[];
}

const list = (days: string[]) => days.map((d) => `"${d}"`).join(', ');

export function checkCalendar(overrides: CalendarOverrides, source: HolidaySource): CalendarCheck {
  const out: CalendarCheck = { errors: [], warnings: [], summary: [] };
  for (const [key, notice] of Object.entries(overrides.notices ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    const year = Number(key);
    const where = `notices["${key}"]`;
    const e = expandNotice(year, notice);
    for (const p of e.problems) out.errors.push(`${where}.${p}`);
    const off = new Set(e.holidays);
    const statutory = statutoryDays(year);
    const missed = statutory.filter((s) => !off.has(s.day));
    if (missed.length) {
      out.errors.push(
        `${where}: statutory days not in "off": ${missed.map((s) => `${s.day} (${s.festival})`).join(', ')}; every notice gives them off`,
      );
    }
    for (const d of e.workdays) {
      const wd = weekdayOf(d);
      if (wd !== 0 && wd !== 6) out.warnings.push(`${where}: make-up working day ${d} is a weekday; notices normally move a Saturday or Sunday`);
    }
    if (source.years.has(year)) {
      const inYear = (s: Iterable<string>) => [...s].filter((d) => d.startsWith(`${year}-`)).sort();
      const diff = (a: string[], b: ReadonlySet<string>) => a.filter((d) => !b.has(d));
      const pkgOff = inYear(source.holidays);
      const pkgWork = inYear(source.workdays);
      const mine = { off: inYear(off), work: inYear(e.workdays) };
      const problems = [
        [diff(mine.off, source.holidays), `off in the notice but not in ${source.name}`],
        [diff(pkgOff, off), `off in ${source.name} but not in the notice`],
        [diff(mine.work, source.workdays), `make-up working days not in ${source.name}`],
        [diff(pkgWork, new Set(e.workdays)), `make-up working days of ${source.name} missing from the notice`],
      ] as const;
      for (const [days, what] of problems) if (days.length) out.errors.push(`${where}: ${what}: ${list(days)}`);
    }
    out.summary.push(
      `${year}: ${e.holidays.length} days off (${statutory.length} statutory), ${e.workdays.length} make-up working days` +
        (source.years.has(year) ? `, compared with ${source.name}` : ''),
    );
  }
  return out;
}
