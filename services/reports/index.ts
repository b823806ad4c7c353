// Forms, the period ledger and unit performance (考核评价): data builders, renderers (PDF, XLSX,
// CSV, PNG, text), the services people ask through, and the scheduled posting.
export { ACK_WORKING_DAYS, type PerformanceReport, type SitePerformance, type UnitPerformance, buildPerformance, percentile } from './performance.js';
export { type Ledger, type LedgerRow, buildLedger, ledgerCells, openAt } from './ledger.js';
export { type RegistrationForm, type SlipForm, registrationForm, slipForm } from './forms.js';
export { type Period, type PeriodSpec, parsePeriod, periodOf, previousPeriod, resolvePeriod, weekStart } from './period.js';
export { registrationPdf, slipPdf } from './pdf.js';
export { ledgerCsv, ledgerXlsx, performanceXlsx } from './sheets.js';
export { onTimeChart, weeklyChart } from './charts.js';
export { ledgerSummary, performanceText } from './text.js';
export { type AskOptions, MIME, type ReportDeps, type ReportServices, createReportServices, fileOf } from './service.js';
export { reportFont } from './fonts.js';
export { type ReportScheduler, REPORT_SCHEDULER_LOCK, createReportScheduler, dueReports } from './schedule.js';
