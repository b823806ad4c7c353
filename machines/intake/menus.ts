// Every question with fixed answers, as data: the choice ids a button sends back, and the words
// a citizen on a text-only channel may type instead. Labels live in the locale copy; a test
// checks that every label in every locale is understood by these word lists.

import type { IntakeCopyKey } from './copy-keys.js';
import type { IntakeContext, ReplyChoice } from './types.js';

/** Choice ids are `menu:option` so a stale button from an earlier question is recognisable as such. */
export const MENUS = {
  start: ['start:report', 'start:progress', 'start:help', 'start:resume', 'start:supplement', 'start:withdraw'],
  privacy: ['privacy:agree', 'privacy:decline'],
  scope: ['scope:none', 'scope:litigation', 'scope:legal', 'scope:petition', 'scope:policy', 'scope:unsure'],
  scopeCheck: ['scopeCheck:yes', 'scopeCheck:no'],
  problem: [
    'problem:materials',
    'problem:complex',
    'problem:staff',
    'problem:not_stationed',
    'problem:unknown_department',
    'problem:other',
  ],
  account: ['account:done'],
  unit: ['unit:unknown'],
  unitPick: ['unitPick:none'],
  summary: ['summary:submit', 'summary:edit', 'summary:cancel'],
  edit: ['edit:matter', 'edit:problem', 'edit:account', 'edit:unit', 'edit:name', 'edit:phone', 'edit:back'],
  submitFailed: ['submitFailed:retry', 'submitFailed:cancel'],
  progress: ['progress:last', 'progress:mine'],
  rate: ['rate:satisfied', 'rate:basically_satisfied', 'rate:dissatisfied'],
  comment: ['comment:none'],
  withdraw: ['withdraw:confirm', 'withdraw:keep'],
} as const;

export type MenuId = keyof typeof MENUS;
export type ChoiceId = (typeof MENUS)[MenuId][number];

export const ALL_CHOICE_IDS: readonly ChoiceId[] = Object.values(MENUS).flat();

/** `start:report` → `choice.start.report` */
export function choiceKey(id: ChoiceId): IntakeCopyKey {
  return `choice.${id.replace(':', '.')}` as IntakeCopyKey;
}

/** Menus whose options depend on where the citizen is: resume only with a draft, etc. */
export function menuOptions(menu: MenuId, ctx: IntakeContext): ChoiceId[] {
  const all: readonly ChoiceId[] = MENUS[menu];
  return all.filter((id) => {
    if (id === 'start:resume') return ctx.draft !== null;
    if (id === 'start:supplement' || id === 'progress:last') return ctx.caseNumber !== null;
    if (id === 'start:withdraw') return ctx.withdrawable !== null;
    return true;
  });
}

export function menuChoices(menu: MenuId, ctx: IntakeContext): ReplyChoice[] {
  return menuOptions(menu, ctx).map((id) => {
    const choice: ReplyChoice = { id, key: choiceKey(id) };
    if ((id === 'start:supplement' || id === 'progress:last') && ctx.caseNumber) {
      choice.params = { caseNumber: ctx.caseNumber };
    }
    if (id === 'start:withdraw' && ctx.withdrawable) choice.params = { caseNumber: ctx.withdrawable };
    return choice;
  });
}

/**
 * Words that pick an option, lower-case. Include the full label in both locales and the short
 * forms people actually type (是/否, 好的, ok). Numbers are handled separately.
 */
