// The data of the two per-case forms, as the reader may see it: 登记表 (attachment 1) for one
// case, 转办单 (attachment 3) for one transfer. Reporter identity and every free text go through
// the privacy rule (services/privacy.ts) for the viewer; the renderers only lay these out.
import type { CaseDoc, TransferSlip } from '../../models/case.js';
import { OUTCOME_ZH } from '../cases/handling.js';
import { CATEGORY_ZH, SATISFACTION_ZH, slipZh } from '../locales/zh/cases.js';
import { CHANNEL_ZH } from '../locales/zh/reminders.js';
import { registrationZh } from '../locales/zh/reports.js';
import { screenZh } from '../locales/zh/staff-commands.js';
import { type ReporterView, type Viewer, redactFor, reporterFor, subjectUnits } from '../privacy.js';

const SHANGHAI_MS = 8 * 3_600_000;
/** '2026-11-24 10:00', Asia/Shanghai: short enough for a table cell. */
export const shortDateTime = (t: Date) => new Date(t.getTime() + SHANGHAI_MS).toISOString().slice(0, 16).replace('T', ' ');
/** '2026年11月24日': the 年 月 日 of the paper forms. */
export const zhDate = (t: Date) => {
  const d = new Date(t.getTime() + SHANGHAI_MS);
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
};

export type UnitNames = (code: string) => string;

const ONLINE = new Set(['wechat', 'telegram', 'console', 'web']);

export interface RegistrationForm {
  number: string;
  name: string;
  phone: string;
  receivedBy: string;
  receivedAt: string;
  account: string;
  onSite: string;
  unit: string;
  reply: string;
  date: string;
  reporter: ReporterView;
}

function who(v: ReporterView, hidden: string): { name: string; phone: string } {
  return v.visibility === 'hidden' ? { name: hidden, phone: hidden } : { name: v.name, phone: v.phone };
}

/** 回复、处理情况 / 处办及回复详细情况: the outcome, the units' replies and what the citizen was told. */
export function handlingDetail(doc: CaseDoc, r: (text: string) => string, units: UnitNames): { at: Date; line: string }[] {
  const lines: { at: Date; line: string }[] = [];
  const push = (at: Date, line: string) => lines.push({ at, line: `${shortDateTime(at)} ${line}` });
  for (const t of doc.transfers) {
    if (t.reply) push(t.reply.at, `${units(t.unit)}答复：${t.reply.eligible ? '' : '【不符合办理条件】'}${r(t.reply.text)}`);
  }
  if (doc.outcome) push(doc.outcome.at, `办结（${OUTCOME_ZH[doc.outcome.kind]}）：${r(doc.outcome.text)}`);
  for (const reply of doc.replies) {
    const kind = reply.kind === 'first_feedback' ? '首次反馈' : reply.kind === 'progress' ? '进度反馈' : '反馈结果';
    push(reply.at, `${kind}：${r(reply.text)}`);
  }
  for (const f of doc.followUps) push(f.at, `回访（第${f.round}次）：${SATISFACTION_ZH[f.satisfaction]}${f.comment ? `，${r(f.comment)}` : ''}`);
  return lines.sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** 处办依据: the outcome's basis and every unit's, once each. */
export function basisOf(doc: CaseDoc, r: (text: string) => string): string {
  const all = [doc.outcome?.basis, ...doc.transfers.map((t) => t.reply?.basis), ...(doc.handling ?? []).map((h) => h.basis)].filter((b): b is string => Boolean(b));
  return [...new Set(all)].map(r).join('；');
}

export function registrationForm(doc: CaseDoc, viewer: Viewer, units: UnitNames, opts: { reveal?: boolean } = {}): RegistrationForm {
  const r = (t: string) => redactFor(doc, viewer, t);
  const reporter = reporterFor(doc, viewer, opts);
  // With the identity revealed, free text keeps it too: the form is the window's own record.
  const text = reporter.visibility === 'full' ? (t: string) => t : r;
  const id = who(reporter, registrationZh.hidden);
  const onSite = doc.handling
    .filter((h) => h.kind !== 'supplement')
    .map((h) => {
      const extra = [h.missingMaterials?.length ? `需补齐：${h.missingMaterials.join('；')}` : '', h.attendees?.length ? `参会：${h.attendees.join('、')}` : '', h.basis ? `依据：${text(h.basis)}` : '']
        .filter(Boolean)
        .join('；');
      return `${shortDateTime(h.at)} 【${screenZh.handlingKinds[h.kind] ?? h.kind}】${text(h.text)}${extra ? `（${extra}）` : ''}`;
    });
  const unitNames = [...new Set([...subjectUnits(doc), ...doc.transfers.map((t) => t.unit)])].map(units);
  const reply = handlingDetail(doc, text, units).map((l) => l.line);
  const basis = basisOf(doc, text);
  return {
    number: doc.number,
    name: id.name,
    phone: id.phone,
    receivedBy: doc.receivedBy?.label ?? (ONLINE.has(doc.channel) ? registrationZh.online(CHANNEL_ZH[doc.channel]) : registrationZh.none),
    receivedAt: shortDateTime(doc.acceptedAt),
    account: [`事项：${text(doc.matter)}`, text(doc.account), ...(doc.category ? [`情形：${CATEGORY_ZH[doc.category]}`] : [])].join('\n'),
    onSite: onSite.join('\n') || registrationZh.none,
    unit: unitNames.join('、') || registrationZh.none,
    reply: [...reply, ...(basis ? [`依据：${basis}`] : [])].join('\n') || registrationZh.none,
    date: doc.outcome ? zhDate(doc.outcome.at) : '',
    reporter,
  };
}

export interface SlipForm {
  title: string;
  number: string;
  unit: string;
  requestType: string;
  receivedAt: string;
  transferredAt: string;
  requester: string;
  contact: string;
  replyDue: string;
  content: string;
  transferredBy: string;
  transferredOn: string;
  reply: string;
  basis: string;
  handledBy: string;
  handledOn: string;
  remarks: string;
  privacy: string;
  labels: typeof slipZh.fields;
}

/** One transfer slip's fields, for `viewer` (a unit's copy: `{ kind: 'unit', unit }`). */
export function slipForm(doc: CaseDoc, slip: TransferSlip, unitName: string, viewer: Viewer): SlipForm {
  const who = reporterFor(doc, viewer);
  const r = (t: string) => redactFor(doc, viewer, t);
  return {
    title: slipZh.title,
    number: slip.number,
    unit: unitName,
    requestType: slip.requestType,
    receivedAt: shortDateTime(slip.receivedAt),
    transferredAt: shortDateTime(slip.transferredAt),
    requester: who.visibility === 'hidden' ? slipZh.hidden : who.name,
    contact: who.visibility === 'hidden' ? slipZh.hidden : who.phone,
    replyDue: `${shortDateTime(slip.replyDueAt)}${slip.replyDueProvisional ? '（暂定）' : ''}`,
    content: r(slip.content),
    transferredBy: slip.transferredBy.label ?? slip.transferredBy.id,
    transferredOn: zhDate(slip.transferredAt),
    reply: slip.reply ? `${slip.reply.eligible ? '' : '【不符合办理条件】'}${r(slip.reply.text)}` : '',
    basis: slip.reply?.basis ? r(slip.reply.basis) : '',
    handledBy: slip.reply ? (slip.reply.by.label ?? slip.reply.by.id) : '',
    handledOn: slip.reply ? zhDate(slip.reply.at) : '',
    remarks: slip.remarks ? r(slip.remarks) : '',
    privacy: slipZh.privacy,
    labels: slipZh.fields,
  };
}
