// Desk-wide screens: listings with how late each case is, counts, today's duty, the units.
import { ROLE_LABELS_ZH } from '../../machines/permissions.js';
import { STATUS_LABELS_ZH } from '../../machines/case-lifecycle.js';
import type { Sayable } from '../../models/sayable.js';
import type { StaffDoc } from '../../models/staff.js';
import type { UnitDoc } from '../../models/unit.js';
import { CASE_STATUSES, CATEGORIES, OPEN_STATUSES, UNIT_KINDS } from '../../models/vocabulary.js';
import type { CaseRow, ListScope, Page } from '../cases/index.js';
import { formatZhDateTime } from '../calendar/index.js';
import type { DutyOfficer } from '../directory/index.js';
import { formatOverdueZh } from '../deadlines/overdue.js';
import { CATEGORY_ZH } from '../locales/zh/cases.js';
import { COMMAND_HELP_ZH, EXAMPLE_NUMBER, UNIT_KIND_ZH, screenZh } from '../locales/zh/staff-commands.js';
import { caseCommand, choiceOf } from './next-steps.js';
import { withChoices } from './render-case.js';

export function renderList(scope: ListScope, page: Page<CaseRow>, unit?: { code: string; name: string }): Sayable {
  const title = screenZh.scopeTitle[scope] + (unit ? `（${unit.name}）` : '');
  if (page.items.length === 0 && page.page === 1) return { kind: 'text', text: screenZh.listEmpty(title) };
  const pages = Math.max(1, Math.ceil(page.total / page.pageSize));
  const lines = [screenZh.listTitle({ scope: title, page: page.page, pages, total: page.total })];
  const first = (page.page - 1) * page.pageSize;
  page.items.forEach((r, i) => {
    lines.push(
      screenZh.listRow({
        i: first + i + 1,
        number: r.number,
        status: r.statusLabel,
        category: r.categoryLabel,
        matter: r.matter,
        accepted: formatZhDateTime(r.acceptedAt),
        overdue: formatOverdueZh(r.overdue),
        next: r.nextDue ? screenZh.listNext({ label: r.nextDue.label, due: formatZhDateTime(r.nextDue.at), provisional: r.nextDue.provisional }) : '',
        agitated: r.agitated,
      }),
    );
  });
  const choices = page.items.map((r) => choiceOf(caseCommand(r.number, 'view'), screenZh.openCase(r.number)));
  if (page.page < pages) {
    const more = `列表 ${scope}${unit ? ` 单位 ${unit.code}` : ''} ${page.page + 1}`;
    lines.push(screenZh.listMore(more));
    choices.push(choiceOf(more, screenZh.nextPage(page.page + 1)));
  }
  return withChoices(lines.join('\n'), choices);
}

export function renderStats(p: { scopeLabel: string; at: Date; rows: CaseRow[]; truncated: boolean }): Sayable {
  const lines = [screenZh.statsTitle({ scope: p.scopeLabel, at: formatZhDateTime(p.at) })];
  if (p.rows.length === 0) return { kind: 'text', text: [...lines, screenZh.statsNone].join('\n') };
  const open = p.rows.filter((r) => OPEN_STATUSES.includes(r.status as (typeof OPEN_STATUSES)[number]));
  lines.push(screenZh.statsTotals({ total: p.rows.length, open: open.length, overdue: open.filter((r) => r.overdue.length > 0).length }));
  const count = <K extends string>(keys: readonly K[], of: (r: CaseRow) => K | null, label: (k: K) => string) =>
    keys
      .map((k) => [k, p.rows.filter((r) => of(r) === k).length] as const)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => screenZh.statsItem(label(k), n))
      .join('；');
  lines.push(screenZh.statsByStatus(count(CASE_STATUSES, (r) => r.status as (typeof CASE_STATUSES)[number], (s) => STATUS_LABELS_ZH[s])));
  const byCategory = count(CATEGORIES, (r) => r.category, (c) => CATEGORY_ZH[c]);
  const none = p.rows.filter((r) => !r.category).length;
  lines.push(screenZh.statsByCategory([byCategory, none ? screenZh.statsItem(screenZh.uncategorized, none) : ''].filter(Boolean).join('；')));
  if (p.truncated) lines.push(screenZh.statsTruncated(p.rows.length));
  return { kind: 'text', text: lines.join('\n') };
}

export function renderDuty(p: { day: string; duty: DutyOfficer | null; sections: { role: keyof typeof ROLE_LABELS_ZH; staff: StaffDoc[] }[] }): Sayable {
  const lines = [screenZh.dutyTitle(p.day)];
  lines.push(p.duty ? screenZh.dutyOfficer({ name: p.duty.staff.name, id: p.duty.staff._id, fallback: p.duty.fallback }) : screenZh.dutyNone);
  for (const s of p.sections) {
    if (s.staff.length) lines.push(screenZh.dutyRole({ role: ROLE_LABELS_ZH[s.role], names: s.staff.map((x) => `${x.name}（${x._id}）`).join('、') }));
  }
  return { kind: 'text', text: lines.join('\n') };
}

export function renderUnits(p: { siteName: string; units: UnitDoc[] }): Sayable {
  const lines = [screenZh.unitsTitle(p.siteName)];
  for (const kind of UNIT_KINDS) {
    const of = p.units.filter((u) => u.kind === kind);
    if (!of.length) continue;
    lines.push(screenZh.unitsGroup(UNIT_KIND_ZH[kind]));
    for (const u of of) lines.push(screenZh.unitLine({ code: u._id, name: u.name, matters: u.matters.join('、') }));
  }
  const sample = p.units.find((u) => !u.stationed && u.kind !== 'service_center');
  lines.push(screenZh.unitsHint(sample ? caseCommand(EXAMPLE_NUMBER, 'transfer', sample._id) : COMMAND_HELP_ZH.transfer.example));
  return { kind: 'text', text: lines.join('\n') };
}
