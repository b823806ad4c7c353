import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createWorkCalendar } from '../../services/calendar/index.js';
import { daysFrom } from './state-council.js';

const cal = createWorkCalendar();
// Any instant in the two published years, at minute resolution.
const instant = fc
  .integer({ min: Date.parse('2025-01-01T00:00:00+08:00') / 60_000, max: Date.parse('2026-12-01T00:00:00+08:00') / 60_000 })
  .map((m) => new Date(m * 60_000));

describe('working-time arithmetic over 2025–2026', () => {
  it('a deadline of n working days closes a working day with exactly n working days after the start date', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 25 }), (t, n) => {
        const due = cal.addWorkingDays(t, n).at;
        const dueDay = cal.localDate(due);
        expect(cal.isWorkingDay(dueDay)).toBe(true);
        expect(cal.sameDayClose(due)).toEqual(due);
        const between = daysFrom(cal.localDate(t), dueDay).slice(1).filter((d) => cal.isWorkingDay(d));
        expect(between).toHaveLength(n);
      }),
    );
  });

  it('adding office hours and measuring them back agree', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 60 * 40 }), (t, minutes) => {
        const end = cal.addOfficeHours(t, minutes / 60);
        expect(cal.workingTimeBetween(t, end).ms).toBe(minutes * 60_000);
      }),
    );
  });

  it('the next opening is open, not earlier than the given time, and office time before it is zero', () => {
    fc.assert(
      fc.property(instant, (t) => {
        const open = cal.nextOpening(t);
        expect(open.getTime()).toBeGreaterThanOrEqual(t.getTime());
        expect(cal.isOfficeOpen(open)).toBe(true);
        expect(cal.workingTimeBetween(t, open).ms).toBe(0);
      }),
    );
  });

  it('one working day before a deadline is a working day close strictly earlier', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 10 }), (t, n) => {
        const due = cal.addWorkingDays(t, n).at;
        const reminder = cal.previousWorkingDayClose(due);
        expect(cal.isWorkingDay(cal.localDate(reminder))).toBe(true);
        expect(cal.workingTimeBetween(reminder, due).days).toBe(1);
      }),
    );
  });
});
