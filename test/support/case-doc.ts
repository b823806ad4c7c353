// A case document as the case services would have stored it, for tests and benchmarks that
// write cases straight into the store. Override what the scenario is about.
import { Types } from 'mongoose';
import type { CaseDoc } from '../../models/case.js';

let serial = 0;

/** A registered case at the city site, reported over Telegram by chat `chatId`; any field can be overridden. */
export function caseDoc(over: Partial<CaseDoc> & { chatId?: string } = {}): CaseDoc {
  const { chatId = '1001', ...rest } = over;
  const at = rest.acceptedAt ?? new Date('2026-11-24T02:00:00Z');
  const n = ++serial;
  return {
    _id: new Types.ObjectId(),
    number: `20261124${String(n).padStart(4, '0')}`,
    site: 'city',
    channel: 'telegram',
    reporter: { name: '王小明', phone: '13812345678', identity: { channel: 'telegram', id: chatId }, locale: 'zh' },
    receivedAt: at,
    acceptedAt: at,
    acceptanceDeferred: false,
    matter: '企业开办',
    account: '营业执照变更被要求重复提交材料。',
    attachments: [],
    agitated: false,
    status: 'registered',
    lifecycle: { category: null, transferred: false, rehandlingRounds: 0, agitated: false },
    handling: [],
    replies: [],
    transfers: [],
    followUps: [],
    deadlines: {},
    nextDeadlineAt: null,
    remindersSent: [],
    timeline: [],
    outbox: [],
    outboxAt: null,
    appliedKeys: [],
    version: 1,
    createdAt: at,
    updatedAt: at,
    ...rest,
  } as CaseDoc;
}
