// Report periods: a week (Monday to Sunday), a month, or any range of dates, all as Asia/Shanghai
// calendar days. Pure: what staff type is parsed without a clock (本周 stays relative), and
// resolved against today's date only when the report is built.
import { InvalidInputError } from '../errors.js';

export type PeriodUnit = 'week' | 'month';

/** A period as typed: relative to today, one month, or a range of days (both ends included). */
export type PeriodSpec =
  | { kind: 'relative'; unit: PeriodUnit; offset: number }
  | { kind: 'month'; month: string }
  | { kind: 'range'; from: string; to: string };

export interface Period {
  /** First day, 'YYYY-MM-DD'. */
  from: string;
  /** Last day, included. */
  to: string;
  /** Midnight at the start of `from`, Asia/Shanghai. */
  start: Date;
  /** Midnight after `to`: the period is [start, end). */
  end: Date;
  label: string;
}

/** The longest range a report covers: a year and a day, so a leap year fits. */
export const MAX_PERIOD_DAYS = 367;

const DAY_MS = 86_400_000;
const toUtc = (day: string) => Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)));
const fromUtc = (ms: number) => new Date(ms).toISOString().slice(0, 10);
export const addDays = (day: string, n: number) => fromUtc(toUtc(day) + n * DAY_MS);
/** Midnight starting `day` in Asia/Shanghai (UTC+8 all year: China keeps no summer time). */
export const dayStart = (day: string) => new Date(`${day}T00:00:00+08:00`);

function validDay(day: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return false;
  return fromUtc(toUtc(day)) === day;
}

/** Accepts 2026-11-01, 2026/11/1, 2026.11.1, 2026年11月1日 (full-width digits too). */
export function normaliseDay(word: string): string | null {
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/u.exec(word.normalize('NFKC').trim());
  if (!m) return null;
  const day = `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`;
  return validDay(day) ? day : null;
}

function normaliseMonth(word: string): string | null {
  const m = /^(\d{4})[-/.年](\d{1,2})月?$/u.exec(word.normalize('NFKC').trim());
  if (!m) return null;
  const mm = Number(m[2]);
  return mm >= 1 && mm <= 12 ? `${m[1]}-${String(mm).padStart(2, '0')}` : null;
}

const RELATIVE: Readonly<Record<string, { unit: PeriodUnit; offset: number }>> = {
  本周: { unit: 'week', offset: 0 },
  这周: { unit: 'week', offset: 0 },
  本星期: { unit: 'week', offset: 0 },
  上周: { unit: 'week', offset: -1 },
  上星期: { unit: 'week', offset: -1 },
  本月: { unit: 'month', offset: 0 },
  这个月: { unit: 'month', offset: 0 },
  上月: { unit: 'month', offset: -1 },
  上个月: { unit: 'month', offset: -1 },
  'this-week': { unit: 'week', offset: 0 },
  'last-week': { unit: 'week', offset: -1 },
  'this-month': { unit: 'month', offset: 0 },
  'last-month': { unit: 'month', offset: -1 },
};

/**
 * What follows 清单 / 考核 / `--period`: 本周, 上周, 本月, 上月, 2026-11, or two dates
 * (2026-11-01 2026-11-30, also written with 至/到/~ between). Null when the words name no period.
 */
export function parsePeriod(text: string): PeriodSpec | { error: string } | null {
  const t = text.normalize('NFKC').trim().toLowerCase();
  if (!t) return null;
  const rel = RELATIVE[t];
  if (rel) return { kind: 'relative', ...rel };
  const month = normaliseMonth(t);
  if (month) return { kind: 'month', month };
  const parts = t.split(/[\s\u3000]*(?:至|到|~|～|—|\s)[\s\u3000]*/u).filter(Boolean);
  const days = parts.map(normaliseDay);
  if (parts.length === 1 && days[0]) return { kind: 'range', from: days[0], to: days[0] };
  if (parts.length === 2 && days[0] && days[1]) {
    if (days[0] > days[1]) return { error: `起始日期 ${days[0]} 晚于结束日期 ${days[1]}。` };
    if ((toUtc(days[1]) - toUtc(days[0])) / DAY_MS + 1 > MAX_PERIOD_DAYS) return { error: `时间段最长 ${MAX_PERIOD_DAYS} 天。` };
    return { kind: 'range', from: days[0], to: days[1] };
  }
  // Looks like dates but is not one (2026-02-30, a third date): say so instead of ignoring it.
  if (/\d{4}[-/.年]\d/u.test(t)) return { error: `“${text.trim().slice(0, 40)}”不是有效的日期或时间段（例：2026-11-01 2026-11-30，或 2026-11）。` };
  return null;
}

/** Monday of the week that holds `day`. */
export const weekStart = (day: string) => addDays(day, -((new Date(toUtc(day)).getUTCDay() + 6) % 7));

function monthRange(month: string): [string, string] {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return [`${month}-01`, `${month}-${String(last).padStart(2, '0')}`];
}

function shiftMonth(month: string, n: number): string {
  const d = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1 + n, 1));
  return d.toISOString().slice(0, 7);
}

const zhDay = (day: string) => `${Number(day.slice(0, 4))}年${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日`;

export function periodOf(from: string, to: string, label?: string): Period {
  if (!validDay(from) || !validDay(to) || from > to) throw new InvalidInputError('period', `时间段无效：${from} 至 ${to}。`);
  return {
    from,
    to,
    start: dayStart(from),
    end: dayStart(addDays(to, 1)),
    label: label ?? (from === to ? zhDay(from) : `${zhDay(from)}至${from.slice(0, 4) === to.slice(0, 4) ? zhDay(to).slice(5) : zhDay(to)}`),
  };
}

/** The period a spec means on `today` ('YYYY-MM-DD', Asia/Shanghai). */
export function resolvePeriod(spec: PeriodSpec, today: string): Period {
  switch (spec.kind) {
    case 'range':
      return periodOf(spec.from, spec.to);
    case 'month': {
      const [from, to] = monthRange(spec.month);
      return periodOf(from, to, `${Number(spec.month.slice(0, 4))}年${Number(spec.month.slice(5, 7))}月`);
    }
    case 'relative': {
      if (spec.unit === 'week') {
        const from = addDays(weekStart(today), 7 * spec.offset);
        return periodOf(from, addDays(from, 6));
      }
      return resolvePeriod({ kind: 'month', month: shiftMonth(today.slice(0, 7), spec.offset) }, today);
    }
  }
}

/** The period of the same kind just before `p`: the previous week or month, or the range of equal length before it. */
export function previousPeriod(p: Period): Period {
  const days = Math.round((p.end.getTime() - p.start.getTime()) / DAY_MS);
  const [mFrom, mTo] = monthRange(p.from.slice(0, 7));
  if (p.from === mFrom && p.to === mTo) return resolvePeriod({ kind: 'month', month: shiftMonth(p.from.slice(0, 7), -1) }, p.from);
  return periodOf(addDays(p.from, -days), addDays(p.from, -1));
}

/** The Monday-to-Sunday weeks that overlap `p`, for per-week series. */
export function weeksOf(p: Period): Period[] {
  const out: Period[] = [];
  for (let w = weekStart(p.from); w <= p.to; w = addDays(w, 7)) out.push(periodOf(w, addDays(w, 6)));
  return out;
}
