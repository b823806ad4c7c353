// 转办: NOT_STATIONED matters go by transfer slip through 业务协调科 to the department or
// town/street, AUTHORITY_UNCLEAR ones through 效能督查科 to 市便民服务中心. The unit contacts the
// citizen and replies within 3 working days; its reply comes back to the window.
import { Types } from 'mongoose';
import { can } from '../../machines/permissions.js';
import type { Actor, CaseDoc, TransferSlip } from '../../models/case.js';
import type { Sayable } from '../../models/sayable.js';
import type { UnitDoc } from '../../models/unit.js';
import { OPEN_STATUSES } from '../../models/vocabulary.js';
import { formatZhDateTime } from '../calendar/index.js';
import type { Directory } from '../directory/index.js';
import { DeskError, InvalidInputError } from '../errors.js';
import { CATEGORY_ZH, draftZh, PROVISIONAL_ZH, slipZh, staffZh } from '../locales/zh/cases.js';
import { guardOutgoing, redactFor, unitReadersMayIdentify } from '../privacy.js';
import { findIdentifiers, knownReporter } from '../privacy/detector.js';
import { type ChangeOptions, applyChange, loadCase } from './change.js';
import type { CaseDeps } from './deps.js';
import { FOLLOW_UP_WORKING_DAYS } from './feedback.js';
import { citizenCopy, citizenDue, say, toReporter, toRole, toRoom } from './notify.js';
import { type Performer, actorOf, authorizeOn, slipIndexFor } from './performer.js';
import { renderSlip } from './slip.js';
import { optionalText, requireBasis, requireText } from './text-input.js';

/**
 * 原则上于 3 个工作日内做好协调处办和答复反馈: the source's rule for departments and towns/streets.
 * A unit may set its own (`replyWorkingDays` in the directory); 市便民服务中心 has only
 * "按工单处办流程" in the source, so the 3 days it gets by default are a desk policy.
 */
export const UNIT_REPLY_WORKING_DAYS = 3;

export interface TransferInput {
  /** Unit code; for AUTHORITY_UNCLEAR the citizen service center when omitted. */
  unit?: string;
  /** 诉求内容 written by staff: checked by the detector, refused while it identifies the reporter to a unit that may not. */
  content?: string;
  remarks?: string;
  /**
   * Send only what staff have previewed: without a draft for this unit (as it would be sent now)
   * the transfer is refused with `details.needsPreview`, and the caller shows the preview first.
   */
  requirePreview?: boolean;
}

/** The unit a slip goes to, checked against the five situations. */
async function slipUnit(doc: CaseDoc, code: string | undefined, directory: Directory): Promise<UnitDoc> {
  const category = doc.lifecycle.category;
  const unit = code ? await directory.unit(code) : category === 'AUTHORITY_UNCLEAR' ? await directory.serviceCenter() : null;
  if (!unit) throw new InvalidInputError('unit', '请指定承办单位代码（#编号 转办 <单位代码>）。');
  if (category === 'NOT_STATIONED' && (unit.stationed || unit.kind === 'service_center'))
    throw new InvalidInputError('unit', `${unit.name} 不是未进驻的部门或镇（街道），未进驻事项应转给相关部门、镇（街道）。`);
  if (category === 'AUTHORITY_UNCLEAR' && unit.kind !== 'service_center')
    throw new InvalidInputError('unit', '审批主体不明的事项由效能督查科转交市便民服务中心。');
  return unit;
}

/**
 * The 诉求内容 a unit reads. Staff's own words are checked: while the unit may not identify the
 * reporter, any identifier the detector finds is refused, with what it found. Without staff's
 * words the desk proposes the account with every identifier taken out.
 */
export function composeContent(doc: CaseDoc, unit: UnitDoc, given?: string): { content: string; edited: boolean } {
  if (given !== undefined) {
    const text = requireText(given, 'content', '诉求内容');
    if (!unitReadersMayIdentify(doc, unit)) {
      const hits = findIdentifiers(text, knownReporter(doc.reporter));
      if (hits.length) throw new DeskError('invalid_input', draftZh.stillIdentifies(hits.map((h) => ({ kind: h.kind, written: text.slice(h.start, h.end) }))), { field: 'content', hits });
    }
    return { content: text, edited: true };
  }
  return { content: redactFor(doc, { kind: 'unit', unit: unit._id }, `${doc.matter}：${doc.account}`), edited: false };
}

