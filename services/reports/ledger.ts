// 问题清单表 (attachment 2): the cases of one period, and again every case still open when the
// period began (备注 是: 本周期内未办结的诉求请在下个周期补充填写). What a row says is what was
// known at the period's end: a case settled later still reads 处理中 in that period's ledger.
import type { CaseDoc } from '../../models/case.js';
import type { Models } from '../../models/index.js';
import { CHANNEL_ZH } from '../locales/zh/reminders.js';
import { ledgerZh } from '../locales/zh/reports.js';
import { type Viewer, redactFor, reporterFor } from '../privacy.js';
import { type UnitNames, basisOf, handlingDetail, shortDateTime } from './forms.js';
import type { Period } from './period.js';

export interface LedgerRow {
  serial: number;
  number: string;
  receivedAt: Date;
  window: string;
  requester: string;
  phone: string;
  channel: string;
  request: string;
  handling: string;
  basis: string;
  /** Still open when the period began: listed again, 备注 是. */
  carried: boolean;
  /** Still open when the period ended (处理中). */
  open: boolean;
}

export interface Ledger {
  period: Period;
  scope: string;
  rows: LedgerRow[];
}

export interface LedgerQuery {
  period: Period;
  /** The site's cases; or, for a unit's liaison, `unit`: only the cases transferred to it. */
  site?: string;
  unit?: string;
  viewer: Viewer;
  units: UnitNames;
  scope: string;
}

/** The fields a ledger row needs: top-level inclusions (the embedded store is slowest at exclusions and nested paths). */
export const LEDGER_PROJECTION = {
  number: 1,
  site: 1,
  channel: 1,
  reporter: 1,
  acceptedAt: 1,
  matter: 1,
  account: 1,
  involvedUnit: 1,
  category: 1,
  status: 1,
  handling: 1,
  outcome: 1,
  replies: 1,
  transfers: 1,
  followUps: 1,
  closedAt: 1,
} as const;

/** Whether the case was settled (办结) before `t`; a dissatisfied follow-up after the outcome reopens it. */
function settledBefore(doc: CaseDoc, t: Date): boolean {
  if (doc.closedAt && doc.closedAt < t) return true;
  const o = doc.outcome;
  if (!o || o.at >= t) return false;
  return !doc.followUps.some((f) => f.satisfaction === 'dissatisfied' && f.at > o.at && f.at < t);
}

/** Received before `t` and not yet settled then. */
export const openAt = (doc: CaseDoc, t: Date) => doc.acceptedAt < t && !settledBefore(doc, t);

/** The store filter: the period's cases and every older one that may still have been open when it began. */
export function ledgerFilter(q: Pick<LedgerQuery, 'period' | 'site' | 'unit'>): Record<string, unknown> {
  const { start, end } = q.period;
  return {
    ...(q.unit ? { 'transfers.unit': q.unit } : { site: q.site }),
    status: { $ne: 'out_of_scope' },
    acceptedAt: { $lt: end },
    $or: [{ acceptedAt: { $gte: start } }, { closedAt: null }, { closedAt: { $gte: start } }],
  };
}

export function ledgerRows(docs: CaseDoc[], q: Pick<LedgerQuery, 'period' | 'viewer' | 'units'>): LedgerRow[] {
  const { start, end } = q.period;
  const picked = docs
    .filter((d) => d.acceptedAt >= start || openAt(d, start))
    .sort((a, b) => a.acceptedAt.getTime() - b.acceptedAt.getTime() || a.number.localeCompare(b.number));
  return picked.map((doc, i) => {
    const r = (t: string) => redactFor(doc, q.viewer, t);
    const who = reporterFor(doc, q.viewer);
    const open = openAt(doc, end);
    const known = handlingDetail(doc, r, q.units).filter((l) => l.at < end).map((l) => l.line);
    const withdrawn = doc.status === 'withdrawn' && doc.closedAt && doc.closedAt < end;
    const handling = withdrawn
      ? [ledgerZh.withdrawn, ...known]
      : open
        ? [`${ledgerZh.open}${known.length ? `：${known[known.length - 1]}` : ''}`]
        : known;
    return {
      serial: i + 1,
      number: doc.number,
      receivedAt: doc.acceptedAt,
      window: ledgerZh.window,
      requester: who.visibility === 'hidden' ? ledgerZh.hidden : who.name,
      phone: who.visibility === 'hidden' ? ledgerZh.hidden : who.phone,
      channel: CHANNEL_ZH[doc.channel] ?? doc.channel,
      request: `${doc.number} ${r(doc.matter)}：${r(doc.account)}`,
      handling: handling.join('\n'),
      basis: open ? '' : basisOf(doc, r),
      carried: doc.acceptedAt < start,
      open,
    };
  });
}

export async function buildLedger(models: Models, q: LedgerQuery): Promise<Ledger> {
  const docs = await models.Case.find(ledgerFilter(q)).select(LEDGER_PROJECTION).lean<CaseDoc[]>().exec();
  return { period: q.period, scope: q.scope, rows: ledgerRows(docs, q) };
}

/** The ledger as the rows of the paper form, in column order (the same cells in XLSX and CSV). */
export function ledgerCells(row: LedgerRow): string[] {
  return [
    String(row.serial),
    shortDateTime(row.receivedAt),
    row.window,
    row.requester,
    row.phone,
    row.channel,
    row.request,
    row.handling,
    row.basis,
    row.carried ? ledgerZh.carried : '',
  ];
}
