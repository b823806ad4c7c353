// 转办: NOT_STATIONED matters go by transfer slip through 业务协调科 to the department or
// town/street, AUTHORITY_UNCLEAR ones through 效能督查科 to 市便民服务中心. The unit contacts the
// citizen and replies within 3 working days; its reply comes back to the window.
import { Types } from 'mongoose';
import type { TransferSlip } from '../../models/case.js';
import { formatZhDateTime } from '../calendar/index.js';
import { DeskError, InvalidInputError } from '../errors.js';
import { CATEGORY_ZH, PROVISIONAL_ZH, slipZh, staffZh } from '../locales/zh/cases.js';
import { redactFor, unitMayIdentify } from '../privacy.js';
import { type ChangeOptions, applyChange } from './change.js';
import type { CaseDeps } from './deps.js';
import { FOLLOW_UP_WORKING_DAYS } from './feedback.js';
import { citizenCopy, citizenDue, say, toReporter, toRole, toRoom } from './notify.js';
import { type Performer, actorOf, onlyLiaison } from './performer.js';
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
  content?: string;
  remarks?: string;
}

export function issueTransfer(deps: CaseDeps, number: string, input: TransferInput, p: Performer, opts?: ChangeOptions) {
  return applyChange(
    deps,
    number,
    p,
    {
      event: { type: 'TRANSFER' },
      async build({ doc, batch, now, directory }) {
        const category = doc.lifecycle.category;
        // 效能督查科会同相关部门、镇(街道)在 2 个工作日内分析问题并回应诉求: in rehandling the slip
        // goes back to a unit that handled the case, due when supervision's answer is.
        const back = doc.status === 'rehandling';
        const lastUnit = doc.transfers.at(-1)?.unit;
        const unit = input.unit
          ? await directory.unit(input.unit)
          : back && lastUnit
            ? await directory.unit(lastUnit)
            : category === 'AUTHORITY_UNCLEAR'
              ? await directory.serviceCenter()
              : null;
        if (!unit) throw new InvalidInputError('unit', '请指定承办单位代码（#编号 转办 <单位代码>）。');
        if (back && !doc.transfers.some((t) => t.unit === unit._id))
          throw new InvalidInputError('unit', `回访不满意再处理时，只能请原承办单位（${doc.transfers.map((t) => t.unit).join('、')}）再次处理。`);
        if (category === 'NOT_STATIONED' && (unit.stationed || unit.kind === 'service_center'))
          throw new InvalidInputError('unit', `${unit.name} 不是未进驻的部门或镇（街道），未进驻事项应转给相关部门、镇（街道）。`);
        if (category === 'AUTHORITY_UNCLEAR' && unit.kind !== 'service_center')
          throw new InvalidInputError('unit', '审批主体不明的事项由效能督查科转交市便民服务中心。');
        if (doc.transfers.some((t) => t.unit === unit._id && t.state !== 'replied'))
          throw new DeskError('conflict', `${unit.name} 已有一张未答复的转办单，请等待答复。`);
        const comment = doc.followUps.at(-1)?.comment;
        const content = input.content
          ? requireText(input.content, 'content', '诉求内容')
          : back
            ? `回访不满意，请再次处理。${comment ? `诉求人意见：${comment}。` : ''}原诉求：${doc.matter}：${doc.account}`
            : `${doc.matter}：${doc.account}`;
        const rehandlingDue = doc.deadlines?.rehandling;
        const due =
          back && rehandlingDue
            ? { at: rehandlingDue.at, provisional: rehandlingDue.provisional }
            : deps.calendar.addWorkingDays(now, unit.replyWorkingDays ?? UNIT_REPLY_WORKING_DAYS);
        const slip: TransferSlip = {
          _id: new Types.ObjectId(),
          number: `${doc.number}-${doc.transfers.length + 1}`,
          unit: unit._id,
          via: back || category === 'AUTHORITY_UNCLEAR' ? 'supervision' : 'coordination',
          requestType: category ? CATEGORY_ZH[category] : '',
          receivedAt: doc.acceptedAt,
          transferredAt: now,
          replyDueAt: due.at,
          replyDueProvisional: due.provisional,
          content,
          transferredBy: actorOf(p),
          identityShared: unitMayIdentify(doc, unit._id),
          state: 'issued',
          remarks: optionalText(input.remarks, 'remarks', '备注'),
        };
        const withSlip = { ...doc, transfers: [...doc.transfers, slip] };
        const viewer = { kind: 'unit' as const, unit: unit._id };
        await batch.add(
          { kind: 'unit', unit: unit._id },
          say(`${renderSlip(withSlip, slip, unit.name, viewer)}\n\n${slipZh.replyHint({ number: doc.number, contactCitizen: slip.identityShared })}`),
          { reason: 'unit.transfer_slip' },
        );
        const dueText = formatZhDateTime(due.at);
        const copy = citizenCopy(doc);
        const citizenDueText = citizenDue(doc, due);
        // In rehandling the citizen was told supervision's date already; the unit's part is internal.
        if (!back)
          await toReporter(
          batch,
          doc,
          say(
            unit.kind === 'service_center'
              ? copy.transferredToCenter({ number: doc.number, due: citizenDueText })
              : copy.transferred({ number: doc.number, unit: unit.name, due: citizenDueText }),
          ),
          'citizen.transferred',
        );
        await toRoom(batch, doc, staffZh.transferred({ number: doc.number, slip: slip.number, unit: unit.name, due: dueText, provisional: due.provisional }), 'case.transferred');
        return {
          push: { transfers: [slip] },
          timeline: [
            {
              type: 'transferred',
              text: `${back ? '回访不满意，效能督查科请原承办单位再次处理：' : ''}转办单 ${slip.number} 转 ${unit.name}（经${slip.via === 'supervision' ? '效能督查科' : '业务协调科'}），应反馈时间 ${dueText}`,
              public: !back,
              publicText: `已转交${unit.name}办理，应于 ${formatZhDateTime(due.at)}${due.provisional ? PROVISIONAL_ZH : ''} 前答复`,
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

function openSlipIndex(doc: { transfers: TransferSlip[]; number: string }, p: Performer): number {
  const unit = p.kind === 'staff' && onlyLiaison(p.staff) ? p.staff.unit : undefined;
  for (let i = doc.transfers.length - 1; i >= 0; i--) {
    const t = doc.transfers[i];
    if (t.state !== 'replied' && (!unit || t.unit === unit)) return i;
  }
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
        const i = openSlipIndex(doc, p);
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

/** 5 working days from the unit's result: the follow-up clock of a transferred case. */
function followUpFrom(deps: CaseDeps, at: Date) {
  const d = deps.calendar.addWorkingDays(at, FOLLOW_UP_WORKING_DAYS);
  return { at: d.at, provisional: d.provisional };
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
        const i = openSlipIndex(doc, p);
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
