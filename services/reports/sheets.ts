// The period ledger as XLSX (exceljs) and CSV, and the performance report as XLSX. CSV starts
// with a UTF-8 byte-order mark: without it Excel on a Chinese Windows reads the file as GBK.
import ExcelJS from 'exceljs';
import { CATEGORY_ZH } from '../locales/zh/cases.js';
import { CHANNEL_ZH } from '../locales/zh/reminders.js';
import { ledgerZh, performanceZh } from '../locales/zh/reports.js';
import { type Ledger, ledgerCells } from './ledger.js';
import type { PerformanceReport } from './performance.js';

const WIDTHS = [6, 17, 14, 10, 14, 9, 44, 52, 24, 12];

export async function ledgerXlsx(l: Ledger): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'banbucheng-desk';
  const ws = wb.addWorksheet(ledgerZh.title.replace(/[“”]/g, ''), { views: [{ state: 'frozen', ySplit: 4 }] });
  ws.columns = WIDTHS.map((width) => ({ width }));
  const n = WIDTHS.length;
  ws.mergeCells(1, 1, 1, n);
  ws.getCell(1, 1).value = ledgerZh.title;
  ws.getCell(1, 1).font = { bold: true, size: 16 };
  ws.getCell(1, 1).alignment = { horizontal: 'center' };
  ws.mergeCells(2, 1, 2, n);
  ws.getCell(2, 1).value = ledgerZh.note;
  ws.getCell(2, 1).alignment = { horizontal: 'center' };
  ws.mergeCells(3, 1, 3, n);
  ws.getCell(3, 1).value = `${ledgerZh.period(l.period.label)}　${ledgerZh.scope(l.scope)}`;
  const header = ws.getRow(4);
  header.values = ledgerZh.columns;
  header.font = { bold: true };
  header.alignment = { wrapText: true, vertical: 'middle', horizontal: 'center' };
  const border = { style: 'thin' as const };
  const box = { top: border, left: border, bottom: border, right: border };
  for (let c = 1; c <= n; c++) header.getCell(c).border = box;
  // Every data cell shares one style object: exceljs looks a style object up by identity before
  // comparing it field by field, which on a month's ledger (100,000 cells) took a second.
  const alignment: Partial<ExcelJS.Alignment> = { wrapText: true, vertical: 'top' };
  const rowStyle: Partial<ExcelJS.Style> = { alignment };
  const cellStyle: Partial<ExcelJS.Style> = { alignment, border: box };
  for (const row of l.rows) {
    const r = ws.addRow(ledgerCells(row));
    r.getCell(1).value = row.serial;
    // What `r.alignment = …` sets (the row's own format, for cells typed in later), without a copy per row.
    (r as unknown as { style: Partial<ExcelJS.Style> }).style = rowStyle;
    for (let c = 1; c <= n; c++) r.getCell(c).style = cellStyle;
  }
  // Inline strings: a shared-string table costs more time to build than it saves on a ledger.
  return Buffer.from(await wb.xlsx.writeBuffer({ useSharedStrings: false } as Partial<ExcelJS.XlsxWriteOptions>));
}

const csvCell = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export function ledgerCsv(l: Ledger): Buffer {
  const lines = [ledgerZh.columns, ...l.rows.map(ledgerCells)].map((cells) => cells.map(csvCell).join(','));
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

/** 0.8333 → '83.3%'; no denominator → '—'. */
export const percent = (r: number | null) => (r === null ? performanceZh.na : `${(Math.round(r * 1000) / 10).toFixed(1)}%`);
export const days = (d: number | null) => (d === null ? performanceZh.na : (Math.round(d * 100) / 100).toFixed(2));

export function unitCells(u: PerformanceReport['units'][number]): (string | number)[] {
  return [
    u.name,
    u.received,
    u.signedOnTime,
    percent(u.signRate),
    u.replied,
    u.repliedOnTime,
    u.repliedLate,
    percent(u.onTimeRate),
    days(u.avgReplyDays),
    days(u.p90ReplyDays),
    u.overdueOpen,
    u.followedUp,
    u.satisfied,
    percent(u.satisfactionRate),
    u.rehandled,
    percent(u.rehandlingRate),
  ];
}

export const categoryLabel = (c: string) => (c === 'none' ? performanceZh.uncategorized : (CATEGORY_ZH as Record<string, string>)[c] ?? c);
export const channelLabel = (c: string) => (CHANNEL_ZH as Record<string, string>)[c] ?? c;

export async function performanceXlsx(p: PerformanceReport, charts: { name: string; png: Buffer }[] = []): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'banbucheng-desk';
  const z = performanceZh;
  const ws = wb.addWorksheet(z.unitSheet);
  ws.columns = z.unitColumns.map((_, i) => ({ width: i === 0 ? 22 : 11 }));
  ws.mergeCells(1, 1, 1, z.unitColumns.length);
  ws.getCell(1, 1).value = `${z.title}（${p.period.label}，${p.scope}）`;
  ws.getCell(1, 1).font = { bold: true, size: 14 };
  const header = ws.getRow(2);
  header.values = z.unitColumns;
  header.font = { bold: true };
  header.alignment = { wrapText: true, vertical: 'middle' };
  for (const u of p.units) ws.addRow(unitCells(u));
  ws.addRow([]);
  ws.addRow([z.notes]);
  if (p.site) {
    const s = p.site;
    const ss = wb.addWorksheet(z.siteSheet);
    ss.columns = [{ width: 26 }, { width: 14 }, { width: 14 }];
    ss.addRow([`${s.name}（${p.period.label}）`]).font = { bold: true, size: 14 };
    ss.addRow([z.siteRows.total, s.total]);
    ss.addRow([z.siteRows.outOfScope, s.outOfScope]);
    ss.addRow([z.siteRows.sameDay, percent(s.sameDayRate), `${s.sameDay}/${s.sameDayDue}`]);
    ss.addRow([z.siteRows.followUp, percent(s.followUpRate), `${s.followUpInTime}/${s.followUpDue}`]);
    ss.addRow([]);
    ss.addRow([z.siteRows.byCategory]).font = { bold: true };
    for (const [c, n] of Object.entries(s.byCategory)) ss.addRow([categoryLabel(c), n]);
    ss.addRow([]);
    ss.addRow([z.siteRows.byChannel]).font = { bold: true };
    for (const [c, n] of Object.entries(s.byChannel)) ss.addRow([channelLabel(c), n]);
    ss.addRow([]);
    ss.addRow([z.chartWeekly]).font = { bold: true };
    for (const w of p.weekly) ss.addRow([w.week.label, w.cases]);
  }
  for (const c of charts) {
    const sheet = wb.addWorksheet(c.name.slice(0, 31));
    const id = wb.addImage({ buffer: c.png as unknown as ExcelJS.Buffer, extension: 'png' });
    sheet.addImage(id, { tl: { col: 0, row: 0 }, ext: { width: 900, height: 450 } });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
