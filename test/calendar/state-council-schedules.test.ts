import { describe, expect, it } from 'vitest';
import { createWorkCalendar } from '../../services/calendar/index.js';
import { daysFrom, SCHEDULE_2025, SCHEDULE_2026, workingPerNotice } from './state-council.js';

const cal = createWorkCalendar();

describe.each([
  { year: 2025, schedule: SCHEDULE_2025 },
  { year: 2026, schedule: SCHEDULE_2026 },
])('the $year schedule from chinese-days', ({ year, schedule }) => {
  it('is marked as published', () => {
    expect(cal.yearStatus(year)).toBe('published');
  });

  it.each(schedule.map((f) => [f.name, f] as const))('gives every day of %s off and opens on each make-up day', (_n, f) => {
    for (const day of daysFrom(f.off[0], f.off[1])) expect(cal.isWorkingDay(day), day).toBe(false);
    for (const day of f.work) expect(cal.isWorkingDay(day), day).toBe(true);
  });

  it('agrees with the notice on every day of the year', () => {
    const disagreements = daysFrom(`${year}-01-01`, `${year}-12-31`).filter(
      (d) => cal.isWorkingDay(d) !== workingPerNotice(schedule, d),
    );
    expect(disagreements).toEqual([]);
  });
});

describe('the weeks around the big holidays, day by day', () => {
  const week = (first: string, last: string) => daysFrom(first, last).map((d) => (cal.isWorkingDay(d) ? 'W' : '-')).join('');

  it('2025 National Day: works Sunday 9/28, off 10/1–10/8, works Saturday 10/11', () => {
    // 9/27 Sat … 10/12 Sun
    expect(week('2025-09-27', '2025-10-12')).toBe('-WWW--------WWW-');
  });

  it('2025 Spring Festival: works Sunday 1/26, off 1/28–2/4, works Saturday 2/8', () => {
    // 1/25 Sat … 2/9 Sun
    expect(week('2025-01-25', '2025-02-09')).toBe('-WW--------WWWW-');
  });

  it('2026 Spring Festival: works Saturday 2/14, off nine days 2/15–2/23, works Saturday 2/28', () => {
    // 2/13 Fri … 3/1 Sun
    expect(week('2026-02-13', '2026-03-01')).toBe('WW---------WWWWW-');
  });

  it('2026 National Day: works Sunday 9/20, off 10/1–10/7, works Saturday 10/10', () => {
    // 9/19 Sat … 9/21 Mon, then 9/30 Wed … 10/11 Sun
    expect(week('2026-09-19', '2026-09-21')).toBe('-WW');
    expect(week('2026-09-30', '2026-10-11')).toBe('W-------WWW-');
  });
});
