// The case card at the top of a case's topic, as a pure function of the stored case: what the
// case is, where it stands, its deadlines, and one button for every next step the role table
// allows someone at the desk to take. The staff group is a room (anyone from a stationed window
// may sit in it), so everything quoted goes through the privacy rule's public view and the
// reporter appears only as a masked name, never a phone digit.
import { STATUS_LABELS_ZH, allowedEvents } from '../../../machines/case-lifecycle.js';
import type { CaseDoc } from '../../../models/case.js';
import type { StaffDoc } from '../../../models/staff.js';
import type { UnitDoc } from '../../../models/unit.js';
import { OPEN_STATUSES, type Role } from '../../../models/vocabulary.js';
import { maskName } from '../../../models/validation.js';
import { formatZhDateTime } from '../../../services/calendar/index.js';
import { OUTCOME_ZH } from '../../../services/cases/index.js';
import { CATEGORY_ZH } from '../../../services/locales/zh/cases.js';
import { CHANNEL_ZH } from '../../../services/locales/zh/reminders.js';
import { cardZh } from '../../../services/locales/zh/telegram-staff.js';
import { redactFor, subjectUnits } from '../../../services/privacy.js';
import { CHOICE_PREFIX, VERBS } from '../../../services/staff-commands/index.js';
import { nextSteps } from '../../../services/staff-commands/next-steps.js';
import { escapeHtml } from '../render.js';

/** A button before signing: its label and what pressing it asks for. */
export interface CardButton {
  label: string;
  /** A staff command line (`#编号 分类 一般`), or `t:<verb>:<number>` for a step that needs typed text. */
  payload: string;
}

export interface Card {
  /** HTML (parse_mode HTML); every piece of stored text in it is escaped. */
  html: string;
  buttons: CardButton[][];
}

/** Telegram allows 128 characters in a topic name. */
export const TOPIC_NAME_MAX = 128;
/** How much of the citizen's account the card quotes; the rest is one command away. */
export const SUMMARY_MAX = 300;


/** The roles that work a case from the staff group: the card offers what any of them may do next. */
const DESK_ROLES: Role[] = ['window_clerk', 'duty_officer', 'supervision', 'coordination'];

/** Steps whose text must be typed: the button shows the form to type in the topic. */
const TEMPLATE_VERBS = ['settle', 'involve', 'notice', 'refusal', 'resolve'] as const;
export type TemplateVerb = (typeof TEMPLATE_VERBS)[number];
export const isTemplateVerb = (v: string): v is TemplateVerb => (TEMPLATE_VERBS as readonly string[]).includes(v);
export const templatePayload = (verb: TemplateVerb, number: string) => `t:${verb}:${number}`;

const chars = (s: string) => Array.from(s);
function clip(s: string, max: number): { text: string; clipped: boolean } {
  const c = chars(s);
  return c.length <= max ? { text: s, clipped: false } : { text: `${c.slice(0, max).join('')}`, clipped: true };
}

export function topicName(doc: CaseDoc): string {
  const matter = redactFor(doc, { kind: 'public' }, doc.matter).replace(/\s+/g, ' ').trim();
  return clip(`${doc.number} ${matter}`, TOPIC_NAME_MAX).text;
}

export const isEnded = (doc: Pick<CaseDoc, 'status'>) => !OPEN_STATUSES.includes(doc.status);

