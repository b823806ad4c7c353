// The statutory days of 《全国年节及纪念日放假办法》 computed from the rule, checked against every
// published schedule since the 2013 revision took effect: whatever the State Council's 调休, a day
// the rule makes statutory must be a day off in the notice of that year.
import { describe, expect, it } from 'vitest';
import { chineseDaysSource, createWorkCalendar } from '../../services/calendar/index.js';
import { revisionFor, statutoryDays } from '../../services/calendar/statutory.js';
import { at } from './state-council.js';

const published = chineseDaysSource();

describe('the statutory-day rule against chinese-days', () => {
  for (let year = 2014; year <= 2026; year++) {
    it(`every statutory day of ${year} is a day off in the published schedule`, () => {
      const days = statutoryDays(year);
      // 2013 revision: 11 days; 2024 revision (since 2025): 13 days.
      expect(days).toHaveLength(year <= 2024 ? 11 : 13);
      expect(days.filter((d) => !published.holidays.has(d.day))).toEqual([]);
    });
  }

  it('applies the revision in force: 除夕 and 5月2日 only since 2025', () => {
    expect(revisionFor(2024)?.from).toBe(2014);
    expect(revisionFor(2025)?.from).toBe(2025);
    const days2024 = statutoryDays(2024).map((d) => d.day);
    expect(days2024).not.toContain('2024-02-09'); // 除夕 2024, a working-day-eve then
    expect(days2024).not.toContain('2024-05-02');
    const days2025 = statutoryDays(2025).map((d) => d.day);
    expect(days2025).toContain('2025-01-28'); // 除夕 2025
    expect(days2025).toContain('2025-05-02');
  });

  it('computes 2027 from the lunar calendar and solar terms', () => {
    const days = statutoryDays(2027);
    const byFestival = Object.fromEntries(
      [...new Set(days.map((d) => d.festival))].map((f) => [f, days.filter((d) => d.festival === f)]),
    ) as Record<string, typeof days | undefined>;
    expect(byFestival.元旦?.map((d) => d.day)).toEqual(['2027-01-01']);
    expect(byFestival.春节?.map((d) => d.day)).toEqual(['2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08']);
    expect(byFestival.清明节?.map((d) => d.day)).toEqual(['2027-04-05']);
    expect(byFestival.劳动节?.map((d) => d.day)).toEqual(['2027-05-01', '2027-05-02']);
    expect(byFestival.端午节?.map((d) => d.day)).toEqual(['2027-06-09']);
    expect(byFestival.中秋节?.map((d) => d.day)).toEqual(['2027-09-15']);
    expect(byFestival.国庆节?.map((d) => d.day)).toEqual(['2027-10-01', '2027-10-02', '2027-10-03']);
  });
});

describe('a year whose notice is not out yet', () => {
  const cal = createWorkCalendar(); // the shipped package data, no overrides: 2027 has no notice

  it('gives 2027-01-01 (元旦, a Friday) off', () => {
    expect(cal.yearStatus(2027)).toBe('missing');
    expect(cal.isWorkingDay('2027-01-01')).toBe(false);
    expect(cal.isWorkingDay('2027-02-08')).toBe(false); // 初三, a Monday
    expect(cal.isWorkingDay('2027-01-04')).toBe(true);
  });

  it('dues a 3-working-day transfer of 2026-12-31 on 2027-01-06, provisional for 调休 only', () => {
    const d = cal.addWorkingDays(at('2026-12-31 10:00'), 3);
    expect(d).toEqual({ at: at('2027-01-06 17:00'), provisional: true, missingYears: [2027] });
  });

  it('accepts a report of 2026-12-31 17:01 at the next opening, 2027-01-04 09:00', () => {
    expect(cal.acceptanceStart(at('2026-12-31 17:01'))).toEqual({ at: at('2027-01-04 09:00'), deferred: true, provisional: true });
  });
});