/** `by`: who filled the slip in (转办人): the clerk whose previewed draft it is, else whoever sends it. */
function buildSlip(doc: CaseDoc, unit: UnitDoc, content: string, by: Actor, now: Date, due: { at: Date; provisional: boolean }, remarks?: string): TransferSlip {
  const category = doc.lifecycle.category;
  return {
    _id: new Types.ObjectId(),
    number: `${doc.number}-${doc.transfers.length + 1}`,
    unit: unit._id,
    ...(!unit.liaisons.length && unit.parent ? { readBy: unit.parent } : {}),
    via: category === 'AUTHORITY_UNCLEAR' ? 'supervision' : 'coordination',
    requestType: category ? CATEGORY_ZH[category] : '',
    receivedAt: doc.acceptedAt,
    transferredAt: now,
    replyDueAt: due.at,
    replyDueProvisional: due.provisional,
    content,
    transferredBy: by,
    identityShared: unitReadersMayIdentify(doc, unit),
    state: 'issued',
    ...(remarks ? { remarks } : {}),
  };
}

/** Exactly what the unit's liaisons receive for this slip: the slip, then how to answer. */
export function slipMessage(doc: CaseDoc, slip: TransferSlip, unitName: string): Sayable {
  const withSlip = { ...doc, transfers: [...doc.transfers.filter((t) => t.number !== slip.number), slip] };
  const text = `${renderSlip(withSlip, slip, unitName, { kind: 'unit', unit: slip.unit })}\n\n${slipZh.replyHint({ number: doc.number, contactCitizen: slip.identityShared })}`;
  return guardOutgoing(withSlip, { kind: 'unit', unit: slip.unit }, say(text));
}

export interface DraftInput {
  unit?: string;
  content?: string;
}

export interface DraftResult {
  case: CaseDoc;
  duplicate: boolean;
  /** The slip as the unit would read it if it were sent now. */
  preview: string;
  unit: { code: string; name: string };
  identityShared: boolean;
}

function mayDraft(doc: CaseDoc, p: Performer) {
  if (p.kind !== 'staff') return;
  const { roles } = p.staff;
  // The clerk fills the slip; whoever sends it may edit and preview it too.
  if (!can(roles, 'draftTransfer') && !can(roles, 'issueTransfer', { category: doc.lifecycle.category })) authorizeOn(doc, p, 'draftTransfer');
  else authorizeOn(doc, p, 'viewCase');
}

/** 填写转办单: stores the proposed or edited 诉求内容 for a unit and returns the preview. */
export async function draftTransfer(deps: CaseDeps, number: string, input: DraftInput, p: Performer, opts?: ChangeOptions): Promise<DraftResult> {
  let out: Omit<DraftResult, 'case' | 'duplicate'> | undefined;
  const r = await applyChange(
    deps,
    number,
    p,
    {
      async build({ doc, now, directory }) {
        mayDraft(doc, p);
        if (!OPEN_STATUSES.includes(doc.status)) throw new DeskError('illegal_transition', `事项 ${doc.number} 已结束，不能再填写转办单。`);
        const unit = await slipUnit(doc, input.unit, directory);
        const { content, edited } = composeContent(doc, unit, input.content);
        const due = deps.calendar.addWorkingDays(now, unit.replyWorkingDays ?? UNIT_REPLY_WORKING_DAYS);
        const slip = buildSlip(doc, unit, content, actorOf(p), now, due);
        const message = slipMessage(doc, slip, unit.name);
        out = { preview: message.kind === 'file' ? '' : message.text, unit: { code: unit._id, name: unit.name }, identityShared: slip.identityShared };
        return {
          set: { transferDraft: { unit: unit._id, content, identityShared: slip.identityShared, edited, by: actorOf(p), at: now } },
          timeline: [{ type: 'transfer_drafted', text: draftZh.draftedTimeline({ unit: unit.name, edited }), public: false }],
        };
      },
    },
    opts,
  );
  if (!out) {
    // A repeated command: show the stored draft again.
    const preview = await previewTransfer(deps, number, { unit: r.case.transferDraft?.unit }, p);
    return { ...preview, case: r.case, duplicate: true };
  }
  return { ...out, case: r.case, duplicate: r.duplicate };
}

