// Chinese date texts for citizen and staff messages, always on the Asia/Shanghai clock whatever
// the server's zone is.
import { shanghaiDay, shanghaiMinuteOfDay, weekdayOf } from './civil-date.js';
import type { WorkingDuration } from './types.js';

const WEEKDAYS = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'];

/** '2026年11月24日（星期二）' */
export function formatZhDate(t: Date): string {
  const day = shanghaiDay(t);
  const [y, m, d] = day.split('-').map(Number);
  return `${y}年${m}月${d}日（${WEEKDAYS[weekdayOf(day)]}）`;
}

/** '2026年11月24日（星期二）17:00' */
export function formatZhDateTime(t: Date): string {
  const min = Math.floor(shanghaiMinuteOfDay(t));
  const hh = String(Math.floor(min / 60)).padStart(2, '0');
  const mm = String(min % 60).padStart(2, '0');
  return `${formatZhDate(t)}${hh}:${mm}`;
}

/** '2个工作日3小时', '5小时', '不足1小时' — for overdue and remaining office time. */
export function formatWorkingDuration(d: WorkingDuration): string {
  if (d.days === 0 && d.hours === 0) return d.ms > 0 ? '不足1小时' : '0小时';
  const parts: string[] = [];
  if (d.days > 0) parts.push(`${d.days}个工作日`);
  if (d.hours > 0) parts.push(`${d.hours}小时`);
  return parts.join('');
}
