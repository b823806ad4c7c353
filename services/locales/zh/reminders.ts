// What staff and unit liaisons read when a deadline comes near or passes, and when a message
// could not be delivered. Staff copy is Chinese only. Never reporter identity: liaisons of a unit
// that is complained about receive these too.
import type { Channel } from '../../../models/vocabulary.js';

export const CHANNEL_ZH: Record<Channel, string> = {
  window: '窗口',
  hotline: '热线',
  wechat: '微信',
  telegram: 'Telegram',
  console: '控制台',
  web: '网页',
};

interface About {
  number: string;
  matter: string;
  /** '2026年11月24日（星期二）17:00' */
  due: string;
}

interface Overdue extends About {
  /** '1 个工作日 3 小时' */
  overdueBy: string;
}

export const remindersZh = {
  classifyDuty: (p: Overdue) =>
    `【待分类提醒】事项 ${p.number}（${p.matter}）受理已超过 1 个办公小时仍未分类，请当日巡导员立即了解情况并分类（#${p.number} 分类 …）。`,
  classifySupervision: (p: Overdue) =>
    `【督办】事项 ${p.number}（${p.matter}）应于 ${p.due} 前完成分类，已超期 ${p.overdueBy}，巡导员尚未分类，请效能督查科督促处理。`,
  firstFeedbackClerk: (p: About) =>
    `【首次反馈提醒】事项 ${p.number}（${p.matter}）须在受理当日向诉求人首次反馈办理进度，截止 ${p.due}，请窗口工作人员及时反馈（#${p.number} 反馈 …）。`,
  firstFeedbackDuty: (p: Overdue) =>
    `【首次反馈超期】事项 ${p.number}（${p.matter}）未在受理当日（${p.due} 前）首次反馈，已超期 ${p.overdueBy}，请巡导员督促窗口立即反馈。`,
  // A unit that may not learn who reported cannot call them: it answers the window, which does.
  unitReplyLiaison: (p: About & { slip: string; unit: string; contactCitizen: boolean }) =>
    `【转办答复提醒】转办单 ${p.slip}（${p.matter}）请${p.unit}于 ${p.due} 前${p.contactCitizen ? '联系诉求人并答复办理结果' : '将办理结果答复窗口（由窗口联系诉求人）'}，距截止还有 1 个工作日（#${p.number} 答复 …）。`,
  unitReplyOverdue: (p: Overdue & { slip: string; unit: string; day: number }) =>
    `【转办超期${p.day > 1 ? `·第${p.day}次催办` : ''}】转办单 ${p.slip}（${p.matter}）${p.unit}应于 ${p.due} 前答复，已超期 ${p.overdueBy}，请业务协调科催办、效能督查科督办。`,
  followUpClerk: (p: About) =>
    `【回访提醒】事项 ${p.number}（${p.matter}）回访今日到期（截止 ${p.due}），请窗口工作人员回访诉求人并记录满意度（#${p.number} 回访 …）。`,
  followUpOverdue: (p: Overdue) =>
    `【回访超期】事项 ${p.number}（${p.matter}）应于 ${p.due} 前完成回访，已超期 ${p.overdueBy}，请窗口工作人员立即回访。`,
  rehandlingSupervision: (p: About) =>
    `【不满意再处理提醒】事项 ${p.number}（${p.matter}）回访不满意，效能督查科须会同有关单位于 ${p.due} 前分析答复，今日到期。`,
  leaderReportPending: (p: { number: string }) => `\n该事项为较复杂情形，尚未向局领导汇报，请先汇报（#${p.number} 报告领导 …）。`,
  rehandlingOverdue: (p: Overdue) =>
    `【不满意再处理超期】事项 ${p.number}（${p.matter}）应于 ${p.due} 前完成再处理答复，已超期 ${p.overdueBy}，请效能督查科立即处理。`,
};

export const deliveryZh = {
  deadLetter: (p: { number?: string; channel: Channel; audience: 'citizen' | 'staff' | 'unit'; reason: string }) => {
    const about = p.number ? `事项 ${p.number} 的` : '';
    const who = p.audience === 'citizen' ? '诉求人' : p.audience === 'unit' ? '单位联络员' : '工作人员';
    const action = p.audience === 'citizen' ? '请电话联系诉求人' : `请电话联系该${who}`;
    return `【消息未送达】${about}一条发给${who}的${CHANNEL_ZH[p.channel]}消息多次发送失败，已停止重试（原因：${p.reason}）。${action}，并在事项中记录联系结果。`;
  },
  unreachableTimeline: (p: { channel: Channel; reason: string }) =>
    `系统无法通过${CHANNEL_ZH[p.channel]}联系诉求人（${p.reason}），需电话联系。`,
  staffUnreachableTimeline: (p: { channel: Channel; reason: string }) =>
    `一条工作消息无法通过${CHANNEL_ZH[p.channel]}送达（${p.reason}）。`,
};

/** '1 个工作日 3 小时', '5 小时', '不足 1 小时' */
export function durationZh(by: { days: number; hours: number }): string {
  if (by.days === 0 && by.hours === 0) return '不足 1 小时';
  const parts: string[] = [];
  if (by.days > 0) parts.push(`${by.days} 个工作日`);
  if (by.hours > 0) parts.push(`${by.hours} 小时`);
  return parts.join(' ');
}

/** '超期 1 个工作日 3 小时' */
export const overdueZh = (by: { days: number; hours: number }) => `超期 ${durationZh(by)}`;

export const DEADLINE_KIND_ZH = {
  classify: '分类',
  firstFeedback: '首次反馈',
  unitReply: '单位答复',
  followUp: '回访',
  rehandling: '不满意再处理',
} as const;
