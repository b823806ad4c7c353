// The reports as people ask for them: who may have which, for whom the copy is composed, and the
// files as Sayables. The rules: every report needs the role table's viewCase; a unit's liaison
// gets only its own unit's slips (the unit's copy, as it was sent), ledger rows and figures, and
// never a 登记表; anything posted in a staff room carries no reporter identity at all; a full
// identity on a 登记表 needs viewFullIdentity in a private chat and is written to the audit log,
// as 身份 is.
import { can } from '../../machines/permissions.js';
import type { CaseDoc } from '../../models/case.js';
import type { Models } from '../../models/index.js';
import type { Sayable } from '../../models/sayable.js';
import type { StaffDoc } from '../../models/staff.js';
import type { WorkCalendar } from '../calendar/index.js';
import { loadCase, writeAudit } from '../cases/change.js';
import type { CaseDeps } from '../cases/deps.js';
import { onlyLiaison, slipIsFor } from '../cases/performer.js';
import { renderSlip } from '../cases/slip.js';
import { slipMessage } from '../cases/transfers.js';
import type { Clock } from '../clock.js';
import { toMessage, onlyDuplicates } from '../delivery/relay.js';
import type { Directory } from '../directory/index.js';
import { DeskError } from '../errors.js';
import { reportCommandZh } from '../locales/zh/reports.js';
import type { Logger } from '../logger.js';
import type { Viewer } from '../privacy.js';
import { OutboxBatch } from '../recipients.js';
import { onTimeChart, weeklyChart } from './charts.js';
import { registrationForm, slipForm } from './forms.js';
import { type Ledger, buildLedger } from './ledger.js';
import { type PerformanceReport, buildPerformance } from './performance.js';
import { type Period, type PeriodSpec, type PeriodUnit, resolvePeriod } from './period.js';
import { registrationPdf, slipPdf } from './pdf.js';
import { ledgerCsv, ledgerXlsx, performanceXlsx } from './sheets.js';
import { ledgerSummary, performanceText } from './text.js';

export interface ReportDeps {
  models: Models;
  directory: Directory;
  calendar: WorkCalendar;
  clock: Clock;
  logger: Logger;
  /** What 清单 without a period means: this week (default) or this month. */
  ledgerPeriod?: PeriodUnit;
}

export interface AskOptions {
  /** A staff room: anyone may read it, so no reporter identity at all. Default 'private'. */
  where?: 'room' | 'private';
}

export const MIME = {
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
  png: 'image/png',
  txt: 'text/plain; charset=utf-8',
} as const;

export const fileOf = (name: string, mime: string, bytes: Buffer, caption?: string): Sayable => ({
  kind: 'file',
  name,
  mime,
  base64: bytes.toString('base64'),
  ...(caption ? { caption } : {}),
});

const forbidden = (msg: string) => new DeskError('forbidden', msg);
const seesAllSites = (s: StaffDoc) => s.roles.includes('admin') || s.roles.includes('leader');

