// The words staff type: verbs with their Chinese short forms and one English alias, and the
// argument words (categories, outcomes, reasons…) mapped to the services' enum values. Matching
// is on NFKC + lower case, so full-width letters and `＃` work as typed on a Chinese keyboard.
import type { CaseEventType, HandlingRecordKind, ResolveOutcome } from '../../machines/case-lifecycle.js';
import type { CaseAction } from '../../machines/permissions.js';
import type { Category, Measure, OutOfScopeReason, Satisfaction } from '../../models/vocabulary.js';
import type { ListScope } from '../cases/index.js';

export const VERB_KEYS = [
  'view',
  'reveal',
  'classify',
  'reclassify',
  'outOfScope',
  'agitated',
  'calmed',
  'assign',
  'involve',
  'settle',
  'onSite',
  'notice',
  'refusal',
  'meeting',
  'complaint',
  'leader',
  'note',
  'askWindow',
  'windowAnswer',
  'draft',
  'preview',
  'transfer',
  'ack',
  'answer',
  'resolve',
  'feedback',
  'reply',
  'followUp',
  'archive',
  'withdraw',
  'list',
  'overdue',
  'mine',
  'duty',
  'stats',
  'units',
  'help',
  'register',
  'registrationForm',
  'slipForm',
  'ledger',
  'performance',
] as const;
export type VerbKey = (typeof VERB_KEYS)[number];

export interface VerbSpec {
  /** Chinese forms; the first is the one shown in help and in choice ids. */
  zh: readonly string[];
  en: string;
  /** Needs `#<number>` before the verb. */
  onCase: boolean;
  /** The permission that decides who may use it (help marks it per role). */
  action: CaseAction;
}

export const VERBS: Readonly<Record<VerbKey, VerbSpec>> = {
  view: { zh: ['查看', '看', '详情'], en: 'view', onCase: true, action: 'viewCase' },
  reveal: { zh: ['身份', '完整身份'], en: 'reveal', onCase: true, action: 'viewFullIdentity' },
  classify: { zh: ['分类'], en: 'classify', onCase: true, action: 'classify' },
  reclassify: { zh: ['重新分类', '改分类', '改类'], en: 'reclassify', onCase: true, action: 'reclassify' },
  outOfScope: { zh: ['不受理', '不属受理范围', '不属范围'], en: 'outofscope', onCase: true, action: 'markOutOfScope' },
  agitated: { zh: ['情绪激动', '激动'], en: 'agitated', onCase: true, action: 'flagAgitated' },
  calmed: { zh: ['已平复', '平复'], en: 'calmed', onCase: true, action: 'calmCitizen' },
  assign: { zh: ['指派', '派'], en: 'assign', onCase: true, action: 'assign' },
  involve: { zh: ['涉及', '涉及单位'], en: 'involve', onCase: true, action: 'recordHandling' },
  settle: { zh: ['被反映单位', '被投诉单位'], en: 'complained', onCase: true, action: 'settleUnits' },
  onSite: { zh: ['现场', '现场处理'], en: 'onsite', onCase: true, action: 'recordHandling' },
  notice: { zh: ['告知', '一次性告知'], en: 'notice', onCase: true, action: 'recordHandling' },
  refusal: { zh: ['不予受理'], en: 'refuse', onCase: true, action: 'recordHandling' },
  meeting: { zh: ['会商', '一事一议'], en: 'meeting', onCase: true, action: 'holdMeeting' },
  complaint: { zh: ['投诉', '投诉件'], en: 'complaint', onCase: true, action: 'openComplaint' },
  leader: { zh: ['报告领导', '报领导'], en: 'leader', onCase: true, action: 'informLeader' },
  note: { zh: ['备注'], en: 'note', onCase: true, action: 'recordHandling' },
  askWindow: { zh: ['问窗口', '询问窗口'], en: 'askwindow', onCase: true, action: 'recordHandling' },
  windowAnswer: { zh: ['回答', '窗口答复'], en: 'respond', onCase: true, action: 'unitReply' },
  draft: { zh: ['草拟', '草拟转办单', '拟稿'], en: 'draft', onCase: true, action: 'draftTransfer' },
  preview: { zh: ['预览', '预览转办单'], en: 'preview', onCase: true, action: 'draftTransfer' },
  transfer: { zh: ['转办', '转'], en: 'transfer', onCase: true, action: 'issueTransfer' },
  ack: { zh: ['签收'], en: 'ack', onCase: true, action: 'unitAck' },
  answer: { zh: ['答复'], en: 'answer', onCase: true, action: 'unitReply' },
  resolve: { zh: ['办结'], en: 'resolve', onCase: true, action: 'resolve' },
  feedback: { zh: ['反馈', '进度'], en: 'feedback', onCase: true, action: 'firstFeedback' },
  reply: { zh: ['回复', '反馈结果'], en: 'reply', onCase: true, action: 'reply' },
  followUp: { zh: ['回访'], en: 'followup', onCase: true, action: 'followUp' },
  archive: { zh: ['备案', '归档'], en: 'archive', onCase: true, action: 'archive' },
  withdraw: { zh: ['撤回'], en: 'withdraw', onCase: true, action: 'withdraw' },
  list: { zh: ['列表', '清单'], en: 'list', onCase: false, action: 'viewCase' },
  overdue: { zh: ['超期'], en: 'overdue', onCase: false, action: 'viewCase' },
  mine: { zh: ['我的'], en: 'mine', onCase: false, action: 'viewCase' },
  duty: { zh: ['值班', '巡导员'], en: 'duty', onCase: false, action: 'viewCase' },
  stats: { zh: ['统计'], en: 'stats', onCase: false, action: 'viewCase' },
  units: { zh: ['单位'], en: 'units', onCase: false, action: 'viewCase' },
  help: { zh: ['帮助', '?'], en: 'help', onCase: false, action: 'viewCase' },
  register: { zh: ['登记'], en: 'register', onCase: false, action: 'register' },
  // 登记表 and 转办单 are whole words of their own, so they are not read as 登记 / 转办 glued to an argument.
  registrationForm: { zh: ['登记表'], en: 'form', onCase: true, action: 'viewCase' },
  slipForm: { zh: ['转办单'], en: 'slip', onCase: true, action: 'viewCase' },
  ledger: { zh: ['问题清单', '问题清单表', '台账'], en: 'ledger', onCase: false, action: 'viewCase' },
  performance: { zh: ['考核', '考核评价'], en: 'performance', onCase: false, action: 'viewCase' },
};