/** 预览: what the unit would read now (the stored draft for it, else the desk's proposal). Changes nothing. */
export async function previewTransfer(deps: CaseDeps, number: string, input: { unit?: string }, p: Performer): Promise<Omit<DraftResult, 'duplicate'>> {
  const doc = await loadCase(deps, number);
  mayDraft(doc, p);
  const unit = await slipUnit(doc, input.unit ?? doc.transferDraft?.unit, deps.directory);
  const now = deps.clock.now();
  const draft = doc.transferDraft?.unit === unit._id ? doc.transferDraft : null;
  const content = draft ? draft.content : composeContent(doc, unit).content;
  const slip = buildSlip(doc, unit, content, draft?.by ?? actorOf(p), now, deps.calendar.addWorkingDays(now, unit.replyWorkingDays ?? UNIT_REPLY_WORKING_DAYS));
  const message = slipMessage(doc, slip, unit.name);
  return { case: doc, preview: message.kind === 'file' ? '' : message.text, unit: { code: unit._id, name: unit.name }, identityShared: slip.identityShared };
}

export function issueTransfer(deps: CaseDeps, number: string, input: TransferInput, p: Performer, opts?: ChangeOptions) {
  return applyChange(
    deps,
    number,
    p,
    {
      event: { type: 'TRANSFER' },
      async build({ doc, batch, now, directory }) {
        // 效能督查科会同相关部门、镇(街道)在 2 个工作日内分析问题并回应诉求: in rehandling the slip
        // goes back to a unit that handled the case, due when supervision's answer is.
        const back = doc.status === 'rehandling';
        const unit = await slipUnit(doc, input.unit ?? (back ? doc.transfers.at(-1)?.unit : undefined), directory);
        if (back && !doc.transfers.some((t) => t.unit === unit._id))
          throw new InvalidInputError('unit', `回访不满意再处理时，只能请原承办单位（${doc.transfers.map((t) => t.unit).join('、')}）再次处理。`);
        if (doc.transfers.some((t) => t.unit === unit._id && t.state !== 'replied'))
          throw new DeskError('conflict', `${unit.name} 已有一张未答复的转办单，请等待答复。`);
        const draft = doc.transferDraft;
        // The draft counts only as previewed: for this unit, and with identity shown or hidden as it would be now.
        const previewed = draft && draft.unit === unit._id && draft.identityShared === unitReadersMayIdentify(doc, unit) ? draft : null;
        if (input.content === undefined && !previewed && input.requirePreview)
          throw new DeskError('conflict', draftZh.needsPreview({ number: doc.number, unit: unit.name }), { needsPreview: true, unit: unit._id });
        const composed = input.content !== undefined ? composeContent(doc, unit, input.content).content : previewed ? previewed.content : composeContent(doc, unit).content;
        const comment = doc.followUps.at(-1)?.comment;
        const content =
          back && input.content === undefined
            ? `回访不满意，请再次处理。${comment ? `诉求人意见：${redactFor(doc, { kind: 'unit', unit: unit._id }, comment)}。` : ''}原诉求：${composed}`
            : composed;
        const rehandlingDue = doc.deadlines?.rehandling;
        const due =
          back && rehandlingDue
            ? { at: rehandlingDue.at, provisional: rehandlingDue.provisional, missingYears: [] as number[] }
            : deps.calendar.addWorkingDays(now, unit.replyWorkingDays ?? UNIT_REPLY_WORKING_DAYS);
        const by = input.content === undefined && previewed ? previewed.by : actorOf(p);
        const slip = buildSlip(doc, unit, content, by, now, due, optionalText(input.remarks, 'remarks', '备注'));
        if (back) slip.via = 'supervision';
        await batch.add({ kind: 'unit', unit: unit._id }, slipMessage(doc, slip, unit.name), { reason: 'unit.transfer_slip' });
        const dueText = formatZhDateTime(due.at);
        const citizenDueText = citizenDue(doc, due);
        const copy = citizenCopy(doc);
        // In rehandling the citizen was told supervision's date already; the unit's part is internal.
        if (!back)
          await toReporter(
          batch,
          doc,
          say(
            unit.kind === 'service_center'
              ? copy.transferredToCenter({ number: doc.number, due: citizenDueText })
              : copy.transferred({ number: doc.number, unit: unit.name, due: citizenDueText, unitContacts: slip.identityShared }),
          ),
          'citizen.transferred',
        );
        await toRoom(batch, doc, staffZh.transferred({ number: doc.number, slip: slip.number, unit: unit.name, due: dueText, provisional: due.provisional }), 'case.transferred');
        return {
          set: { transferDraft: null },
          push: { transfers: [slip] },
          timeline: [
            {
              type: 'transferred',
              text: `${back ? '回访不满意，效能督查科请原承办单位再次处理：' : ''}转办单 ${slip.number} 转 ${unit.name}（经${slip.via === 'supervision' ? '效能督查科' : '业务协调科'}），应反馈时间 ${dueText}`,
              public: !back,
              publicText: `已转交${unit.name}办理，应于 ${dueText}${due.provisional ? PROVISIONAL_ZH : ''} 前答复`,
            },
          ],
          // The follow-up waits for the unit's result (移交…的事项，待处办结果反馈后回访): the clock
          // from acceptance stops here and starts again when the unit replies.
          deadlines: back ? {} : { open: { unitReply: { at: due.at, provisional: due.provisional } }, drop: ['followUp'] },
        };
      },
    },
    opts,
  );
}