export function createReportServices(deps: ReportDeps) {
  const { models, directory, calendar, clock } = deps;
  const caseDeps = deps as unknown as CaseDeps;
  const unitNames = async () => {
    const all = await directory.units();
    const m = new Map(all.map((u) => [u._id, u.name]));
    return (code: string) => m.get(code) ?? code;
  };

  function mayAsk(staff: StaffDoc) {
    if (staff.active === false) throw forbidden(`${staff.name} 已不在工作人员名录中。`);
    if (!can(staff.roles, 'viewCase')) throw forbidden('您无权查看报表。');
  }

  async function caseFor(staff: StaffDoc, number: string): Promise<CaseDoc> {
    const doc = await loadCase(caseDeps, number);
    if (onlyLiaison(staff)) {
      if (!doc.transfers.some((t) => slipIsFor(t, staff))) throw forbidden(reportCommandZh.slipNotYours(doc.number));
    } else if (doc.site !== staff.site && !seesAllSites(staff)) throw forbidden(`事项 ${doc.number} 属于其他站点。`);
    return doc;
  }

  const staffViewer = (staff: StaffDoc, o: AskOptions): Viewer => (o.where === 'room' ? { kind: 'public' } : { kind: 'staff', staff });

  async function registration(staff: StaffDoc, number: string, o: AskOptions & { reveal?: boolean } = {}): Promise<Sayable[]> {
    mayAsk(staff);
    if (onlyLiaison(staff)) throw forbidden(reportCommandZh.noForms);
    const doc = await caseFor(staff, number);
    if (o.reveal && o.where === 'room') throw forbidden('完整身份信息不能发到工作群，请私聊机器人获取登记表。');
    if (o.reveal && !can(staff.roles, 'viewFullIdentity')) throw forbidden('您无权查看反映人完整身份信息。');
    const reveal = Boolean(o.reveal);
    const form = registrationForm(doc, staffViewer(staff, o), await unitNames(), { reveal });
    if (form.reporter.visibility === 'full') {
      const now = clock.now();
      await writeAudit(caseDeps, {
        _id: `${doc._id}:form:${staff._id}:${now.getTime()}`,
        at: now,
        actor: { kind: 'staff', id: staff._id },
        action: 'VIEW_FULL_IDENTITY',
        caseId: String(doc._id),
        caseNumber: doc.number,
        site: doc.site,
        detail: { form: 'registration' },
      });
    }
    return [fileOf(`登记表-${doc.number}.pdf`, MIME.pdf, await registrationPdf(form), reportCommandZh.registrationCaption(doc.number))];
  }

  /** The slips of a case as this person may have them: text and PDF for each. */
  async function slips(staff: StaffDoc, number: string, o: AskOptions = {}): Promise<Sayable[]> {
    mayAsk(staff);
    const doc = await caseFor(staff, number);
    const liaison = onlyLiaison(staff);
    const mine = liaison ? doc.transfers.filter((t) => slipIsFor(t, staff)) : doc.transfers;
    if (!doc.transfers.length) throw new DeskError('not_found', reportCommandZh.slipNone(doc.number));
    const names = await unitNames();
    const out: Sayable[] = [];
    for (const slip of mine) {
      // A liaison gets the unit's own copy, exactly as composed for the unit when it was sent;
      // in a staff room everyone gets the copy for anyone.
      const viewer: Viewer = o.where === 'room' ? { kind: 'public' } : liaison ? { kind: 'unit', unit: slip.unit } : staffViewer(staff, o);
      out.push({ kind: 'text', text: renderSlip(doc, slip, names(slip.unit), viewer) });
      out.push(fileOf(`转办单-${slip.number}.pdf`, MIME.pdf, await slipPdf(slipForm(doc, slip, names(slip.unit), viewer)), reportCommandZh.slipCaption(slip.number)));
    }
    return out;
  }

  /** Sends a case's latest slip to its unit's liaisons again, text and PDF, as the unit's copy. */
  async function resendSlip(staff: StaffDoc, number: string): Promise<Sayable[]> {
    mayAsk(staff);
    const doc = await caseFor(staff, number);
    if (onlyLiaison(staff) || !can(staff.roles, 'issueTransfer', { category: doc.lifecycle.category }))
      throw forbidden('只有转办该事项的科室（未进驻：业务协调科；审批主体不明：效能督查科）可以重发转办单。');
    const slip = doc.transfers[doc.transfers.length - 1];
    if (!slip) throw new DeskError('not_found', reportCommandZh.slipNone(doc.number));
    const unit = await directory.unit(slip.unit);
    const viewer: Viewer = { kind: 'unit', unit: unit._id };
    const now = clock.now();
    // Gated like every outgoing message, against the case as it is now (settled units may have changed).
    const batch = new OutboxBatch(directory, `resend:${slip.number}:${now.getTime()}`, { site: doc.site, caseId: String(doc._id), caseNumber: doc.number, createdAt: now }, doc);
    await batch.add({ kind: 'unit', unit: unit._id }, slipMessage(doc, slip, unit.name), { reason: 'unit.transfer_slip_resent' });
    await batch.add({ kind: 'unit', unit: unit._id }, fileOf(`转办单-${slip.number}.pdf`, MIME.pdf, await slipPdf(slipForm(doc, slip, unit.name, viewer))), {
      reason: 'unit.transfer_slip_resent_pdf',
    });
    if (batch.entries.length) {
      try {
        await models.Message.insertMany(batch.entries.map(toMessage), { ordered: false });
      } catch (err) {
        if (!onlyDuplicates(err)) throw err;
      }
    }
    return [{ kind: 'text', text: reportCommandZh.resent({ slip: slip.number, unit: unit.name }) }];
  }

  const periodFor = (spec: PeriodSpec): Period => resolvePeriod(spec, calendar.localDate(clock.now()));

  /** Whose figures: a liaison's unit, or a site (staff's own; admins and leaders any). */
  async function scopeOf(staff: StaffDoc, site?: string): Promise<{ site?: string; unit?: string; label: string; siteName?: string }> {
    if (onlyLiaison(staff)) {
      if (!staff.unit) throw forbidden('您没有所属单位，无法获取报表。');
      return { unit: staff.unit, label: (await unitNames())(staff.unit) };
    }
    const code = site && seesAllSites(staff) ? site : staff.site;
    const s = await directory.site(code);
    return { site: s._id, label: s.name, siteName: s.name };
  }

  async function ledgerData(q: { period: Period; site?: string; unit?: string; viewer: Viewer; scope: string }): Promise<Ledger> {
    return buildLedger(models, { ...q, units: await unitNames() });
  }

  async function ledgerFiles(l: Ledger): Promise<Sayable[]> {
    const base = `问题清单表-${l.period.from}_${l.period.to}`;
    return [
      { kind: 'text', text: ledgerSummary(l) },
      fileOf(`${base}.xlsx`, MIME.xlsx, await ledgerXlsx(l), reportCommandZh.ledgerCaption(l.period.label)),
      fileOf(`${base}.csv`, MIME.csv, ledgerCsv(l)),
    ];
  }

  async function ledger(staff: StaffDoc, spec: PeriodSpec, o: AskOptions & { site?: string } = {}): Promise<Sayable[]> {
    mayAsk(staff);
    const scope = await scopeOf(staff, o.site);
    return ledgerFiles(await ledgerData({ period: periodFor(spec), site: scope.site, unit: scope.unit, viewer: staffViewer(staff, o), scope: scope.label }));
  }

  async function performanceData(q: { period: Period; site?: string; unit?: string; scope: string; siteName?: string }): Promise<PerformanceReport> {
    return buildPerformance({ models, calendar }, { ...q, asOf: clock.now(), unitName: await unitNames() });
  }

  async function performanceFiles(p: PerformanceReport): Promise<Sayable[]> {
    const charts = [
      { name: '按时率', file: `考核-按时率-${p.period.from}_${p.period.to}.png`, png: await onTimeChart(p) },
      { name: '每周受理', file: `考核-每周受理-${p.period.from}_${p.period.to}.png`, png: await weeklyChart(p) },
    ];
    return [
      { kind: 'text', text: performanceText(p) },
      fileOf(`考核评价-${p.period.from}_${p.period.to}.xlsx`, MIME.xlsx, await performanceXlsx(p, charts), reportCommandZh.performanceCaption(p.period.label)),
      ...charts.map((c) => fileOf(c.file, MIME.png, c.png)),
    ];
  }

  async function performance(staff: StaffDoc, spec: PeriodSpec, o: AskOptions & { site?: string } = {}): Promise<Sayable[]> {
    mayAsk(staff);
    const scope = await scopeOf(staff, o.site);
    return performanceFiles(await performanceData({ period: periodFor(spec), site: scope.site, unit: scope.unit, scope: scope.label, siteName: scope.siteName }));
  }

  const defaultLedgerPeriod: PeriodSpec = { kind: 'relative', unit: deps.ledgerPeriod ?? 'week', offset: 0 };

  return { defaultLedgerPeriod, registration, slips, resendSlip, ledger, performance, periodFor, ledgerData, ledgerFiles, performanceData, performanceFiles };
}

export type ReportServices = ReturnType<typeof createReportServices>;