export const CHOICE_WORDS: Record<ChoiceId, readonly string[]> = {
  'start:report': ['反映办事遇到的问题', '反映问题', '我要反映', '反映', '投诉', '办不成事', '登记', 'report a problem', 'report', 'complain'],
  'start:progress': ['查询办理进度', '查询进度', '查进度', '进度', '查询', 'check progress', 'progress', 'status'],
  'start:help': ['使用帮助', '帮助', '怎么用', 'how it works', 'help'],
  'start:resume': ['继续填写未完成的反映', '继续填写', '继续', 'continue my unfinished report', 'continue', 'resume'],
  'start:supplement': ['补充已提交反映的情况', '补充情况', '补充材料', '补充', 'add to my submitted report', 'add information', 'add'],
  'start:withdraw': ['撤回这件反映', '撤回反映', '撤回', '撤销反映', '撤销', 'withdraw this report', 'withdraw my report', 'withdraw'],
  'privacy:agree': ['同意并继续', '同意', '好的', '好', '可以', '是', '是的', '继续', '确认', 'agree and continue', 'agree', 'ok', 'okay', 'yes', 'y', 'continue'],
  'privacy:decline': ['不同意', '不', '否', '不要', 'do not agree', "don't agree", 'decline', 'disagree', 'no', 'n'],
  'scope:none': ['都不涉及', '不涉及', '都没有', '没有', '否', '不是', 'none of these', 'none', 'neither', 'no', 'n'],
  'scope:litigation': ['涉及诉讼、仲裁或法院', '涉及诉讼', '诉讼', '仲裁', '法院', '打官司', '起诉', 'a lawsuit, arbitration or court case', 'lawsuit', 'arbitration', 'court', 'litigation'],
  'scope:legal': ['涉及行政执法、处罚或行政复议', '涉及执法', '行政执法', '执法', '处罚', '行政复议', 'law enforcement, a penalty or administrative review', 'law enforcement', 'enforcement', 'penalty', 'administrative review'],
  'scope:petition': ['涉及信访', '信访', '上访', 'a petition (xinfang)', 'a petition', 'petition', 'xinfang'],
  'scope:policy': ['想办的事现行政策不允许', '政策不允许', '不符合政策', '政策', 'something current policy does not allow', 'policy does not allow', 'policy'],
  'scope:unsure': ['不确定', '不知道', '不清楚', '说不好', 'not sure', 'unsure', "don't know"],
  'scopeCheck:yes': ['是，涉及', '是的', '是', '对', '涉及', '有', 'yes, it does', 'yes', 'y'],
  'scopeCheck:no': ['不涉及，继续', '不涉及', '不是', '否', '没有', '不', 'no, continue', 'no', 'n'],
  'problem:materials': ['材料或条件有疑问', '材料', '条件', '材料有疑问', '条件有疑问', 'questions about materials or conditions', 'materials', 'conditions'],
  'problem:complex': ['涉及多个窗口，情况复杂', '多个窗口', '好几个窗口', '复杂', '来回跑', 'several windows, complicated', 'several windows', 'complicated', 'complex'],
  'problem:staff': ['工作人员态度、自设条件或说法不一', '工作人员', '态度', '服务不规范', '说法不一', '自设条件', 'staff behaviour, invented conditions or inconsistent answers', 'staff', 'behaviour', 'behavior', 'attitude'],
  'problem:not_stationed': ['事项不在中心办理，或属于镇街、村社区', '不在中心', '镇街', '社区', '村', '未进驻', 'handled elsewhere, or by a town or community', 'not at the center', 'town', 'community'],
  'problem:unknown_department': ['不知道该找哪个部门', '找不到部门', '不知道找谁', '部门不明', "don't know which department", 'which department', 'no department'],
  'problem:other': ['其他情况', '其他', '别的', 'something else', 'other'],
  'account:done': ['说完了', '完了', '好了', '没有了', '就这些', '完成', '结束', "that's all", 'done', 'finished'],
  'unitPick:none': ['都不是', '都不对', '都不是的', '不是这些', '没有', '不是', 'none of these', 'none', 'neither'],
  'unit:unknown': ['不清楚', '不知道', '不记得', '忘了', '跳过', "don't know", 'not sure', 'unknown', 'skip'],
  'summary:submit': ['确认提交', '提交', '确认', '没问题', '是', '是的', '对', 'submit', 'confirm', 'yes', 'y'],
  'summary:edit': ['修改', '改', '编辑', '要改', 'edit', 'change'],
  'summary:cancel': ['取消，不登记', '取消', '不提交', 'cancel, do not register', 'cancel'],
  'edit:matter': ['办理的事项', '事项', 'matter'],
  'edit:problem': ['遇到的问题', '问题', '问题类型', 'problem'],
  'edit:account': ['经过', '情况经过', 'account', 'what happened'],
  'edit:unit': ['窗口或单位', '窗口', '单位', 'window or unit', 'window', 'unit'],
  'edit:name': ['姓名', '名字', 'name'],
  'edit:phone': ['电话', '手机', '手机号', 'phone'],
  'edit:back': ['不改了，返回', '不改了', '返回', '没有要改的', 'back, no changes', 'back', 'no changes'],
  'submitFailed:retry': ['再试一次', '重试', '再试', 'try again', 'retry'],
  'submitFailed:cancel': ['取消', '不登记了', 'cancel'],
  'progress:last': ['查询刚才这件', '刚才这件', '这件', 'this one', 'the last one', 'last'],
  'progress:mine': ['我反映过的事项', '我反映的', '我的', '全部', 'all my reports', 'my reports', 'mine', 'all'],
  'rate:satisfied': ['满意', '很满意', '非常满意', 'satisfied', 'very satisfied'],
  'rate:basically_satisfied': ['基本满意', '还行', '一般', '还可以', 'basically satisfied', 'mostly satisfied', 'ok'],
  'rate:dissatisfied': ['不满意', '很不满意', '不行', '没解决', 'dissatisfied', 'not satisfied', 'unsatisfied'],
  'withdraw:confirm': ['确认撤回', '撤回', '确认', '确定', '是', '是的', '对', '好', '好的', 'confirm withdrawal', 'withdraw', 'confirm', 'yes', 'y'],
  'withdraw:keep': ['不撤回', '不撤了', '不用撤回', '取消', '否', '不', '不要', '算了', 'keep it', 'do not withdraw', "don't withdraw", 'keep', 'cancel', 'no', 'n'],
  'comment:none': ['没有了', '没有', '不用了', '无', '没了', 'nothing to add', 'no comment', 'none', 'no'],
};
