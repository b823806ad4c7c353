// One case on a staff screen: what it is, where it stands, what is late, what happened last and
// what comes next. Everything shown comes from the case view, which has already applied the
// privacy rule for this viewer; nothing here reads the stored case.
import type { Choice, Sayable } from '../../models/sayable.js';
import type { CaseView } from '../cases/index.js';
import { MEASURE_ZH, OUTCOME_ZH } from '../cases/index.js';
import { formatZhDateTime } from '../calendar/index.js';
import { formatOverdueZh } from '../deadlines/overdue.js';
import { CATEGORY_ZH, SATISFACTION_ZH } from '../locales/zh/cases.js';
import { CHANNEL_ZH } from '../locales/zh/reminders.js';
import { screenZh } from '../locales/zh/staff-commands.js';
import type { NextSteps } from './next-steps.js';

/** How many timeline entries a case screen shows; the rest stay in the record. */
export const TIMELINE_SHOWN = 10;

export interface CaseScreenNames {
  unit(code: string): string;
  assignee?: string;
  /** Provisional-deadline note for a date counted through a year with no holiday data, or ''. */
  provisional(from: Date, to: Date): string;
}

export function nextStepLines(steps: NextSteps, ended: boolean): string[] {
  if (ended) return [screenZh.nextNone];
  const lines: string[] = [];
  if (steps.choices.length || steps.templates.length) lines.push(screenZh.nextTitle, ...steps.templates.map(screenZh.nextTemplate));
  if (steps.others.length) lines.push(screenZh.nextNotYours(steps.others.join('、')));
  return lines;
}

export function withChoices(text: string, choices: Choice[]): Sayable {
  return choices.length ? { kind: 'choices', text, choices } : { kind: 'text', text };
}

export function renderCaseView(
  view: CaseView,
  names: CaseScreenNames,
  steps: NextSteps,
  opts: { revealed: boolean; extraChoices?: Choice[] },
): Sayable {
  const n = view.number;
  const lines = [screenZh.caseTitle({ number: n, status: view.statusLabel })];
  lines.push(
    screenZh.category({
      category: view.categoryLabel,
      suggested: !view.category && view.suggestedCategory ? CATEGORY_ZH[view.suggestedCategory] : undefined,
    }),
  );
  if (view.agitated) lines.push(screenZh.agitated);
  const r = view.reporter;
  lines.push(
    r.visibility === 'hidden'
      ? screenZh.reporter({ who: screenZh.reporterHidden, note: '' })
      : screenZh.reporter({ who: `${r.name} ${r.phone}`, note: r.visibility === 'masked' ? screenZh.reporterMasked(n) : opts.revealed ? screenZh.reporterFull : '' }),
  );
  lines.push(screenZh.channel(CHANNEL_ZH[view.channel as keyof typeof CHANNEL_ZH] ?? view.channel));
  lines.push(screenZh.matter(view.matter), screenZh.account(view.account), screenZh.acceptedAt(formatZhDateTime(view.acceptedAt)));
  if (view.involvedUnits.length || view.unitAsNamed || !view.unitsSettled)
    lines.push(
      screenZh.involvedUnits({
        units: view.involvedUnits.map(names.unit).join('、'),
        settled: view.unitsSettled,
        words: view.unitAsNamed?.words,
        suggested: view.unitAsNamed?.suggested.map(names.unit).join('、'),
      }),
    );
  if (names.assignee) lines.push(screenZh.assignee(names.assignee));

  if (view.deadlines.length) {
    lines.push(screenZh.deadlinesTitle);
    for (const d of view.deadlines) {
      const late = view.overdue.filter((o) => o.kind === d.kind);
      const state = d.met ? screenZh.met : late.length ? screenZh.overdue(formatOverdueZh(late)) : screenZh.pending;
      lines.push(screenZh.deadline({ label: d.label, due: d.due, state: state + (d.note && !d.met ? screenZh.provisional(d.note) : '') }));
    }
  }
  if (view.transfers.length) {
    lines.push(screenZh.transfersTitle);
    for (const t of view.transfers) {
      const late = view.overdue.filter((o) => o.slip === t.number);
      const note = t.replyDueProvisional ? names.provisional(view.acceptedAt, t.replyDueAt) : '';
      const due = formatZhDateTime(t.replyDueAt) + (note ? screenZh.provisional(note) : '') + (late.length ? `　${screenZh.overdue(formatOverdueZh(late))}` : '');
      lines.push(screenZh.transfer({ slip: t.number, unit: names.unit(t.unit), state: screenZh.slipState[t.state] ?? t.state, due }));
      if (t.reply) lines.push(screenZh.transferReply(t.reply));
    }
  }
  if (view.windows.length) lines.push(screenZh.windows(view.windows.map(names.unit).join('、')));
  if (view.category === 'COMPLEX') lines.push(screenZh.leader(view.leaderInformedAt && formatZhDateTime(view.leaderInformedAt)));
  if (view.handling.length) {
    lines.push(screenZh.handlingTitle);
    for (const h of view.handling) {
      lines.push(screenZh.handling({ at: formatZhDateTime(h.at), label: screenZh.handlingKinds[h.kind] ?? h.kind, text: h.text }));
      if (h.missingMaterials) lines.push(screenZh.handlingMaterials(h.missingMaterials));
      if (h.attendees) lines.push(screenZh.handlingAttendees(h.attendees));
      if (h.measures) lines.push(screenZh.handlingMeasures(h.measures.map((m) => MEASURE_ZH[m as keyof typeof MEASURE_ZH] ?? m)));
      if (h.basis) lines.push(screenZh.handlingBasis(h.basis));
    }
  }
  if (view.outcome) {
    const kind = OUTCOME_ZH[view.outcome.kind as keyof typeof OUTCOME_ZH] ?? view.outcome.kind;
    lines.push(screenZh.outcome({ outcome: kind, text: view.outcome.text, basis: view.outcome.basis, at: formatZhDateTime(view.outcome.at) }));
  }
  for (const f of view.followUps) {
    const satisfaction = SATISFACTION_ZH[f.satisfaction as keyof typeof SATISFACTION_ZH] ?? f.satisfaction;
    lines.push(screenZh.followUp({ round: f.round, satisfaction, comment: f.comment }));
  }
  if (view.citizenUnreachable) lines.push(screenZh.unreachable({ at: formatZhDateTime(view.citizenUnreachable.at), reason: view.citizenUnreachable.reason }));

  const shown = view.timeline.slice(-TIMELINE_SHOWN);
  lines.push(screenZh.timelineTitle(shown.length, view.timeline.length));
  for (const t of shown) lines.push(screenZh.timeline({ at: formatZhDateTime(t.at), by: t.by, text: t.text }));

  lines.push(...nextStepLines(steps, view.next.length === 0));
  return withChoices(lines.join('\n'), [...steps.choices, ...(opts.extraChoices ?? [])]);
}
