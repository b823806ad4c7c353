import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkCalendar, formatWorkingDuration, formatZhDate, formatZhDateTime } from '../../services/calendar/index.js';
import { at } from './state-council.js';

describe('Chinese date texts for citizens', () => {
  it('formats a deadline with weekday and Beijing time', () => {
    expect(formatZhDateTime(at('2026-11-24 17:00'))).toBe('2026年11月24日（星期二）17:00');
    expect(formatZhDate(at('2026-11-24 17:00'))).toBe('2026年11月24日（星期二）');
  });

  it('uses the Beijing date for an instant that is still the previous day in UTC', () => {
    expect(formatZhDateTime(new Date('2026-09-30T16:30:00Z'))).toBe('2026年10月1日（星期四）00:30');
  });

  it('describes working durations', () => {
    expect(formatWorkingDuration({ ms: 3 * 8 * 3_600_000, days: 3, hours: 0 })).toBe('3个工作日');
    expect(formatWorkingDuration({ ms: 5 * 3_600_000, days: 0, hours: 5 })).toBe('5小时');
    expect(formatWorkingDuration({ ms: 1_800_000, days: 0, hours: 0 })).toBe('不足1小时');
  });
});

// chinese-days' own functions misclassify days when the server runs west of UTC; the desk
// must give the same answers whatever TZ the host is set to.
describe('on a server whose TZ is America/Los_Angeles', () => {
  const saved = process.env.TZ;
  beforeAll(() => {
    process.env.TZ = 'America/Los_Angeles';
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  });

  it('still runs on Beijing dates and the State Council schedule', () => {
    expect(new Date(Date.UTC(2026, 0, 1)).getHours()).toBe(16); // the zone really changed
    const cal = createWorkCalendar();
    expect(cal.isWorkingDay('2025-01-04')).toBe(false);
    expect(cal.isWorkingDay('2025-01-06')).toBe(true);
    expect(cal.isWorkingDay('2026-02-14')).toBe(true);
    expect(cal.localDate(at('2026-10-01 00:30'))).toBe('2026-10-01');
    expect(cal.addWorkingDays(at('2026-09-30 10:00'), 1).at).toEqual(at('2026-10-08 17:00'));
    expect(formatZhDateTime(at('2026-11-24 17:00'))).toBe('2026年11月24日（星期二）17:00');
  });
});
