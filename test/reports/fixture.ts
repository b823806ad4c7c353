// Cases written straight into the store, with the times the statistics test computes by hand.
import { Types } from 'mongoose';
import type { CaseDoc, FollowUp, Reply, TransferSlip } from '../../models/case.js';
import type { Category, Channel, Satisfaction } from '../../models/vocabulary.js';
import { caseDoc } from '../support/case-doc.js';

/** '10-09 14:00' in 2026, Asia/Shanghai. */
export const at = (s: string, year = 2026) => new Date(`${year}-${s.slice(0, 5)}T${s.slice(6)}:00+08:00`);
const staffActor = { kind: 'staff' as const, id: 'zhangmin', label: '张敏' };

let n = 0;
export interface Spec {
  id: string;
  accepted: string;
  site?: string;
  category?: Category | null;
  channel?: Channel;
  status?: CaseDoc['status'];
  /** First feedback deadline: the close of the day of acceptance (set for every case in scope). */
  firstFeedback?: boolean;
  replies?: string[];
  followUps?: [string, Satisfaction][];
  slip?: { unit: string; at: string; ack?: string; reply?: string; involved?: boolean };
  outcome?: { at: string; text: string; basis?: string };
  closedAt?: string;
  reporter?: { name: string; phone: string };
  account?: string;
}

export function build(s: Spec, calendar: { addWorkingDays(t: Date, n: number): { at: Date }; sameDayClose(t: Date): Date }): CaseDoc {
  n++;
  const acceptedAt = at(s.accepted);
  const transfers: TransferSlip[] = [];
  if (s.slip) {
    const t = at(s.slip.at);
    transfers.push({
      _id: new Types.ObjectId(),
      number: `2026${String(n).padStart(7, '0')}-1`,
      unit: s.slip.unit,
      via: s.slip.unit === 'bmfw' ? 'supervision' : 'coordination',
      requestType: s.slip.unit === 'bmfw' ? '审批主体不明情形' : '未进驻情形',
      receivedAt: acceptedAt,
      transferredAt: t,
      replyDueAt: calendar.addWorkingDays(t, 3).at,
      replyDueProvisional: false,
      content: s.account ?? `诉求内容 ${s.id}`,
      transferredBy: { kind: 'staff', id: 'liuyang', label: '刘洋' },
      identityShared: !s.slip.involved,
      state: s.slip.reply ? 'replied' : s.slip.ack ? 'acknowledged' : 'issued',
      ...(s.slip.ack ? { acknowledgedAt: at(s.slip.ack), acknowledgedBy: { kind: 'staff', id: 'wuhao', label: '吴昊' } } : {}),
      ...(s.slip.reply
        ? { reply: { text: `${s.id} 已联系诉求人处理完毕，情况属实`, eligible: true, at: at(s.slip.reply), by: { kind: 'staff', id: 'wuhao', label: '吴昊' } } }
        : {}),
    } as TransferSlip);
  }
  const replies: Reply[] = (s.replies ?? []).map((r, i) => ({ at: at(r), by: staffActor, kind: i === 0 ? 'first_feedback' : 'result', text: `反馈 ${s.id}` }));
  const followUps: FollowUp[] = (s.followUps ?? []).map(([t, satisfaction], i) => ({ at: at(t), by: staffActor, round: i + 1, satisfaction }));
  const category = s.category === undefined ? 'GENERAL' : s.category;
  return caseDoc({
    number: `2026${String(n).padStart(7, '0')}`,
    site: s.site ?? 'city',
    channel: s.channel ?? 'telegram',
    acceptedAt,
    receivedAt: acceptedAt,
    category,
    status: s.status ?? (transfers.length ? 'transferred' : 'handling'),
    lifecycle: { category, transferred: transfers.length > 0, rehandlingRounds: 0, agitated: false },
    involvedUnit: s.slip?.involved ? s.slip.unit : undefined,
    deadlines: s.firstFeedback === false ? {} : { firstFeedback: { at: calendar.sameDayClose(acceptedAt), provisional: false } },
    transfers,
    replies,
    followUps,
    ...(s.outcome ? { outcome: { kind: 'handled', text: s.outcome.text, basis: s.outcome.basis, at: at(s.outcome.at), by: staffActor } } : {}),
    ...(s.closedAt ? { closedAt: at(s.closedAt) } : {}),
    ...(s.reporter ? { reporter: { ...s.reporter, identity: { channel: 'telegram', id: `r${n}` }, locale: 'zh' } } : {}),
    ...(s.account ? { account: s.account } : {}),
  });
}
