// The reports as chat text: the ledger's one-line summary and the performance table, one line
// per unit (chat apps have no fixed-width font, so no column alignment is attempted).
import { performanceZh, ledgerZh } from '../locales/zh/reports.js';
import type { Ledger } from './ledger.js';
import type { PerformanceReport } from './performance.js';
import { categoryLabel, channelLabel, days, percent } from './sheets.js';

export function ledgerSummary(l: Ledger): string {
  return ledgerZh.summary({ label: `${l.scope} ${l.period.label}`, total: l.rows.length, carried: l.rows.filter((r) => r.carried).length, open: l.rows.filter((r) => r.open).length });
}

export function performanceText(p: PerformanceReport): string {
  const z = performanceZh;
  const lines = [z.title2({ label: p.period.label, scope: p.scope })];
  if (!p.units.length) lines.push(z.noUnits);
  for (const u of p.units)
    lines.push(
      z.unitLine({
        unit: u.name,
        received: u.received,
        ackRate: percent(u.signRate),
        onTime: u.repliedOnTime,
        late: u.repliedLate,
        onTimeRate: percent(u.onTimeRate),
        avg: days(u.avgReplyDays),
        p90: days(u.p90ReplyDays),
        overdue: u.overdueOpen,
        satisfied: percent(u.satisfactionRate),
        rehandled: percent(u.rehandlingRate),
      }),
    );
  if (p.site) {
    const s = p.site;
    lines.push('', z.siteLine({ site: s.name, total: s.total, outOfScope: s.outOfScope, sameDay: percent(s.sameDayRate), followUp: percent(s.followUpRate) }));
    const items = (o: Record<string, number>, label: (k: string) => string) =>
      Object.entries(o)
        .filter(([, n]) => n > 0)
        .map(([k, n]) => `${label(k)} ${n}`)
        .join('、') || '—';
    lines.push(z.breakdown(z.siteRows.byCategory, items(s.byCategory, categoryLabel)), z.breakdown(z.siteRows.byChannel, items(s.byChannel, channelLabel)));
  }
  lines.push('', z.notes);
  return lines.join('\n');
}
