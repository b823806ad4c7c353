// The domain's shared words. Pure constants (no mongoose, no I/O) so that machines, services,
// models and channel adapters all speak the same enum values. Labels for people live in the
// locale files, not here.

/** Where a report came in. `window` and `hotline` are entered by a clerk on the reporter's behalf. */
export const CHANNELS = ['window', 'hotline', 'wechat', 'telegram', 'console', 'web'] as const;
export type Channel = (typeof CHANNELS)[number];

/** The five situations of 分类处办 (DESIGN.md §2). */
export const CATEGORIES = [
  'GENERAL', // 一般性情形
  'COMPLEX', // 较复杂情形
  'IRREGULAR_SERVICE', // 服务不规范
  'NOT_STATIONED', // 未进驻
  'AUTHORITY_UNCLEAR', // 审批主体不明
] as const;
export type Category = (typeof CATEGORIES)[number];

/** Why a request is outside the window's acceptance scope (not registered as a case). */
export const OUT_OF_SCOPE_REASONS = ['legal', 'litigation', 'petition', 'contrary_to_policy'] as const;
export type OutOfScopeReason = (typeof OUT_OF_SCOPE_REASONS)[number];

export const ROLES = [
  'window_clerk', // 窗口工作人员
  'duty_officer', // 当日大厅巡导员
  'supervision', // 效能督查科
  'coordination', // 业务协调科
  'reform', // 行政审批制度改革科
  'legal_policy', // 政策法规科
  'unit_liaison', // 部门/镇(街道)联络员
  'leader', // 局领导
  'admin',
] as const;
export type Role = (typeof ROLES)[number];

export const UNIT_KINDS = [
  'section', // 中心内设科室
  'stationed_window', // 进驻窗口
  'department', // 未进驻部门
  'town_street', // 镇(街道)/村(社区)
  'service_center', // 市便民服务中心
] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

/**
 * Case status, one per state of the lifecycle machine (machines/case-lifecycle.ts):
 * 受理 registered → 分类 handling | transferred → 办结 resolved → 反馈 replied →
 * 核查 verified → 备案 archived; dissatisfied follow-ups go to rehandling and back to resolved.
 */
export const CASE_STATUSES = [
  'registered', // 已受理，待分类
  'handling', // 处办中
  'transferred', // 已转办，待单位回复
  'resolved', // 已办结，待反馈
  'replied', // 已反馈，待回访
  'rehandling', // 回访不满意，效能督查科再处理
  'verified', // 已核查（回访满意）
  'archived', // 已备案
  'withdrawn', // 已撤回
  'out_of_scope', // 不属受理范围
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const OPEN_STATUSES: readonly CaseStatus[] = [
  'registered',
  'handling',
  'transferred',
  'resolved',
  'replied',
  'rehandling',
  'verified',
];

/** Measures a case-by-case meeting (一事一议) may adopt. */
export const MEASURES = [
  'notify_commit', // 告知承诺
  'accept_with_gaps', // 容缺受理
  'refusal_signoff', // 否决事项审签
] as const;
export type Measure = (typeof MEASURES)[number];

export const SATISFACTION = ['satisfied', 'basically_satisfied', 'dissatisfied'] as const;
export type Satisfaction = (typeof SATISFACTION)[number];

/** A person's address on one channel: a Telegram chat id, a WeChat contact id, a console session. */
export interface ChannelIdentity {
  channel: Channel;
  id: string;
}

export const LOCALES = ['zh', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
