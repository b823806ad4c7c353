import { describe, expect, it } from 'vitest';
import {
  createWorkCalendar,
  formatWorkingDuration,
  formatZhDateTime,
  OfficeHoursError,
} from '../../services/calendar/index.js';
import { at } from './state-council.js';

const cal = createWorkCalendar();

describe('within N working days: office close of the N-th working day after the date', () => {
  it.each([
    // 2025 National Day: Sunday 9/28 is worked, 10/1–10/8 off
    ['2025-09-26 10:00', 5, '2025-10-10 17:00'],
    ['2025-09-30 10:00', 3, '2025-10-11 17:00'],
    ['2025-09-30 16:59', 1, '2025-10-09 17:00'],
    // 2025 Spring Festival: Sunday 1/26 worked, 1/28–2/4 off
    ['2025-01-24 15:00', 3, '2025-02-05 17:00'],
    // 2026 Spring Festival: Saturday 2/14 worked, nine days off, Saturday 2/28 worked
    ['2026-02-12 11:00', 3, '2026-02-24 17:00'],
    ['2026-02-27 09:30', 2, '2026-03-02 17:00'],
    // 2026 National Day: Sunday 9/20 worked, 10/1–10/7 off, Saturday 10/10 worked
    ['2026-09-18 10:00', 1, '2026-09-20 17:00'],
    ['2026-09-30 10:00', 3, '2026-10-10 17:00'],
    // n = 0 is the same day's close
    ['2026-11-24 10:00', 0, '2026-11-24 17:00'],
  ])('from %s plus %i working days is %s', (start, n, due) => {
    const d = cal.addWorkingDays(at(start), n);
    expect(d.at).toEqual(at(due));
    expect(d.provisional).toBe(false);
    expect(d.missingYears).toEqual([]);
  });

  it('survives a JSON round trip as stored on a case', () => {
    const d = cal.addWorkingDays(at('2026-09-30 10:00'), 3);
    const back = JSON.parse(JSON.stringify(d));
    expect(new Date(back.at)).toEqual(d.at);
    expect(back.provisional).toBe(false);
  });

  it('refuses a negative or fractional number of days', () => {
    expect(() => cal.addWorkingDays(at('2026-11-24 10:00'), -1)).toThrow(/whole number/);
    expect(() => cal.addWorkingDays(at('2026-11-24 10:00'), 1.5)).toThrow(/whole number/);
  });
});

describe('a report outside office hours is accepted at the next opening', () => {
  it('an evening report before National Day is accepted when the office reopens on 10/9', () => {
    const start = cal.acceptanceStart(at('2025-09-30 18:30'));
    expect(start).toEqual({ at: at('2025-10-09 09:00'), deferred: true, provisional: false });
    expect(formatZhDateTime(start.at)).toBe('2025年10月9日（星期四）09:00');
    // Same-day first feedback then falls due at that day's close.
    expect(cal.sameDayClose(start.at)).toEqual(at('2025-10-09 17:00'));
  });

  it('a Friday-night report before Spring Festival 2026 is accepted on the make-up Saturday', () => {
    expect(cal.acceptanceStart(at('2026-02-13 22:00')).at).toEqual(at('2026-02-14 09:00'));
  });

  it('a report on a make-up Sunday during office hours starts the clock at once', () => {
    expect(cal.acceptanceStart(at('2025-09-28 10:15'))).toEqual({
      at: at('2025-09-28 10:15'),
      deferred: false,
      provisional: false,
    });
  });

  it('counts opening time as open and closing time as closed', () => {
    expect(cal.isOfficeOpen(at('2026-11-24 09:00'))).toBe(true);
    expect(cal.isOfficeOpen(at('2026-11-24 16:59'))).toBe(true);
    expect(cal.isOfficeOpen(at('2026-11-24 17:00'))).toBe(false);
    expect(cal.nextOpening(at('2026-11-24 17:00'))).toEqual(at('2026-11-25 09:00'));
    expect(cal.nextOpening(at('2026-11-24 07:10'))).toEqual(at('2026-11-24 09:00'));
  });

  it('is closed on a holiday morning and an ordinary Saturday', () => {
    expect(cal.isOfficeOpen(at('2025-10-03 10:00'))).toBe(false);
    expect(cal.isOfficeOpen(at('2026-11-21 10:00'))).toBe(false);
  });

  it('moves a reminder due on a Spring Festival night to the first opening after the break', () => {
    expect(cal.nextOpening(at('2026-02-17 21:00'))).toEqual(at('2026-02-24 09:00'));
  });
});

