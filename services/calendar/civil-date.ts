// Calendar dates ('YYYY-MM-DD') and wall-clock times in Asia/Shanghai, by fixed +08:00 offset
// arithmetic. China has had no daylight saving time since 1991, so a fixed offset is exact for
// every date this desk will see, and it keeps results independent of the server's TZ setting
// (chinese-days' own date functions are not: they give wrong answers west of UTC).

export const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
export const DAY_MS = 24 * 60 * 60 * 1000;

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Epoch-day number (days since 1970-01-01) of a 'YYYY-MM-DD' string, or NaN when it is not a real date. */
function epochDay(day: string): number {
  const m = DAY_PATTERN.exec(day);
  if (!m) return Number.NaN;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  // Date.UTC rolls 2026-02-30 over to March; a round trip catches such non-dates.
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return Number.NaN;
  return t / DAY_MS;
}

export function isValidDay(day: string): boolean {
  return !Number.isNaN(epochDay(day));
}

function requireDay(day: string): number {
  const n = epochDay(day);
  if (Number.isNaN(n)) {
    throw new RangeError(`"${day}" is not a calendar date; expected YYYY-MM-DD, e.g. "2026-10-01".`);
  }
  return n;
}

function fromEpochDay(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

function requireInstant(t: Date): number {
  const ms = t.getTime();
  if (Number.isNaN(ms)) throw new RangeError('Invalid Date given to the working-day calendar.');
  return ms;
}

/** The Asia/Shanghai calendar date of an instant. */
export function shanghaiDay(t: Date): string {
  return new Date(requireInstant(t) + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** Minutes since Asia/Shanghai midnight of an instant (fractional: seconds count). */
export function shanghaiMinuteOfDay(t: Date): number {
  const local = requireInstant(t) + SHANGHAI_OFFSET_MS;
  return (((local % DAY_MS) + DAY_MS) % DAY_MS) / 60_000;
}

export function addDays(day: string, n: number): string {
  return fromEpochDay(requireDay(day) + n);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(day: string): number {
  return new Date(requireDay(day) * DAY_MS).getUTCDay();
}

export function yearOf(day: string): number {
  requireDay(day);
  return Number(day.slice(0, 4));
}

/** The instant at `minuteOfDay` minutes after Asia/Shanghai midnight of `day`. */
export function shanghaiInstant(day: string, minuteOfDay: number): Date {
  return new Date(requireDay(day) * DAY_MS + minuteOfDay * 60_000 - SHANGHAI_OFFSET_MS);
}
