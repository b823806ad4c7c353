// 考核评价: the handling efficiency of every unit the window transferred to ("对‘办不成事’窗口交办
// 事项的处办效率，由效能督查科纳入到考核评价体系中"), and the window's own figures per site. The
// store selects, unwinds and counts (aggregate pipelines that run on MongoDB and on the embedded
// store alike); everything measured in working days goes through the calendar, so holidays and
// 调休 count as they do for the deadlines themselves.
import type { Models } from '../../models/index.js';
import { type Satisfaction, CATEGORIES, CHANNELS } from '../../models/vocabulary.js';
import type { WorkCalendar } from '../calendar/index.js';
import { FOLLOW_UP_WORKING_DAYS } from '../cases/feedback.js';
import { type Period, addDays, periodOf, weekStart, weeksOf } from './period.js';

/** 按时签收: the slip is signed for by the close of the working day after it was sent. */
export const ACK_WORKING_DAYS = 1;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
/** Weeks the per-week series shows at least, so a one-week report still draws a line. */
export const MIN_SERIES_WEEKS = 8;

export interface UnitPerformance {
  unit: string;
  name: string;
  /** 收到转办单 */
  received: number;
  signed: number;
  signedOnTime: number;
  /** Signed, plus unsigned slips whose time to sign has passed. */
  signDue: number;
  signRate: number | null;
  replied: number;
  repliedOnTime: number;
  repliedLate: number;
  /** Not answered and past 应反馈时间. */
  overdueOpen: number;
  /** 按时办结率: on time ÷ (replied + overdue open). */
  onTimeRate: number | null;
  /** Office time from transfer to reply, in working days (office-length days). */
  avgReplyDays: number | null;
  p90ReplyDays: number | null;
  /** Cases behind these slips with at least one follow-up. */
  followedUp: number;
  /** Latest follow-up 满意 or 基本满意. */
  satisfied: number;
  satisfactionRate: number | null;
  /** Dissatisfied at a follow-up and handled again (发回重办). */
  rehandled: number;
  rehandlingRate: number | null;
}

export interface SitePerformance {
  site: string;
  name: string;
  /** Cases received in the period, out-of-scope ones included. */
  total: number;
  outOfScope: number;
  byCategory: Record<string, number>;
  byChannel: Record<string, number>;
  sameDayDue: number;
  sameDay: number;
  sameDayRate: number | null;
  followUpDue: number;
  followUpInTime: number;
  followUpRate: number | null;
}

export interface PerformanceReport {
  period: Period;
  scope: string;
  asOf: Date;
  units: UnitPerformance[];
  /** Absent for a liaison: they get their own unit's figures only. */
  site?: SitePerformance;
  weekly: { week: Period; cases: number }[];
}

export interface PerformanceQuery {
  period: Period;
  /** The site's figures and every unit it transferred to; or only `unit` (a liaison's view). */
  site?: string;
  unit?: string;
  scope: string;
  asOf: Date;
  unitName(code: string): string;
  siteName?: string;
}

const rate = (n: number, d: number) => (d > 0 ? n / d : null);

/** Nearest-rank percentile: the smallest value with at least p of the values at or below it. */
export function percentile(values: number[], p: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
}

interface SlipRow {
  number: string;
  unit: string;
  transferredAt: Date;
  replyDueAt: Date;
  acknowledgedAt?: Date;
  replyAt?: Date;
  followUps?: { at: Date; satisfaction: Satisfaction }[];
}

interface CaseRow {
  number: string;
  acceptedAt: Date;
  status: string;
  category?: string | null;
  channel: string;
  deadlines?: { firstFeedback?: { at: Date } };
  replies?: { at: Date; kind: string }[];
  transfers?: { reply?: { at: Date } }[];
  lifecycle?: { transferred?: boolean };
  followUps?: { at: Date }[];
}

export function officeDayMs(calendar: WorkCalendar): number {
  const min = (hm: string) => Number(hm.slice(0, 2)) * 60 + Number(hm.slice(3, 5));
  return (min(calendar.officeHours.close) - min(calendar.officeHours.open)) * 60_000;
}

