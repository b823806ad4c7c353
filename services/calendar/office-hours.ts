// Office hours as minutes after midnight, checked once so the arithmetic can trust them.

export interface OfficeHours {
  /** 'HH:MM', Asia/Shanghai wall clock. */
  open: string;
  /** 'HH:MM', later than `open` on the same day. */
  close: string;
}

export const DEFAULT_OFFICE_HOURS: OfficeHours = { open: '09:00', close: '17:00' };

export interface OfficeWindow {
  openMin: number;
  closeMin: number;
  lengthMs: number;
}

/** Office hours an operator has to correct before the desk can count deadlines. */
export class OfficeHoursError extends Error {
  constructor(
    readonly officeHours: OfficeHours,
    problem: string,
  ) {
    super(
      `Office hours ${JSON.stringify(officeHours)}: ${problem}. ` +
        'Give open and close as HH:MM on the same day, open before close, e.g. { open: "09:00", close: "17:00" } (OFFICE_HOURS=09:00-17:00).',
    );
    this.name = 'OfficeHoursError';
  }
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

function minutes(hours: OfficeHours, value: string, which: string): number {
  const m = HHMM.exec(value);
  if (!m) throw new OfficeHoursError(hours, `${which} "${value}" is not HH:MM`);
  return Number(m[1]) * 60 + Number(m[2]);
}

export function officeWindow(hours: OfficeHours): OfficeWindow {
  const openMin = minutes(hours, hours.open, 'open');
  const closeMin = minutes(hours, hours.close, 'close');
  if (closeMin <= openMin) throw new OfficeHoursError(hours, 'close is not after open');
  return { openMin, closeMin, lengthMs: (closeMin - openMin) * 60_000 };
}
