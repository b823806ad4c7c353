import { describe, expect, it } from 'vitest';
import {
  chineseDaysSource,
  createWorkCalendar,
  type HolidaySource,
  provisionalNote,
} from '../../services/calendar/index.js';
import { at } from './state-council.js';

// The published data as it stood when 2027 had no schedule yet, so these tests keep meaning the
// same thing after chinese-days adds 2027.
function throughYear(last: number): HolidaySource {
  const s = chineseDaysSource();
  const keep = (days: ReadonlySet<string>) => new Set([...days].filter((d) => Number(d.slice(0, 4)) <= last));
  return { name: s.name, holidays: keep(s.holidays), workdays: keep(s.workdays), years: new Set([...s.years].filter((y) => y <= last)) };
}

const source = throughYear(2026);
const operator2027 = { holidays: ['2027-01-01'], years: [2027] };

describe('a deadline reaching into a year without a published schedule', () => {
  it('is provisional and names 2027 when set on 2026-12-28 for 5 working days', () => {
    const cal = createWorkCalendar({ source });
    const d = cal.addWorkingDays(at('2026-12-28 10:00'), 5);
    // 12/29, 12/30, 12/31, then (2027-01-01 being 元旦 by statute) Monday 1/4 and Tuesday 1/5.
    // Still provisional: the 2027 notice could bridge 元旦 or set a make-up day.
    expect(d).toEqual({ at: at('2027-01-05 17:00'), provisional: true, missingYears: [2027] });
    expect(provisionalNote(d.missingYears)).toContain('2027年');
  });

  it('becomes exact once the operator enters the 2027 dates and declares the year', () => {
    const cal = createWorkCalendar({ source, overrides: operator2027 });
    expect(cal.yearStatus(2027)).toBe('override');
    expect(cal.addWorkingDays(at('2026-12-28 10:00'), 5)).toEqual({
      at: at('2027-01-05 17:00'),
      provisional: false,
      missingYears: [],
    });
  });

  it('still uses the operator dates but stays provisional while the year is not declared complete', () => {
    const cal = createWorkCalendar({ source, overrides: { holidays: ['2027-01-01'] } });
    const d = cal.addWorkingDays(at('2026-12-28 10:00'), 5);
    expect(d.at).toEqual(at('2027-01-05 17:00'));
    expect(d.provisional).toBe(true);
  });

  it('does not flag a deadline that stays inside a published year', () => {
    const cal = createWorkCalendar({ source });
    expect(cal.addWorkingDays(at('2026-12-21 10:00'), 5).provisional).toBe(false);
  });

  it('flags a New Year\'s Eve night report whose next opening lies in the unknown year', () => {
    const cal = createWorkCalendar({ source });
    // 元旦 is statutory whether or not the notice is out: the report waits for Monday 01-04.
    expect(cal.acceptanceStart(at('2026-12-31 18:00'))).toEqual({
      at: at('2027-01-04 09:00'),
      deferred: true,
      provisional: true,
    });
    const fixed = createWorkCalendar({ source, overrides: operator2027 });
    expect(fixed.acceptanceStart(at('2026-12-31 18:00'))).toEqual({
      at: at('2027-01-04 09:00'),
      deferred: true,
      provisional: false,
    });
  });

  it('lists the missing years between two instants', () => {
    const cal = createWorkCalendar({ source });
    expect(cal.missingYears(at('2026-06-01 10:00'), at('2028-03-01 10:00'))).toEqual([2027, 2028]);
    expect(cal.yearStatus(2026)).toBe('published');
  });
});

describe('start-up warnings', () => {
  it('name 2027 in November 2026 and say the notice is normally out already', () => {
    const warnings = createWorkCalendar({ source }).startupWarnings(at('2026-11-20 08:00'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('缺少2027年');
    expect(warnings[0]).toContain('已于2026年11月发布');
    expect(warnings[0]).toContain('config/calendar.json');
  });

  it('name only the years a deadline opened now can reach: 2027 in December 2026, not 2028', () => {
    const warnings = createWorkCalendar({ source }).startupWarnings(at('2026-12-20 08:00'));
    expect(warnings.map((w) => /缺少(\d{4})年/.exec(w)?.[1])).toEqual(['2027']);
    // In spring no clock reaches the next year yet: nothing to say.
    expect(createWorkCalendar({ source }).startupWarnings(at('2026-03-01 08:00'))).toEqual([]);
  });

  it('are silent when every year within the horizon is covered', () => {
    const cal = createWorkCalendar({ source, overrides: operator2027 });
    expect(cal.startupWarnings(at('2026-11-20 08:00'))).toEqual([]);
  });

  it('catch a year declared complete with no holiday entered for it', () => {
    const cal = createWorkCalendar({ source, overrides: { years: [2027] } });
    const warnings = cal.startupWarnings(at('2026-11-20 08:00'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('holidays 中没有任何2027年的日期');
  });
});

describe('the installed chinese-days', () => {
  // When an upgrade adds 2027 this fails on purpose: check the new year's data against the State
  // Council notice (test/calendar/state-council.ts) before trusting it, then move this to 2028.
  it('has no 2027 schedule, so the unrestricted calendar reports 2027 missing', () => {
    expect(createWorkCalendar().yearStatus(2027)).toBe('missing');
  });
});