export async function buildPerformance(deps: { models: Models; calendar: WorkCalendar }, q: PerformanceQuery): Promise<PerformanceReport> {
  const { models, calendar } = deps;
  const { start, end } = q.period;
  const inPeriod = { $gte: start, $lt: end };
  const owner = q.unit ? { 'transfers.unit': q.unit } : { site: q.site };

  const site = q.unit ? undefined : q.site;
  const seriesFrom = addDays(weekStart(q.period.to), -7 * (MIN_SERIES_WEEKS - 1));
  const series = weeksOf(periodOf([seriesFrom, q.period.from].sort()[0], q.period.to));
  const received = { acceptedAt: inPeriod };
  // One pass over the collection: select the cases any part needs, keep only the fields used, and
  // let $facet count and unwind them. (The result is one document: a month of one site's cases,
  // projected like this, is a few MB, far below the 16 MB limit.)
  const [facets] = await models.Case.aggregate<{
    slips: SlipRow[];
    rows?: CaseRow[];
    counts: { _id: { category?: string | null; channel: string; status: string }; n: number }[];
    perDay: { _id: string; n: number }[];
  }>([
    { $match: { ...owner, $or: [{ 'transfers.transferredAt': inPeriod }, { acceptedAt: { $gte: series[0].start, $lt: end } }] } },
    // Top-level fields only: nested projections cost the embedded store a path walk per document.
    { $project: { _id: 0, number: 1, acceptedAt: 1, status: 1, category: 1, channel: 1, transfers: 1, deadlines: 1, replies: 1, lifecycle: 1, followUps: 1 } },
    {
      $facet: {
        slips: [
          { $match: { 'transfers.transferredAt': inPeriod } },
          { $unwind: '$transfers' },
          { $match: { 'transfers.transferredAt': inPeriod, ...(q.unit ? { 'transfers.unit': q.unit } : {}) } },
          {
            $project: {
              number: 1,
              followUps: 1,
              unit: '$transfers.unit',
              transferredAt: '$transfers.transferredAt',
              replyDueAt: '$transfers.replyDueAt',
              acknowledgedAt: '$transfers.acknowledgedAt',
              replyAt: '$transfers.reply.at',
            },
          },
        ],
        // MongoDB refuses an empty or $limit: 0 facet: a liaison's report simply has no rows facet.
        ...(site ? { rows: [{ $match: { ...received, status: { $ne: 'out_of_scope' } } }] } : {}),
        // One group by (situation, channel, status): each facet is another pass in the embedded store.
        counts: [{ $match: received }, { $group: { _id: { category: '$category', channel: '$channel', status: '$status' }, n: { $sum: 1 } } }],
        // Shanghai's day as the UTC day of a time 8 h later (China keeps no summer time): the
        // embedded store parses a `timezone` argument again for every document.
        perDay: [{ $group: { _id: { $dateToString: { format: '%Y-%m-%d', date: { $add: ['$acceptedAt', SHANGHAI_OFFSET_MS] } } }, n: { $sum: 1 } } }],
      },
    },
  ]).exec();
  const { slips, perDay } = facets;
  const sum = (key: (g: (typeof facets.counts)[number]['_id']) => string | null | undefined) => {
    const m = new Map<string | null, number>();
    for (const g of facets.counts) m.set(key(g._id) ?? null, (m.get(key(g._id) ?? null) ?? 0) + g.n);
    return [...m].map(([_id, n]) => ({ _id, n }));
  };
  const counts = site ? ([sum((g) => g.category), sum((g) => g.channel), sum((g) => g.status), facets.rows ?? []] as const) : null;
  const dayMs = officeDayMs(calendar);
  const asOf = q.asOf;

  const byUnit = new Map<string, SlipRow[]>();
  for (const s of slips) byUnit.set(s.unit, [...(byUnit.get(s.unit) ?? []), s]);
  const units: UnitPerformance[] = [...byUnit.entries()].map(([unit, rows]) => {
    let signed = 0;
    let signedOnTime = 0;
    let signDue = 0;
    let repliedOnTime = 0;
    let repliedLate = 0;
    let overdueOpen = 0;
    const days: number[] = [];
    for (const s of rows) {
      const signDeadline = calendar.addWorkingDays(s.transferredAt, ACK_WORKING_DAYS).at;
      // A reply entered for the unit without a separate 签收 signs for the slip too.
      const signedAt = s.acknowledgedAt ?? s.replyAt;
      if (signedAt) {
        signed++;
        signDue++;
        if (signedAt <= signDeadline) signedOnTime++;
      } else if (signDeadline < asOf) signDue++;
      if (s.replyAt) {
        if (s.replyAt <= s.replyDueAt) repliedOnTime++;
        else repliedLate++;
        days.push(calendar.workingTimeBetween(s.transferredAt, s.replyAt).ms / dayMs);
      } else if (s.replyDueAt < asOf) overdueOpen++;
    }
    const cases = new Map(rows.map((r) => [r.number, r.followUps ?? []]));
    let followedUp = 0;
    let satisfied = 0;
    let rehandled = 0;
    for (const f of cases.values()) {
      if (!f.length) continue;
      followedUp++;
      const last = [...f].sort((a, b) => a.at.getTime() - b.at.getTime())[f.length - 1];
      if (last.satisfaction !== 'dissatisfied') satisfied++;
      if (f.some((x) => x.satisfaction === 'dissatisfied')) rehandled++;
    }
    const replied = repliedOnTime + repliedLate;
    return {
      unit,
      name: q.unitName(unit),
      received: rows.length,
      signed,
      signedOnTime,
      signDue,
      signRate: rate(signedOnTime, signDue),
      replied,
      repliedOnTime,
      repliedLate,
      overdueOpen,
      onTimeRate: rate(repliedOnTime, replied + overdueOpen),
      avgReplyDays: days.length ? days.reduce((a, b) => a + b, 0) / days.length : null,
      p90ReplyDays: percentile(days, 0.9),
      followedUp,
      satisfied,
      satisfactionRate: rate(satisfied, followedUp),
      rehandled,
      rehandlingRate: rate(rehandled, followedUp),
    };
  });
  units.sort((a, b) => b.received - a.received || a.name.localeCompare(b.name, 'zh'));

  let sitePerf: SitePerformance | undefined;
  if (counts && site) {
    const [byCat, byChan, byStatus, rows] = counts;
    const byCategory: Record<string, number> = {};
    for (const c of [...CATEGORIES, 'none']) byCategory[c] = 0;
    for (const g of byCat) byCategory[g._id ?? 'none'] = (byCategory[g._id ?? 'none'] ?? 0) + g.n;
    const byChannel: Record<string, number> = {};
    for (const c of CHANNELS) byChannel[c] = 0;
    for (const g of byChan) byChannel[g._id ?? 'none'] = (byChannel[g._id ?? 'none'] ?? 0) + g.n;
    let sameDayDue = 0;
    let sameDay = 0;
    let followUpDue = 0;
    let followUpInTime = 0;
    for (const c of rows) {
      const replies = [...(c.replies ?? [])].sort((a, b) => a.at.getTime() - b.at.getTime());
      if (c.status === 'withdrawn') continue;
      // Counted once answered, or once the day's deadline has passed without an answer.
      const firstFeedbackDue = c.deadlines?.firstFeedback?.at;
      if (firstFeedbackDue && (replies[0] || firstFeedbackDue < asOf)) {
        sameDayDue++;
        if (replies[0] && calendar.localDate(replies[0].at) === calendar.localDate(c.acceptedAt)) sameDay++;
      }
      // 5 working days from acceptance; for a transferred case from the unit's result (待处办结果反馈后回访).
      const unitReplies = (c.transfers ?? []).flatMap((t) => (t.reply ? [t.reply.at] : [])).sort((a, b) => a.getTime() - b.getTime());
      const from = c.lifecycle?.transferred ? unitReplies[unitReplies.length - 1] : c.acceptedAt;
      if (!from) continue;
      const due = calendar.addWorkingDays(from, FOLLOW_UP_WORKING_DAYS).at;
      const first = [...(c.followUps ?? [])].sort((a, b) => a.at.getTime() - b.at.getTime())[0];
      if (first || due < asOf) {
        followUpDue++;
        if (first && first.at <= due) followUpInTime++;
      }
    }
    sitePerf = {
      site,
      name: q.siteName ?? site,
      total: byStatus.reduce((a, g) => a + g.n, 0),
      outOfScope: byStatus.find((g) => g._id === 'out_of_scope')?.n ?? 0,
      byCategory,
      byChannel,
      sameDayDue,
      sameDay,
      sameDayRate: rate(sameDay, sameDayDue),
      followUpDue,
      followUpInTime,
      followUpRate: rate(followUpInTime, followUpDue),
    };
  }

  const days = new Map(perDay.map((g) => [g._id, g.n]));
  const weekly = series.map((week) => {
    let cases = 0;
    for (let d = week.from; d <= week.to; d = addDays(d, 1)) cases += days.get(d) ?? 0;
    return { week, cases };
  });
  return { period: q.period, scope: q.scope, asOf, units, site: sitePerf, weekly };
}
