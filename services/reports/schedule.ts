// The scheduled reports: every week's 问题清单表 and every month's 考核评价, posted to each site's
// staff rooms on the first working day after the period, from REPORT_POST_AT on. Off unless
// REPORT_SCHEDULE names them. Built like the deadline sweeper: one leader at a time through a
// lease, and messages under ids derived from site and period, so several processes (or a restart
// after posting) deliver each report once.
import type { Models } from '../../models/index.js';
import type { Sayable } from '../../models/sayable.js';
import type { WorkCalendar } from '../calendar/index.js';
import type { Clock } from '../clock.js';
import type { Coordination, Lock } from '../coordination/index.js';
import { onlyDuplicates, toMessage } from '../delivery/relay.js';
import type { Directory } from '../directory/index.js';
import { reportCommandZh } from '../locales/zh/reports.js';
import type { Logger } from '../logger.js';
import { OutboxBatch } from '../recipients.js';
import { type Period, addDays, resolvePeriod, weekStart } from './period.js';
import type { ReportServices } from './service.js';

export const REPORT_SCHEDULER_LOCK = 'reports:scheduler';
export type ScheduledReport = 'weekly' | 'monthly';

export interface ReportSchedulerOptions {
  models: Models;
  directory: Directory;
  calendar: WorkCalendar;
  clock: Clock;
  coordination: Coordination;
  logger: Logger;
  reports: ReportServices;
  /** Which reports to post; empty: none (the default). */
  schedule: readonly ScheduledReport[];
  /** 'HH:MM' Asia/Shanghai: not before this time of the posting day. */
  postAt: string;
  intervalMs?: number;
}

export interface ReportScheduler {
  /** Posts whatever is due now; returns the keys posted. */
  tick(): Promise<string[]>;
  start(): void;
  stop(): Promise<void>;
}

/** The first working day on or after `day`. */
function firstWorkingDay(calendar: WorkCalendar, day: string): string {
  return calendar.isWorkingDay(day) ? day : calendar.nextWorkingDay(day);
}

/** The report due on `today` (after the period it covers ended), if any. */
export function dueReports(calendar: WorkCalendar, today: string, schedule: readonly ScheduledReport[]): { kind: ScheduledReport; period: Period }[] {
  const out: { kind: ScheduledReport; period: Period }[] = [];
  if (schedule.includes('weekly')) {
    const last = resolvePeriod({ kind: 'relative', unit: 'week', offset: -1 }, today);
    // Posted from the first working day after the week; a desk that was down then posts it later that week.
    if (today >= firstWorkingDay(calendar, addDays(last.to, 1)) && today < addDays(weekStart(today), 7)) out.push({ kind: 'weekly', period: last });
  }
  if (schedule.includes('monthly')) {
    const last = resolvePeriod({ kind: 'relative', unit: 'month', offset: -1 }, today);
    if (today >= firstWorkingDay(calendar, addDays(last.to, 1))) out.push({ kind: 'monthly', period: last });
  }
  return out;
}

export function createReportScheduler(o: ReportSchedulerOptions): ReportScheduler {
  const { models, directory, calendar, clock, logger, reports } = o;
  const intervalMs = o.intervalMs ?? 5 * 60_000;
  const posted = new Set<string>();
  const minutes = (hm: string) => Number(hm.slice(0, 2)) * 60 + Number(hm.slice(3, 5));

  async function post(site: { _id: string; name: string }, key: string, text: string, files: Sayable[], now: Date): Promise<void> {
    const batch = new OutboxBatch(directory, key, { site: site._id, createdAt: now });
    // One reason per part: a batch sends one message per person and reason.
    const parts: Sayable[] = [{ kind: 'text', text }, ...files];
    for (const [i, s] of parts.entries()) await batch.add({ kind: 'staffRoom', site: site._id }, s, { reason: i ? `report.scheduled.file${i}` : 'report.scheduled' });
    if (!batch.entries.length) return;
    try {
      await models.Message.insertMany(batch.entries.map(toMessage), { ordered: false });
    } catch (err) {
      if (!onlyDuplicates(err)) throw err;
    }
  }

  async function tick(): Promise<string[]> {
    if (!o.schedule.length) return [];
    const now = clock.now();
    const today = calendar.localDate(now);
    const minute = Math.floor(((now.getTime() + 8 * 3_600_000) % 86_400_000) / 60_000);
    if (minute < minutes(o.postAt) || !calendar.isWorkingDay(today)) return [];
    const done: string[] = [];
    for (const { kind, period } of dueReports(calendar, today, o.schedule)) {
      for (const site of await directory.sites()) {
        const key = `report:${kind}:${site._id}:${period.from}`;
        if (posted.has(key) || (await models.Message.exists({ _id: `${key}:1` }))) {
          posted.add(key);
          continue;
        }
        // A staff room may hold anyone: the room's copy carries no reporter identity.
        const scope = { period, site: site._id, scope: site.name };
        const says =
          kind === 'weekly'
            ? await reports.ledgerFiles(await reports.ledgerData({ ...scope, viewer: { kind: 'public' } }))
            : await reports.performanceFiles(await reports.performanceData({ ...scope, siteName: site.name }));
        const title = (kind === 'weekly' ? reportCommandZh.scheduledLedger : reportCommandZh.scheduledPerformance)({ site: site.name, label: period.label });
        const texts = says.flatMap((s) => (s.kind === 'text' ? [s.text] : []));
        await post(site, key, [title, ...texts].join('\n'), says.filter((s) => s.kind === 'file'), now);
        posted.add(key);
        done.push(key);
      }
    }
    if (done.length) logger.info({ posted: done }, 'scheduled reports posted');
    return done;
  }

  let lock: Lock | null = null;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;
  let stopped = true;

  async function lead(): Promise<boolean> {
    try {
      if (lock && !(await lock.extend(3 * intervalMs))) lock = null;
      if (!lock) lock = await o.coordination.acquireLock(REPORT_SCHEDULER_LOCK, 3 * intervalMs);
    } catch (err) {
      logger.warn({ err }, 'report scheduler cannot reach the coordination store; skipping this round');
      lock = null;
    }
    return lock !== null;
  }

  function schedule(ms: number) {
    if (stopped) return;
    timer = setTimeout(() => {
      running = (async () => ((await lead()) ? tick() : []))()
        .catch((err: unknown) => logger.error({ err }, 'scheduled report failed; retrying next interval'))
        .finally(() => schedule(intervalMs));
    }, ms);
  }

  return {
    tick,
    start() {
      if (!stopped || !o.schedule.length) return;
      stopped = false;
      schedule(0);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      await lock?.release().catch(() => false);
      lock = null;
    },
  };
}
