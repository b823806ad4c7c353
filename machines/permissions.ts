// Who may do what on a case: the role table of the source document's 工作机制, in one place.
// Services call `authorize` before `decide`; `actionFor` maps a lifecycle event to the action
// whose roles apply, so the two tables cannot drift apart silently.
//
// Readings of the source behind the less obvious rows:
// - 巡导员 is the first responsible person (全程跟踪、协调、处理): classifies, coordinates, closes.
// - The window clerk receives, records, tracks, feeds back and keeps the ledger (台账): registers,
//   records, fills the transfer slip, replies, does the follow-up visit, archives.
// - 业务协调科 sends slips for 未进驻 matters, 效能督查科 for 审批主体不明 ones (to 市便民服务中心).
// - 效能督查科 alone runs the complaint procedure, calms agitated citizens, and answers
//   dissatisfied follow-ups; it also archives because it evaluates handling efficiency.
// - Unit liaisons act only on cases transferred to their own unit (services check membership)
//   and never see the reporter's identity (the privacy note printed on the transfer slip).
// - The citizen withdraws through their own channel (not a staff role); staff do it on their
//   behalf only at the window.

import type { CaseStatus, Category, Role } from '../models/vocabulary.js';
import type { CaseEvent } from './case-lifecycle.js';

export const CASE_ACTIONS = [
  'register',
  'assign',
  'viewCase',
  'viewFullIdentity',
  'classify',
  'reclassify',
  'markOutOfScope',
  'settleUnits',
  'flagAgitated',
  'calmCitizen',
  'recordHandling',
  'holdMeeting',
  'informLeader',
  'openComplaint',
  'draftTransfer',
  'issueTransfer',
  'unitAck',
  'unitReply',
  'resolve',
  'firstFeedback',
  'reply',
  'followUp',
  'handleDissatisfied',
  'archive',
  'withdraw',
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

const ALL_STAFF = [
  'window_clerk',
  'duty_officer',
  'supervision',
  'coordination',
  'reform',
  'legal_policy',
  'unit_liaison',
  'leader',
  'admin',
] as const satisfies readonly Role[];

/** Which role issues the transfer slip, by situation. */
export const TRANSFER_ISSUERS: Readonly<Partial<Record<Category, readonly Role[]>>> = {
  NOT_STATIONED: ['coordination'],
  AUTHORITY_UNCLEAR: ['supervision'],
};

/** Actions whose roles depend on the case's category: `can` needs `ctx.category` for them. */
export const CATEGORY_SCOPED_ACTIONS: readonly CaseAction[] = ['issueTransfer'];

export const PERMISSIONS: Readonly<Record<CaseAction, readonly Role[]>> = {
  register: ['window_clerk', 'duty_officer', 'admin'],
  assign: ['duty_officer', 'supervision', 'admin'],
  // Unit liaisons see only cases transferred to their unit, redacted; services filter which.
  viewCase: ALL_STAFF,
  viewFullIdentity: ['window_clerk', 'duty_officer', 'supervision', 'admin'],
  classify: ['duty_officer', 'supervision', 'admin'],
  reclassify: ['duty_officer', 'supervision', 'admin'],
  markOutOfScope: ['duty_officer', 'supervision'],
  // 被反映单位: the duty officer answers it at classification; taking a unit back out too.
  settleUnits: ['duty_officer', 'supervision', 'admin'],
  flagAgitated: ALL_STAFF,
  calmCitizen: ['supervision'],
  recordHandling: ['window_clerk', 'duty_officer', 'supervision', 'coordination'],
  holdMeeting: ['duty_officer', 'supervision', 'coordination', 'reform', 'legal_policy'],
  informLeader: ['duty_officer', 'supervision'],
  openComplaint: ['supervision'],
  draftTransfer: ['window_clerk', 'duty_officer'],
  // Union of TRANSFER_ISSUERS; `can` narrows it to the case's category.
  issueTransfer: ['coordination', 'supervision'],
  unitAck: ['unit_liaison'],
  // A unit without a bot account answers by phone or on paper; the section that sent the slip
  // enters the reply on its behalf (the timeline records who entered it).
  unitReply: ['unit_liaison', 'coordination', 'supervision'],
  resolve: ['window_clerk', 'duty_officer', 'supervision'],
  firstFeedback: ['window_clerk', 'duty_officer'],
  reply: ['window_clerk', 'duty_officer'],
  followUp: ['window_clerk'],
  handleDissatisfied: ['supervision'],
  archive: ['window_clerk', 'supervision'],
  withdraw: ['window_clerk'],
};

export const ROLE_LABELS_ZH: Readonly<Record<Role, string>> = {
  window_clerk: '窗口工作人员',
  duty_officer: '当日大厅巡导员',
  supervision: '效能督查科',
  coordination: '业务协调科',
  reform: '行政审批制度改革科',
  legal_policy: '政策法规科',
  unit_liaison: '承办单位联络员',
  leader: '局领导',
  admin: '系统管理员',
};

export const ACTION_LABELS_ZH: Readonly<Record<CaseAction, string>> = {
  register: '登记受理',
  assign: '指派处办人员',
  viewCase: '查看事项',
  viewFullIdentity: '查看反映人完整身份信息',
  classify: '分类',
  reclassify: '重新分类',
  markOutOfScope: '认定不属受理范围',
  settleUnits: '确认被反映单位',
  flagAgitated: '标记情绪激动',
  calmCitizen: '情绪疏导并确认平复',
  recordHandling: '记录处办情况',
  holdMeeting: '组织一事一议',
  informLeader: '向局领导汇报',
  openComplaint: '启动投诉件办理',
  draftTransfer: '填写转办单',
  issueTransfer: '转办',
  unitAck: '签收转办单',
  unitReply: '答复转办事项',
  resolve: '办结',
  firstFeedback: '首次反馈',
  reply: '反馈办理结果',
  followUp: '回访',
  handleDissatisfied: '处理回访不满意事项',
  archive: '备案',
  withdraw: '代诉求人撤回',
};

export interface PermissionContext {
  category?: Category | null;
}

/** The roles that may do `action` here; empty when nobody may (e.g. transferring a GENERAL case). */
export function rolesFor(action: CaseAction, ctx: PermissionContext = {}): readonly Role[] {
  if (action === 'issueTransfer') {
    return ctx.category ? (TRANSFER_ISSUERS[ctx.category] ?? []) : [];
  }
  return PERMISSIONS[action];
}

export function can(roles: readonly Role[], action: CaseAction, ctx: PermissionContext = {}): boolean {
  const allowed = rolesFor(action, ctx);
  return roles.some((r) => allowed.includes(r));
}

/** A staff member tried an action none of their roles may do; the message is for that person. */
export class ForbiddenError extends Error {
  override readonly name = 'ForbiddenError';
  readonly allowedRoles: readonly Role[];
  constructor(
    readonly action: CaseAction,
    readonly roles: readonly Role[],
    readonly ctx: PermissionContext = {},
  ) {
    const allowedRoles = rolesFor(action, ctx);
    super(forbiddenMessage(action, roles, ctx, allowedRoles));
    this.allowedRoles = allowedRoles;
  }
}

function forbiddenMessage(
  action: CaseAction,
  roles: readonly Role[],
  ctx: PermissionContext,
  allowedRoles: readonly Role[],
): string {
  const mine = roles.length === 0 ? '（无角色）' : roles.map((r) => ROLE_LABELS_ZH[r]).join('、');
  const head = `无权执行“${ACTION_LABELS_ZH[action]}”（你的角色：${mine}）。`;
  if (action === 'issueTransfer' && allowedRoles.length === 0) {
    return (
      head +
      (ctx.category
        ? '只有“未进驻”和“审批主体不明”事项转办。'
        : '须先确定事项类别：') +
      '未进驻事项由业务协调科转办，审批主体不明事项由效能督查科转办。'
    );
  }
  return `${head}可以执行的角色：${allowedRoles.map((r) => ROLE_LABELS_ZH[r]).join('、')}。`;
}

/** Throws ForbiddenError unless one of `roles` may do `action`. */
export function authorize(roles: readonly Role[], action: CaseAction, ctx: PermissionContext = {}): void {
  if (!can(roles, action, ctx)) throw new ForbiddenError(action, roles, ctx);
}

/**
 * The staff action a lifecycle event stands for, in the status it is sent from. The same RESOLVE
 * is an ordinary 办结 while handling, but supervision's answer to a dissatisfied follow-up in
 * rehandling.
 */
export function actionFor(event: CaseEvent, status: CaseStatus): CaseAction {
  switch (event.type) {
    case 'CLASSIFY':
      return 'classify';
    case 'RECLASSIFY':
      return 'reclassify';
    case 'MARK_OUT_OF_SCOPE':
      return 'markOutOfScope';
    case 'RECORD':
      if (event.kind === 'meeting') return 'holdMeeting';
      if (event.kind === 'complaint_step') return 'openComplaint';
      if (event.kind === 'leader_informed') return 'informLeader';
      return 'recordHandling';
    case 'FLAG_AGITATED':
      return 'flagAgitated';
    case 'CALMED':
      return 'calmCitizen';
    case 'TRANSFER':
      // 效能督查科会同相关部门、镇(街道): in rehandling, supervision brings the unit back in.
      return status === 'rehandling' ? 'handleDissatisfied' : 'issueTransfer';
    case 'UNIT_ACK':
      return 'unitAck';
    case 'UNIT_REPLY':
      return 'unitReply';
    case 'RESOLVE':
      return status === 'rehandling' ? 'handleDissatisfied' : 'resolve';
    case 'FIRST_FEEDBACK':
      return 'firstFeedback';
    case 'REPLY':
      return 'reply';
    case 'FOLLOW_UP':
      return 'followUp';
    case 'ARCHIVE':
      return 'archive';
    case 'WITHDRAW':
      return 'withdraw';
  }
}
