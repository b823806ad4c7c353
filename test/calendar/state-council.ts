// The State Council's holiday schedules, typed in from the notices themselves (not from
// chinese-days), so the suites below check the package against the source.

export interface Festival {
  name: string;
  /** Inclusive range of days off. */
  off: [string, string];
  /** Make-up working days (调休上班). */
  work: string[];
}

/** 国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号） */
export const SCHEDULE_2025: Festival[] = [
  { name: '元旦', off: ['2025-01-01', '2025-01-01'], work: [] },
  { name: '春节', off: ['2025-01-28', '2025-02-04'], work: ['2025-01-26', '2025-02-08'] },
  { name: '清明节', off: ['2025-04-04', '2025-04-06'], work: [] },
  { name: '劳动节', off: ['2025-05-01', '2025-05-05'], work: ['2025-04-27'] },
  { name: '端午节', off: ['2025-05-31', '2025-06-02'], work: [] },
  { name: '国庆节、中秋节', off: ['2025-10-01', '2025-10-08'], work: ['2025-09-28', '2025-10-11'] },
];

/** 国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号） */
export const SCHEDULE_2026: Festival[] = [
  { name: '元旦', off: ['2026-01-01', '2026-01-03'], work: ['2026-01-04'] },
  { name: '春节', off: ['2026-02-15', '2026-02-23'], work: ['2026-02-14', '2026-02-28'] },
  { name: '清明节', off: ['2026-04-04', '2026-04-06'], work: [] },
  { name: '劳动节', off: ['2026-05-01', '2026-05-05'], work: ['2026-05-09'] },
  { name: '端午节', off: ['2026-06-19', '2026-06-21'], work: [] },
  { name: '中秋节', off: ['2026-09-25', '2026-09-27'], work: [] },
  { name: '国庆节', off: ['2026-10-01', '2026-10-07'], work: ['2026-09-20', '2026-10-10'] },
];

export function daysFrom(first: string, last: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${first}T00:00:00Z`); t <= Date.parse(`${last}T00:00:00Z`); t += 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

/** Whether a day is a working day according to the notice alone. */
export function workingPerNotice(schedule: Festival[], day: string): boolean {
  if (schedule.some((f) => f.work.includes(day))) return true;
  if (schedule.some((f) => day >= f.off[0] && day <= f.off[1])) return false;
  const wd = new Date(`${day}T00:00:00Z`).getUTCDay();
  return wd >= 1 && wd <= 5;
}

/** A Beijing-time instant: at('2025-09-30 18:30'). */
export function at(local: string): Date {
  return new Date(`${local.replace(' ', 'T')}:00+08:00`);
}
