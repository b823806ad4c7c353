// The statutory days off (全体公民放假的节日) of 《全国年节及纪念日放假办法》, computed for any year
// from the rule itself and a lunar/solar-term calendar. The State Council's yearly notice only adds
// 调休 around them (extra days off bridged to a weekend, make-up working days); the statutory days
// are known years in advance, so a year without a notice is uncertain only in its 调休.
import { Lunar, Solar } from 'lunar-typescript';
import { addDays } from './civil-date.js';

export type Festival = '元旦' | '春节' | '清明节' | '劳动节' | '端午节' | '中秋节' | '国庆节';

export interface StatutoryDay {
  day: string;
  festival: Festival;
}

/** Which revision of the 放假办法 governs a year, with the rule's days per festival. */
export interface Revision {
  /** e.g. '2013年修订（国务院令第644号）' */
  name: string;
  /** First year the revision governs. */
  from: number;
  /** 春节: days counted from 除夕 (true) or from 正月初一 (false), and how many. */
  springFromEve: boolean;
  springDays: number;
  laborDays: number;
}

// The 2013 revision (in force 2014-01-01) gave 春节 初一–初三 and 劳动节 5月1日; the 2024 revision
// (国务院令第774号, in force 2025-01-01) added 除夕 and 5月2日. Years before 2014 are not computed:
// chinese-days carries their published schedules, and no deadline of this desk reaches back there.
export const REVISIONS: readonly Revision[] = [
  { name: '2013年修订（国务院令第644号）', from: 2014, springFromEve: false, springDays: 3, laborDays: 1 },
  { name: '2024年修订（国务院令第774号）', from: 2025, springFromEve: true, springDays: 4, laborDays: 2 },
];

export function revisionFor(year: number): Revision | undefined {
  let found: Revision | undefined;
  for (const r of REVISIONS) if (year >= r.from) found = r;
  return found;
}

const ymd = (s: Solar) => s.toYmd();
const run = (first: string, n: number, festival: Festival): StatutoryDay[] =>
  Array.from({ length: n }, (_, i) => ({ day: addDays(first, i), festival }));

const cache = new Map<number, StatutoryDay[]>();

/** The statutory days off of a Gregorian year, in date order; [] before the 2013 revision applies. */
export function statutoryDays(year: number): StatutoryDay[] {
  const hit = cache.get(year);
  if (hit) return hit;
  const rev = revisionFor(year);
  const out: StatutoryDay[] = [];
  if (rev) {
    // 正月初一 of lunar year `year` always falls in Gregorian `year` (21 Jan – 20 Feb); 除夕 is the
    // day before, whether the last lunar month has 29 or 30 days.
    const newYear = ymd(Lunar.fromYmd(year, 1, 1).getSolar());
    const qingming = Solar.fromYmd(year, 4, 15).getLunar().getJieQiTable().清明;
    if (!qingming) throw new Error(`lunar-typescript gave no 清明 for ${year}`);
    out.push(
      ...run(`${year}-01-01`, 1, '元旦'),
      ...run(rev.springFromEve ? addDays(newYear, -1) : newYear, rev.springDays, '春节'),
      ...run(ymd(qingming), 1, '清明节'),
      ...run(`${year}-05-01`, rev.laborDays, '劳动节'),
      ...run(ymd(Lunar.fromYmd(year, 5, 5).getSolar()), 1, '端午节'),
      ...run(ymd(Lunar.fromYmd(year, 8, 15).getSolar()), 1, '中秋节'),
      ...run(`${year}-10-01`, 3, '国庆节'),
    );
    out.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  }
  cache.set(year, out);
  return out;
}

/** The festival a day is a statutory day off for, or undefined. */
export function statutoryFestival(day: string): Festival | undefined {
  return statutoryDays(Number(day.slice(0, 4))).find((s) => s.day === day)?.festival;
}
