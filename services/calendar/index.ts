// The working-day calendar: statutory holidays and 调休 in Asia/Shanghai, office hours, and
// deadline arithmetic. Everything else in the desk counts time through this barrel.
export type { HolidaySource } from './holiday-source.js';
export { chineseDaysSource, HolidayDataError } from './holiday-source.js';
export type { OfficeHours } from './office-hours.js';
export { DEFAULT_OFFICE_HOURS, OfficeHoursError } from './office-hours.js';
export type { CalendarCheck } from './check.js';
export { checkCalendar } from './check.js';
export type { CalendarOverrides, Notice } from './overrides.js';
export { CalendarConfigError, expandNotice, loadCalendarOverrides, parseCalendarOverrides } from './overrides.js';
export type { Festival, StatutoryDay } from './statutory.js';
export { statutoryDays } from './statutory.js';
export type { AcceptanceStart, Deadline, WorkCalendar, WorkingDuration, YearStatus } from './types.js';
export type { WorkCalendarOptions } from './work-calendar.js';
export { createWorkCalendar, NoWorkingDayError, WARNING_HORIZON_DAYS } from './work-calendar.js';
export { missingYearWarning, provisionalNote } from './warnings.js';
export { formatWorkingDuration, formatZhDate, formatZhDateTime } from './format.js';
