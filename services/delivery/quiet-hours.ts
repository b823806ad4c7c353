// Quiet hours for citizens, on the Asia/Shanghai wall clock (fixed +08:00, no daylight saving).
// Only the clock matters here, not working days: a citizen sleeps on holidays too.

export interface QuietHours {
  /** 'HH:MM' when quiet hours start, e.g. '21:00'. */
  from: string;
  /** 'HH:MM' when they end, e.g. '08:00'; earlier than `from` means they span midnight. */
  to: string;
}

export const DEFAULT_QUIET_HOURS: QuietHours = { from: '21:00', to: '08:00' };

const SHANGHAI_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;
const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

function minutes(value: string, which: string): number {
  const m = HHMM.exec(value);
  if (!m) throw new RangeError(`Quiet hours ${which} "${value}" is not HH:MM; set QUIET_HOURS like 21:00-08:00.`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** When the quiet period containing `t` ends, or null when `t` is not in quiet hours. */
export function quietHoursEnd(t: Date, q: QuietHours): Date | null {
  const from = minutes(q.from, 'start');
  const to = minutes(q.to, 'end');
  if (from === to) return null;
  const local = t.getTime() + SHANGHAI_MS;
  const dayStart = Math.floor(local / DAY_MS) * DAY_MS;
  const min = (local - dayStart) / 60_000;
  const endToday = dayStart + to * 60_000 - SHANGHAI_MS;
  if (from < to) return min >= from && min < to ? new Date(endToday) : null;
  if (min >= from) return new Date(endToday + DAY_MS);
  if (min < to) return new Date(endToday);
  return null;
}