describe('office-time arithmetic for escalations and overdue display', () => {
  it('escalates an unclassified case one office hour later, across a holiday', () => {
    expect(cal.addOfficeHours(at('2025-09-30 16:30'), 1)).toEqual(at('2025-10-09 09:30'));
    expect(cal.addOfficeHours(at('2026-02-13 16:45'), 1)).toEqual(at('2026-02-14 09:45'));
    expect(cal.addOfficeHours(at('2026-11-24 16:00'), 1)).toEqual(at('2026-11-24 17:00'));
  });

  it('counts office hours from the next opening when given a closed time', () => {
    expect(cal.addOfficeHours(at('2026-11-21 23:00'), 1.5)).toEqual(at('2026-11-23 10:30'));
  });

  it('shows how long a case is overdue in working days and hours, ignoring the holiday', () => {
    const overdue = cal.workingTimeBetween(at('2025-09-30 17:00'), at('2025-10-10 11:00'));
    expect(overdue).toEqual({ ms: 10 * 3_600_000, days: 1, hours: 2 });
    expect(formatWorkingDuration(overdue)).toBe('1个工作日2小时');
  });

  it('counts no working time over a holiday week or backwards', () => {
    expect(cal.workingTimeBetween(at('2026-09-30 17:00'), at('2026-10-07 23:00')).ms).toBe(0);
    expect(cal.workingTimeBetween(at('2026-11-25 10:00'), at('2026-11-24 10:00')).ms).toBe(0);
  });

  it('reminds one working day before, skipping holidays back to the last working day', () => {
    expect(cal.previousWorkingDayClose(at('2025-10-09 17:00'))).toEqual(at('2025-09-30 17:00'));
    expect(cal.previousWorkingDayClose(at('2026-02-24 17:00'))).toEqual(at('2026-02-14 17:00'));
    expect(cal.previousWorkingDayClose(at('2026-10-12 17:00'))).toEqual(at('2026-10-10 17:00'));
  });

  it('steps to the next and previous working day by date', () => {
    expect(cal.nextWorkingDay('2026-09-30')).toBe('2026-10-08');
    expect(cal.previousWorkingDay('2026-10-08')).toBe('2026-09-30');
    expect(cal.nextWorkingDay('2026-09-18')).toBe('2026-09-20');
  });
});

describe('configurable office hours', () => {
  const longer = createWorkCalendar({ officeHours: { open: '08:30', close: '17:30' } });

  it('ends deadlines at the configured close and opens at the configured time', () => {
    expect(longer.addWorkingDays(at('2026-09-30 10:00'), 1).at).toEqual(at('2026-10-08 17:30'));
    expect(longer.nextOpening(at('2026-10-07 20:00'))).toEqual(at('2026-10-08 08:30'));
    expect(longer.workingTimeBetween(at('2026-11-23 00:00'), at('2026-11-24 00:00'))).toEqual({
      ms: 9 * 3_600_000,
      days: 1,
      hours: 0,
    });
  });

  it('defaults to 09:00–17:00', () => {
    expect(cal.officeHours).toEqual({ open: '09:00', close: '17:00' });
  });

  it('rejects hours that close before they open or are not HH:MM', () => {
    expect(() => createWorkCalendar({ officeHours: { open: '17:00', close: '09:00' } })).toThrow(OfficeHoursError);
    expect(() => createWorkCalendar({ officeHours: { open: '9:00', close: '17:00' } })).toThrow(/open "9:00" is not HH:MM/);
  });
});
