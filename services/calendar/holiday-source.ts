// Where the published statutory schedule comes from. The default reads chinese-days' JSON data
// (dates as plain 'YYYY-MM-DD' keys) rather than calling its functions, which parse dates in the
// server's local time zone and misclassify days on a server west of UTC.
import { z } from 'zod';
import data from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import pkg from 'chinese-days/package.json' with { type: 'json' };

/** A published holiday schedule: days off, make-up working days, and the years it covers. */
export interface HolidaySource {
  /** Shown in warnings, e.g. 'chinese-days 1.5.7'. */
  name: string;
  /** Statutory days off (weekdays and weekend days alike). */
  holidays: ReadonlySet<string>;
  /** Make-up working days (调休上班), usually a Saturday or Sunday. */
  workdays: ReadonlySet<string>;
  /** Years whose State Council schedule the source carries in full. */
  years: ReadonlySet<number>;
}

const dayMap = z.record(z.string().regex(/^\d{4}-\d{2}-\d{2}$/), z.string());
const packageData = z.object({ holidays: dayMap, workdays: dayMap });

/** Thrown when an update of chinese-days changes its data layout; the desk must not guess. */
export class HolidayDataError extends Error {
  constructor(detail: string) {
    super(
      `chinese-days data is not in the expected {holidays, workdays} day-map layout (${detail}). ` +
        'Pin the last working chinese-days version in package.json or adapt services/calendar/holiday-source.ts.',
    );
    this.name = 'HolidayDataError';
  }
}

export function chineseDaysSource(): HolidaySource {
  const parsed = packageData.safeParse(data);
  if (!parsed.success) throw new HolidayDataError(parsed.error.issues[0]?.message ?? 'unknown');
  const holidays = new Set(Object.keys(parsed.data.holidays));
  const workdays = new Set(Object.keys(parsed.data.workdays));
  // A year is covered once any of its days is listed: the package adds a year only from the
  // State Council notice, and every notice lists 元旦 at least.
  const years = new Set([...holidays].map((d) => Number(d.slice(0, 4))));
  return { name: `chinese-days ${pkg.version}`, holidays, workdays, years };
}
