import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CalendarConfigError, createWorkCalendar, loadCalendarOverrides } from '../../services/calendar/index.js';
import { at } from './state-council.js';

const dir = mkdtempSync(join(tmpdir(), 'calendar-overrides-'));
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('the override file', () => {
  it('ships as a valid file that changes nothing', () => {
    const o = loadCalendarOverrides('config/calendar.json');
    expect(o).toEqual({ notices: {}, holidays: [], workdays: [], years: [] });
  });

  it('is optional: a missing file means no overrides', () => {
    expect(loadCalendarOverrides(join(dir, 'absent.json'))).toEqual({});
  });

  it('reads holidays, workdays and years', () => {
    const p = file('ok.json', JSON.stringify({ holidays: ['2027-01-01'], workdays: ['2027-02-06'], years: [2027] }));
    expect(loadCalendarOverrides(p)).toEqual({ holidays: ['2027-01-01'], workdays: ['2027-02-06'], years: [2027] });
  });

  it('rejects a date not written as YYYY-MM-DD, naming the file and the entry', () => {
    const p = file('short.json', JSON.stringify({ holidays: ['2027-01-01', '2027-2-10'] }));
    expect(() => loadCalendarOverrides(p)).toThrow(CalendarConfigError);
    expect(() => loadCalendarOverrides(p)).toThrow(`${p}: holidays[1] = "2027-2-10": expected a date as "YYYY-MM-DD"`);
  });

  it('rejects a day that does not exist', () => {
    const p = file('feb30.json', JSON.stringify({ workdays: ['2027-02-30'] }));
    expect(() => loadCalendarOverrides(p)).toThrow('workdays[0] = "2027-02-30"');
  });

  it('rejects a year given as a string', () => {
    const p = file('year.json', JSON.stringify({ years: ['2027'] }));
    expect(() => loadCalendarOverrides(p)).toThrow('years[0] = "2027": expected a four-digit year as a number');
  });

  it('rejects a date listed as both holiday and working day', () => {
    const p = file('both.json', JSON.stringify({ holidays: ['2027-02-06'], workdays: ['2027-02-06'] }));
    expect(() => loadCalendarOverrides(p)).toThrow('workdays[0] = "2027-02-06": the same date is also listed in "holidays"');
  });

  it('rejects a misspelt key instead of ignoring the dates under it', () => {
    const p = file('typo.json', JSON.stringify({ holiday: ['2027-01-01'] }));
    expect(() => loadCalendarOverrides(p)).toThrow('unknown key "holiday": expected only "notices", "holidays", "workdays" and "years"');
  });

  it('rejects comments, which JSON does not allow', () => {
    const p = file('comment.json', '{\n  // 2027\n  "holidays": []\n}');
    expect(() => loadCalendarOverrides(p)).toThrow(/is not valid JSON .*no comments/);
  });
});

describe('overrides on top of the published schedule', () => {
  it('a local closure on an ordinary Tuesday pushes the deadline to the next working day', () => {
    const plain = createWorkCalendar();
    const closed = createWorkCalendar({ overrides: { holidays: ['2026-11-24'] } });
    expect(plain.addWorkingDays(at('2026-11-23 10:00'), 1).at).toEqual(at('2026-11-24 17:00'));
    expect(closed.addWorkingDays(at('2026-11-23 10:00'), 1).at).toEqual(at('2026-11-25 17:00'));
    expect(closed.isOfficeOpen(at('2026-11-24 10:00'))).toBe(false);
  });

  it('an operator workday overrides a package holiday and a weekend', () => {
    const cal = createWorkCalendar({ overrides: { workdays: ['2026-10-07', '2026-11-21'] } });
    expect(cal.isWorkingDay('2026-10-07')).toBe(true);
    expect(cal.isWorkingDay('2026-11-21')).toBe(true);
    expect(cal.addWorkingDays(at('2026-09-30 10:00'), 1).at).toEqual(at('2026-10-07 17:00'));
  });

  it('an operator holiday overrides a package make-up day', () => {
    const cal = createWorkCalendar({ overrides: { holidays: ['2026-10-10'] } });
    expect(cal.isWorkingDay('2026-10-10')).toBe(false);
    expect(cal.nextWorkingDay('2026-10-09')).toBe('2026-10-12');
  });
});