/** The command that performs each lifecycle event, so a refusal can name what to type instead. */
export const EVENT_VERBS: Readonly<Record<CaseEventType, VerbKey>> = {
  CLASSIFY: 'classify',
  RECLASSIFY: 'reclassify',
  MARK_OUT_OF_SCOPE: 'outOfScope',
  RECORD: 'note',
  FLAG_AGITATED: 'agitated',
  CALMED: 'calmed',
  TRANSFER: 'transfer',
  UNIT_ACK: 'ack',
  UNIT_REPLY: 'answer',
  RESOLVE: 'resolve',
  FIRST_FEEDBACK: 'feedback',
  REPLY: 'reply',
  FOLLOW_UP: 'followUp',
  ARCHIVE: 'archive',
  WITHDRAW: 'withdraw',
};

/** The record kind each handling-record verb writes. */
export const RECORD_VERBS: Readonly<Partial<Record<VerbKey, HandlingRecordKind>>> = {
  onSite: 'on_site',
  notice: 'one_time_notice',
  refusal: 'refusal_notice',
  meeting: 'meeting',
  complaint: 'complaint_step',
  leader: 'leader_informed',
  note: 'note',
};

/** The key every typed word is compared by. */
export const wordKey = (s: string) => s.normalize('NFKC').trim().toLowerCase();

function table<T extends string>(entries: Record<T, readonly string[]>): ReadonlyMap<string, T> {
  const m = new Map<string, T>();
  for (const [value, words] of Object.entries(entries) as [T, readonly string[]][]) {
    m.set(wordKey(value), value);
    for (const w of words) m.set(wordKey(w), value);
  }
  return m;
}

export const VERB_WORDS: ReadonlyMap<string, VerbKey> = table(
  Object.fromEntries(VERB_KEYS.map((k) => [k, [...VERBS[k].zh, VERBS[k].en]])) as Record<VerbKey, string[]>,
);