function openSlipIndex(doc: CaseDoc, p: Performer, action: 'unitAck' | 'unitReply'): number {
  if (p.kind === 'staff') return slipIndexFor(doc, p.staff, action);
  for (let i = doc.transfers.length - 1; i >= 0; i--) if (doc.transfers[i].state !== 'replied') return i;
  throw new DeskError('conflict', `事项 ${doc.number} 没有待答复的转办单。`);
}

export function unitAcknowledge(deps: CaseDeps, number: string, p: Performer, opts?: ChangeOptions) {
  return applyChange(
    deps,
    number,
    p,
    {
      event: { type: 'UNIT_ACK' },
      async build({ doc, batch, now, directory }) {
        const i = openSlipIndex(doc, p, 'unitAck');
        const unit = await directory.unit(doc.transfers[i].unit);
        await toRoom(batch, doc, staffZh.unitAcknowledged({ number: doc.number, unit: unit.name }), 'case.unit_ack');
        return {
          set: { [`transfers.${i}.state`]: 'acknowledged', [`transfers.${i}.acknowledgedAt`]: now, [`transfers.${i}.acknowledgedBy`]: actorOf(p) },
          timeline: [{ type: 'unit_ack', text: `${unit.name} 签收转办单 ${doc.transfers[i].number}`, public: true, publicText: `${unit.name}已签收` }],
        };
      },
    },
    opts,
  );
}

export interface UnitReplyInput {
  text: string;
  /** False when the citizen does not qualify: the basis is then required (不符合办理条件的写明依据). */
  eligible: boolean;
  basis?: string;
}

/** A reply the window can act on: at least this many characters (表述详实). */
export const MIN_UNIT_REPLY = 10;

export function unitReply(deps: CaseDeps, number: string, input: UnitReplyInput, p: Performer, opts?: ChangeOptions) {
  const text = requireText(input.text, 'text', '处理及回复情况', { min: MIN_UNIT_REPLY });
  const basis =
    input.eligible === false ? requireBasis(input.basis, 'basis', '不符合办理条件的政策法规依据') : optionalText(input.basis, 'basis', '依据');
  return applyChange(
    deps,
    number,
    p,
    {
      event: { type: 'UNIT_REPLY' },
      async build({ doc, batch, now, directory }) {
        const i = openSlipIndex(doc, p, 'unitReply');
        const slip = doc.transfers[i];
        const unit = await directory.unit(slip.unit);
        // What a liaison types about the citizen is for the window; keep it clean of identity anyway.
        const clean = redactFor(doc, { kind: 'unit', unit: unit._id }, text);
        await toRoom(batch, doc, staffZh.unitReplied({ number: doc.number, unit: unit.name, eligible: input.eligible !== false }), 'case.unit_reply');
        await toRole(batch, directory, doc, 'window_clerk', staffZh.unitReplied({ number: doc.number, unit: unit.name, eligible: input.eligible !== false }), 'case.unit_reply_clerk');
        return {
          set: {
            [`transfers.${i}.state`]: 'replied',
            [`transfers.${i}.reply`]: { text: clean, eligible: input.eligible !== false, basis, at: now, by: actorOf(p) },
          },
          timeline: [
            {
              type: 'unit_reply',
              text: `${unit.name} 答复（转办单 ${slip.number}）：${clean}${basis ? `（依据：${basis}）` : ''}`,
              public: true,
              publicText: `${unit.name}已答复，窗口正在核实`,
            },
          ],
          // Back in rehandling the follow-up comes after supervision's answer, not from this reply.
          deadlines: doc.status === 'rehandling' ? {} : { meet: ['unitReply'], open: { followUp: followUpFrom(deps, now) } },
        };
      },
    },
    opts,
  );
}

/** 5 working days from the unit's result: the follow-up clock of a transferred case. */
function followUpFrom(deps: CaseDeps, at: Date) {
  const d = deps.calendar.addWorkingDays(at, FOLLOW_UP_WORKING_DAYS);
  return { at: d.at, provisional: d.provisional };
}