export function renderCard(
  doc: CaseDoc,
  names: { unit(code: string): string },
  opts: { now: Date; transferUnits: readonly UnitDoc[]; forum: boolean },
): Card {
  const pub = (t: string) => escapeHtml(redactFor(doc, { kind: 'public' }, t));
  const lines = [`<b>${escapeHtml(cardZh.title({ number: doc.number, status: STATUS_LABELS_ZH[doc.status] }))}</b>`];
  if (doc.agitated) lines.push(`<b>${escapeHtml(cardZh.agitated)}</b>`);
  lines.push(cardZh.matter(pub(doc.matter)));
  lines.push(
    doc.category
      ? cardZh.category(CATEGORY_ZH[doc.category])
      : doc.suggestedCategory
        ? cardZh.suggested(CATEGORY_ZH[doc.suggestedCategory])
        : cardZh.unclassified,
  );
  lines.push(cardZh.channel(CHANNEL_ZH[doc.channel] ?? doc.channel));
  lines.push(escapeHtml(cardZh.reporter({ name: maskName(doc.reporter.name) })));
  lines.push(cardZh.acceptedAt(formatZhDateTime(doc.acceptedAt)));
  const subjects = subjectUnits(doc);
  if (subjects.length || doc.unitsSettled)
    lines.push(escapeHtml(cardZh.involvedUnits({ units: subjects.map((u) => names.unit(u)).join('、'), settled: Boolean(doc.unitsSettled) })));
  else if (!isEnded(doc)) lines.push(escapeHtml(cardZh.unitsUnsettled));
  for (const t of doc.transfers)
    lines.push(
      escapeHtml(
        cardZh.transfer({ slip: t.number, unit: names.unit(t.unit), state: cardZh.transferStates[t.state] ?? t.state, due: formatZhDateTime(t.replyDueAt) }),
      ),
    );
  const open = Object.entries(doc.deadlines ?? {})
    .filter(([, d]) => d && !d.metAt)
    .sort(([, a], [, b]) => +a!.at - +b!.at)
    .map(([k, d]) => cardZh.deadline({ label: cardZh.deadlineLabels[k] ?? k, at: formatZhDateTime(d!.at), overdue: +d!.at < +opts.now }));
  if (open.length && !isEnded(doc)) lines.push(cardZh.deadlines(open.join('；')));
  if (doc.outcome) lines.push(cardZh.outcome(`${OUTCOME_ZH[doc.outcome.kind]}——${pub(doc.outcome.text)}`));
  const summary = clip(redactFor(doc, { kind: 'public' }, doc.account), SUMMARY_MAX);
  lines.push(cardZh.summary(escapeHtml(summary.text) + (summary.clipped ? escapeHtml(cardZh.more(doc.number)) : '')));
  lines.push('', `<i>${escapeHtml(isEnded(doc) ? cardZh.ended : opts.forum ? cardZh.howTo : cardZh.howToPlain)}</i>`);
  return { html: lines.join('\n'), buttons: isEnded(doc) ? [] : cardButtons(doc, opts.transferUnits) };
}

function cardButtons(doc: CaseDoc, transferUnits: readonly UnitDoc[]): CardButton[][] {
  const desk: StaffDoc = { _id: 'staff-group', name: '工作群', site: doc.site, roles: DESK_ROLES, identities: [], active: true };
  const events = allowedEvents(doc.status, doc.lifecycle);
  const steps = nextSteps({
    number: doc.number,
    status: doc.status,
    category: doc.lifecycle.category,
    events,
    staff: desk,
    transferUnits: events.includes('TRANSFER') && doc.lifecycle.category === 'NOT_STATIONED' ? transferUnits : [],
    awaitingAck: doc.transfers.some((t) => t.state === 'issued'),
  });
  const buttons: CardButton[] = steps.choices.map((c) => ({
    label: c.label,
    payload: c.id.startsWith(CHOICE_PREFIX) ? c.id.slice(CHOICE_PREFIX.length) : c.id,
  }));
  const templates: TemplateVerb[] = [];
  // 被反映单位 is settled once, before any unit may learn who reported: one press for "none", or typed units.
  if (!doc.unitsSettled) {
    buttons.push({ label: cardZh.noSubject, payload: `#${doc.number} ${VERBS.settle.zh[0]} 无` });
    templates.push('settle');
  } else templates.push('involve');
  if (events.includes('RECORD')) templates.push('notice', 'refusal');
  if (events.includes('RESOLVE')) templates.push('resolve');
  for (const v of templates) buttons.push({ label: cardZh.template(cardZh.templateLabels[v]), payload: templatePayload(v, doc.number) });
  buttons.push({ label: cardZh.view, payload: `#${doc.number} ${VERBS.view.zh[0]}` });
  const rows: CardButton[][] = [];
  for (let i = 0; i < buttons.length; i += 2) rows.push(buttons.slice(i, i + 2));
  return rows;
}
