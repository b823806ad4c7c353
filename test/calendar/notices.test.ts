// Entering a State Council notice is one line in config/calendar.json, and `npm run calendar --
// check` says whether that line is right before a restart puts it in force.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  CalendarConfigError,
  chineseDaysSource,
  checkCalendar,
  createWorkCalendar,
  type HolidaySource,
  parseCalendarOverrides,
} from '../../services/calendar/index.js';
import { at } from './state-council.js';

const source = chineseDaysSource();
const without = (year: number): HolidaySource => ({
  name: source.name,
  holidays: new Set([...source.holidays].filter((d) => !d.startsWith(`${year}-`))),
  workdays: new Set([...source.workdays].filter((d) => !d.startsWith(`${year}-`))),
  years: new Set([...source.years].filter((y) => y !== year)),
});

// 国办发明电〔2025〕7号, as an operator would type it.
const NOTICE_2026 = {
  off: ['01-01~01-03', '02-15~02-23', '04-04~04-06', '05-01~05-05', '06-19~06-21', '09-25~09-27', '10-01~10-07'],
  work: ['01-04', '02-14', '02-28', '05-09', '09-20', '10-10'],
};

describe('a notice line', () => {
  it('gives the same working days as the published 2026 data, and check finds them equal', () => {
    const overrides = parseCalendarOverrides({ notices: { 2026: NOTICE_2026 } }, 'calendar.json');
    expect(checkCalendar(overrides, source).errors).toEqual([]);
    const fromNotice = createWorkCalendar({ source: without(2026), overrides });
    const fromPackage = createWorkCalendar({ source });
    expect(fromNotice.yearStatus(2026)).toBe('override');
    for (let d = '2026-01-01'; d <= '2026-12-31'; d = fromPackage.nextWorkingDay(d)) {
      expect(fromNotice.nextWorkingDay(d), d).toBe(fromPackage.nextWorkingDay(d));
    }
  });

  it('makes its year exact: a deadline across 2027 stops being provisional', () => {
    const overrides = parseCalendarOverrides(
      { notices: { 2027: { off: ['01-01~01-03', '02-05~02-11', '04-03~04-05', '05-01~05-05', '06-09', '09-15', '10-01~10-07'], work: ['02-20'] } } },
      'calendar.json',
    );
    const cal = createWorkCalendar({ overrides });
    expect(cal.addWorkingDays(at('2026-12-31 10:00'), 3)).toEqual({ at: at('2027-01-06 17:00'), provisional: false, missingYears: [] });
    expect(cal.isWorkingDay('2027-02-11')).toBe(false); // 调休 day off from the notice
    expect(cal.isWorkingDay('2027-02-20')).toBe(true); // make-up Saturday
  });

  it('is refused by check when it leaves out a statutory day, naming the day and festival', () => {
    const overrides = parseCalendarOverrides({ notices: { 2027: { off: ['01-01', '02-05~02-07', '04-05', '05-01~05-02', '06-09', '09-15', '10-01~10-03'] } } }, 'f');
    expect(checkCalendar(overrides, source).errors).toEqual([
      'notices["2027"]: statutory days not in "off": 2027-02-08 (春节); every notice gives them off',
    ]);
  });

  it('is refused by check when it disagrees with the published data of its year', () => {
    const wrong = { ...NOTICE_2026, work: NOTICE_2026.work.filter((d) => d !== '02-28') };
    const errors = checkCalendar(parseCalendarOverrides({ notices: { 2026: wrong } }, 'f'), source).errors;
    expect(errors).toEqual([`notices["2026"]: make-up working days of ${source.name} missing from the notice: "2026-02-28"`]);
  });

  it('with a malformed range stops start-up naming the entry', () => {
    expect(() => parseCalendarOverrides({ notices: { 2027: { off: ['02-12~02-05'] } } }, 'calendar.json')).toThrow(
      new CalendarConfigError('calendar.json', 'notices.2027 = {"off":["02-12~02-05"]}', 'off[0] = "02-12~02-05": the range ends before it starts'),
    );
    expect(() => parseCalendarOverrides({ notices: { 2027: { off: ['2月5日'] } } }, 'calendar.json')).toThrow('expected a date or range as "MM-DD"');
  });
});

describe('npm run calendar -- check', () => {
  const run = promisify(execFile);
  const dir = mkdtempSync(join(tmpdir(), 'calendar-check-'));
  const cli = (file: string) =>
    run(process.execPath, ['--import', 'tsx', 'bin/calendar.ts', 'check', file]).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );

  it('says ok for the shipped file and exits 1 with the problem for a bad notice', async () => {
    const ok = await cli('config/calendar.json');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('config/calendar.json: ok');
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ notices: { 2027: { off: ['01-01'] } } }));
    const r = await cli(bad);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('statutory days not in "off": 2027-02-05 (春节)');
  });
});