/** Chinese verb forms of two or more characters, longest first: they may be typed glued to the argument (分类一般). */
export const GLUED_VERB_FORMS: readonly [string, VerbKey][] = VERB_KEYS.flatMap((k) =>
  VERBS[k].zh.filter((w) => /^\p{Script=Han}{2,}$/u.test(w)).map((w) => [w, k] as [string, VerbKey]),
).sort((a, b) => b[0].length - a[0].length);

export const CATEGORY_WORDS = table<Category>({
  GENERAL: ['一般', '一般性', '一般性情形', '一般情形'],
  COMPLEX: ['复杂', '较复杂', '较复杂情形', '复杂情形'],
  IRREGULAR_SERVICE: ['不规范', '服务不规范', '服务不规范情形', 'irregular'],
  NOT_STATIONED: ['未进驻', '未进驻情形', 'notstationed'],
  AUTHORITY_UNCLEAR: ['主体不明', '审批主体不明', '审批主体不明情形', 'unclear'],
});
/** The short word for each category, as shown in choices and help. */
export const CATEGORY_SHORT: Readonly<Record<Category, string>> = {
  GENERAL: '一般',
  COMPLEX: '复杂',
  IRREGULAR_SERVICE: '不规范',
  NOT_STATIONED: '未进驻',
  AUTHORITY_UNCLEAR: '主体不明',
};

export const REASON_WORDS = table<OutOfScopeReason>({
  legal: ['涉法'],
  litigation: ['涉诉'],
  petition: ['涉访', '信访'],
  contrary_to_policy: ['政策不符', '与政策不符', '与现行政策法规不符', '不符政策', 'policy'],
});

export const OUTCOME_WORDS = table<ResolveOutcome>({
  handled: ['已办理', '办理', '已受理'],
  one_time_notice: ['一次性告知', '告知'],
  refused: ['不予受理', '不受理'],
  measures_adopted: ['一事一议', '措施'],
  transferred_result: ['单位已处办', '已处办', '转办结果'],
  ineligible: ['不符合', '不符合条件', '不符合办理条件'],
  complaint_closed: ['投诉已处办', '投诉'],
  explained: ['已解释', '解释', '解释说明'],
});
export const OUTCOME_SHORT: Readonly<Record<ResolveOutcome, string>> = {
  handled: '办理',
  one_time_notice: '告知',
  refused: '不予受理',
  measures_adopted: '一事一议',
  transferred_result: '单位已处办',
  ineligible: '不符合',
  complaint_closed: '投诉已处办',
  explained: '解释',
};

export const SATISFACTION_WORDS = table<Satisfaction>({
  satisfied: ['满意'],
  basically_satisfied: ['基本满意', 'basic'],
  dissatisfied: ['不满意'],
});

export const MEASURE_WORDS = table<Measure>({
  notify_commit: ['告知承诺'],
  accept_with_gaps: ['容缺受理', '容缺'],
  refusal_signoff: ['否决事项审签', '审签'],
});

export const SCOPE_WORDS = table<ListScope>({
  open: ['在办', '未结', '未办结'],
  overdue: ['超期'],
  mine: ['我的'],
  all: ['全部', '所有'],
});

/** "被反映单位 无": staff settle that the case complains about no unit. */
export const NO_UNIT_WORDS: ReadonlySet<string> = new Set(['无', '没有', '不涉及', '无被反映单位', 'none'].map(wordKey));
/** "涉及 移除 jyj 原因：…" takes a unit back out. */
export const REMOVE_WORDS: ReadonlySet<string> = new Set(['移除', '删除', '去掉', '撤销', 'remove'].map(wordKey));

export const RESEND_WORDS: ReadonlySet<string> = new Set(['重发', '重新发送', 'resend'].map(wordKey));

export const REVEAL_WORDS: ReadonlySet<string> = new Set(['完整', '完整身份', '身份', 'full'].map(wordKey));

export const INELIGIBLE_WORDS: ReadonlySet<string> = new Set(['不符合', '不符合条件', '不符合办理条件', 'ineligible'].map(wordKey));

export const REGISTER_CHANNEL_WORDS = table<'window' | 'hotline'>({ window: ['窗口'], hotline: ['热线', '电话'] });

/** Case numbers as the services accept them: optional site prefix, date, daily sequence. */
export const CASE_NUMBER = /^[A-Z]{0,4}\d{11,14}$/;
