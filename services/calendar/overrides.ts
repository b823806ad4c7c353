// The operator's override file (config/calendar.json): dates the published package gets wrong or
// does not have yet. It is read once at start-up; a mistake stops start-up with a message that
// names the file, the entry and the expected form, because a silently ignored line would shift
// every deadline in that week.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { addDays, isValidDay, yearOf } from './civil-date.js';

export interface CalendarOverrides {
  /** 'YYYY-MM-DD' days off, e.g. a statutory holiday the package lacks. */
  holidays?: string[];
  /** 'YYYY-MM-DD' make-up working days (调休上班), or a package holiday the office works. */
  workdays?: string[];
  /** Years whose full schedule the operator has entered here; deadlines in them stop being provisional. */
  years?: number[];
  /**
   * One line per State Council notice, keyed by its year: the days off as dates or ranges
   * ("MM-DD", "MM-DD~MM-DD", or full "YYYY-MM-DD" for days in the year before) and the make-up
   * working days. A notice makes its year exact; `npm run calendar -- check` validates it.
   */
  notices?: Record<string, Notice>;
}

export interface Notice {
  off: string[];
  work?: string[];
}

const DAY_HINT = 'a date as "YYYY-MM-DD" in quotes, e.g. "2027-01-01"';
const YEAR_HINT = 'a four-digit year as a number, e.g. 2027';

const expectDay = `expected ${DAY_HINT}`;
const expectYear = `expected ${YEAR_HINT}`;
const day = z.string({ message: expectDay }).refine(isValidDay, { message: expectDay });
const year = z.number({ message: expectYear }).int({ message: expectYear }).min(2000, { message: expectYear }).max(2100, { message: expectYear });
const NOTICE_ITEM = /^(?:\d{4}-)?\d{2}-\d{2}(?:~(?:\d{4}-)?\d{2}-\d{2})?$/;
const NOTICE_HINT = 'a date or range as "MM-DD", "MM-DD~MM-DD" or "YYYY-MM-DD~YYYY-MM-DD", e.g. "02-05~02-12"';
const expectNoticeItem = `expected ${NOTICE_HINT}`;
const noticeDays = z.array(z.string({ message: expectNoticeItem }).regex(NOTICE_ITEM, { message: expectNoticeItem }), {
  message: `expected a list, each ${NOTICE_HINT}`,
});
const notice = z.strictObject(
  { off: noticeDays, work: noticeDays.optional() },
  { message: 'expected a notice like {"off": ["01-01", "02-05~02-12"], "work": ["02-14"]}' },
);

/** Expands one notice's entries to dates; a bad date or a backwards range is reported, not guessed. */
export function expandNotice(year: number, n: Notice): { holidays: string[]; workdays: string[]; problems: string[] } {
  const problems: string[] = [];
  const full = (d: string) => (d.length === 5 ? `${year}-${d}` : d);
  const expand = (items: string[], which: string, ranges: boolean): string[] => {
    const out: string[] = [];
    items.forEach((item, i) => {
      const [a, b = a] = item.split('~').map(full) as [string, string?];
      if (!ranges && item.includes('~')) problems.push(`${which}[${i}] = "${item}": make-up working days are single dates`);
      else if (!isValidDay(a) || !isValidDay(b)) problems.push(`${which}[${i}] = "${item}": not a calendar date`);
      else if (b < a) problems.push(`${which}[${i}] = "${item}": the range ends before it starts`);
      else if (Math.abs(yearOf(a) - year) > 1 || Math.abs(yearOf(b) - year) > 1) problems.push(`${which}[${i}] = "${item}": not near ${year}`);
      else for (let d = a; d <= b; d = addDays(d, 1)) out.push(d);
    });
    return out;
  };
  const holidays = expand(n.off, 'off', true);
  const workdays = expand(n.work ?? [], 'work', false);
  const off = new Set(holidays);
  for (const d of workdays) if (off.has(d)) problems.push(`work "${d}" is also a day off in "off"`);
  return { holidays, workdays, problems };
}

const schema = z
  .strictObject(
    {
      notices: z
        .record(z.string().regex(/^\d{4}$/, { message: expectYear }), notice, { message: 'expected an object of notices by year, e.g. {"2027": {"off": [...], "work": [...]}}' })
        .optional(),
      holidays: z.array(day, { message: `expected a list of dates, each ${DAY_HINT}` }).optional(),
      workdays: z.array(day, { message: `expected a list of dates, each ${DAY_HINT}` }).optional(),
      years: z.array(year, { message: `expected a list of years, each ${YEAR_HINT}` }).optional(),
    },
    { message: 'expected an object like {"notices": {}, "holidays": [], "workdays": [], "years": []}' },
  )
  .superRefine((o, ctx) => {
    for (const [y, n] of Object.entries(o.notices ?? {})) {
      const first = expandNotice(Number(y), n).problems[0];
      if (first) ctx.addIssue({ code: 'custom', path: ['notices', y], message: first });
    }
    const off = new Set(o.holidays ?? []);
    (o.workdays ?? []).forEach((d, i) => {
      if (off.has(d)) {
        ctx.addIssue({
          code: 'custom',
          path: ['workdays', i],
          message: 'the same date is also listed in "holidays"; keep it in only one list',
        });
      }
    });
  });

/** A mistake in the override file; the message says where and what form is expected. */
export class CalendarConfigError extends Error {
  constructor(
    readonly file: string,
    readonly entry: string,
    readonly problem: string,
  ) {
    super(`${file}: ${entry}: ${problem}. See services/calendar/README.md ("Adding a year").`);
    this.name = 'CalendarConfigError';
  }
}

function describeEntry(raw: unknown, path: PropertyKey[]): string {
  if (path.length === 0) return 'the file';
  let value: unknown = raw;
  for (const k of path) value = (value as Record<PropertyKey, unknown> | undefined)?.[k];
  const where = path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? String(k) : `.${String(k)}`)).join('');
  return value === undefined ? where : `${where} = ${JSON.stringify(value)}`;
}

/** Validates an already-parsed override object; `file` only names the source in errors. */
export function parseCalendarOverrides(raw: unknown, file: string): CalendarOverrides {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    throw new CalendarConfigError(
      file,
      `unknown key ${issue.keys.map((k) => `"${k}"`).join(', ')}`,
      'expected only "notices", "holidays", "workdays" and "years"',
    );
  }
  throw new CalendarConfigError(file, describeEntry(raw, issue.path), issue.message);
}

/** Reads the override file. A missing file means no overrides (the package alone decides). */
export function loadCalendarOverrides(path: string): CalendarOverrides {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new CalendarConfigError(path, 'the file', `cannot be read (${(err as Error).message})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new CalendarConfigError(path, 'the file', `is not valid JSON (${(err as Error).message}); JSON allows no comments or trailing commas`);
  }
  return parseCalendarOverrides(raw, path);
}
