// What staff look at: listings (open / overdue / mine / by unit / by situation / by site) and one
// case with its timeline. Every reporter field and free text goes through the privacy rule for
// the person looking; overdue deadlines show how late they are in working time.
import { EVENT_LABELS_ZH, STATUS_LABELS_ZH, allowedEvents } from '../../machines/case-lifecycle.js';
import { can } from '../../machines/permissions.js';
import type { CaseDoc, DeadlineKind } from '../../models/case.js';
import type { StaffDoc } from '../../models/staff.js';
import { CATEGORIES, type Category, OPEN_STATUSES } from '../../models/vocabulary.js';
import { formatZhDateTime, provisionalNote } from '../calendar/index.js';
import { type Overdue, openDeadlines, overdueFilter, overdueOf } from '../deadlines/index.js';
import { DeskError, InvalidInputError } from '../errors.js';
import { CATEGORY_ZH } from '../locales/zh/cases.js';
import { type ReporterView, type Viewer, redactFor, reporterFor, subjectUnits, unitsSettled } from '../privacy.js';
import { loadCase, writeAudit } from './change.js';
import type { CaseDeps } from './deps.js';
import { liaisonUnitOnCase, onlyLiaison, slipIsFor } from './performer.js';

export const LIST_SCOPES = ['open', 'overdue', 'mine', 'all'] as const;
export type ListScope = (typeof LIST_SCOPES)[number];

export interface ListQuery {
  /** The answer is posted in a staff room (anyone may read it there): no reporter identity at all. */
  inRoom?: boolean;
  scope?: ListScope;
  site?: string;
  unit?: string;
  category?: Category;
  page?: number;
  pageSize?: number;
}

export interface CaseRow {
  number: string;
  site: string;
  matter: string;
  status: string;
  statusLabel: string;
  category: Category | null;
  categoryLabel: string;
  acceptedAt: Date;
  agitated: boolean;
  assignee?: string;
  reporter: ReporterView;
  overdue: Overdue[];
  /** The open deadline that comes next and has not passed, for listings. */
  nextDue: { kind: DeadlineKind; label: string; at: Date; provisional: boolean } | null;
  nextDeadlineAt: Date | null;
  version: number;
}

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

const viewerOf = (staff: StaffDoc, inRoom = false): Viewer => (inRoom ? { kind: 'public' } : { kind: 'staff', staff });

function rowOf(deps: CaseDeps, doc: CaseDoc, viewer: Viewer, now: Date): CaseRow {
  return {
    number: doc.number,
    site: doc.site,
    matter: redactFor(doc, viewer, doc.matter),
    status: doc.status,
    statusLabel: STATUS_LABELS_ZH[doc.status],
    category: doc.category ?? null,
    categoryLabel: doc.category ? CATEGORY_ZH[doc.category] : '未分类',
    acceptedAt: doc.acceptedAt,
    agitated: Boolean(doc.lifecycle?.agitated),
    assignee: doc.assignee,
    reporter: reporterFor(doc, viewer),
    overdue: overdueOf(doc, now, deps.calendar),
    nextDue: nextDueOf(doc, now),
    nextDeadlineAt: doc.nextDeadlineAt ?? null,
    version: doc.version,
  };
}

function nextDueOf(doc: CaseDoc, now: Date): CaseRow['nextDue'] {
  const next = openDeadlines(doc)
    .filter((d) => d.at.getTime() >= now.getTime())
    .sort((a, b) => a.at.getTime() - b.at.getTime())[0];
  return next ? { kind: next.kind, label: DEADLINE_ZH[next.kind], at: next.at, provisional: next.provisional } : null;
}

export async function listCases(deps: CaseDeps, staff: StaffDoc, q: ListQuery = {}): Promise<Page<CaseRow>> {
  if (staff.active === false) throw new DeskError('forbidden', `${staff.name} 已不在工作人员名录中，不能查看事项。`);
  if (!can(staff.roles, 'viewCase')) throw new DeskError('forbidden', '您无权查看事项列表。');
  const scope = q.scope ?? 'open';
  if (!LIST_SCOPES.includes(scope)) throw new InvalidInputError('scope', `列表范围无效。可选：${LIST_SCOPES.join('、')}。`);
  if (q.category !== undefined && !CATEGORIES.includes(q.category)) throw new InvalidInputError('category', '类别无效。');
  const page = Math.max(1, Math.floor(Number(q.page) || 1));
  const pageSize = Math.min(100, Math.max(1, Math.floor(Number(q.pageSize) || 20)));
  const now = deps.clock.now();

  const filter: Record<string, unknown> = {};
  const and: Record<string, unknown>[] = [];
  const seesAllSites = staff.roles.includes('admin') || staff.roles.includes('leader');
  if (onlyLiaison(staff)) {
    // A liaison sees the cases transferred to their own unit, nothing else.
    filter['transfers.unit'] = String(staff.unit ?? '-');
  } else {
    filter.site = q.site && seesAllSites ? String(q.site) : staff.site;
    if (q.unit) and.push({ $or: [{ 'transfers.unit': String(q.unit) }, { involvedUnits: String(q.unit) }, { involvedUnit: String(q.unit) }] });
  }
  if (q.category) filter.category = q.category;
  if (scope !== 'all') filter.status = { $in: OPEN_STATUSES };
  if (scope === 'mine') filter.assignee = staff._id;
  if (scope === 'overdue') and.push(overdueFilter(now));
  if (and.length) filter.$and = and;

  const sort: Record<string, 1 | -1> = scope === 'overdue' ? { acceptedAt: 1, _id: 1 } : { acceptedAt: -1, _id: -1 };
  const [docs, total] = await Promise.all([
    deps.models.Case.find(filter)
      .sort(sort)
      .skip((page - 1) * pageSize)
      .limit(pageSize)
      .select({ outbox: 0, appliedKeys: 0 })
      .lean<CaseDoc[]>()
      .exec(),
    deps.models.Case.countDocuments(filter).exec(),
  ]);
  const viewer = viewerOf(staff, q.inRoom);
  return { items: docs.map((d) => rowOf(deps, d, viewer, now)), page, pageSize, total };
}

const DEADLINE_ZH: Record<DeadlineKind, string> = {
  classify: '分类',
  firstFeedback: '首次反馈',
  unitReply: '承办单位答复',
  followUp: '回访',
  rehandling: '不满意件回应',
};

export interface CaseView extends CaseRow {
  channel: string;
  account: string;
  /** The units the case complains about (empty for a liaison: not theirs to know). */
  involvedUnits: string[];
  unitsSettled: boolean;
  unitAsNamed?: { words: string; suggested: string[]; picked?: string | null };
  suggestedCategory: Category | null;
  outcome?: { kind: string; text: string; basis?: string; at: Date };
  transfers: { number: string; unit: string; state: string; replyDueAt: Date; replyDueProvisional: boolean; reply?: string }[];
  deadlines: { kind: DeadlineKind; label: string; at: Date; due: string; met: boolean; provisional: boolean; note?: string }[];
  timeline: { at: Date; text: string; by: string }[];
  followUps: { round: number; satisfaction: string; comment?: string }[];
  /** What was done at the window: the materials of a one-time notice, who attended a meeting… */
  handling: { kind: string; at: Date; text: string; missingMaterials?: string[]; attendees?: string[]; measures?: string[]; basis?: string }[];
  /** Every stationed window the case involved (meetings, questions asked), by unit code. */
  windows: string[];
  /** When leadership was told of the case (向局领导汇报), or null. */
  leaderInformedAt: Date | null;
  citizenUnreachable?: { at: Date; reason: string };
  /** What may be done next, for buttons and help text. */
  next: { event: string; label: string }[];
}

export async function viewCase(deps: CaseDeps, staff: StaffDoc, number: string, opts: { reveal?: boolean; inRoom?: boolean } = {}): Promise<CaseView> {
  if (staff.active === false) throw new DeskError('forbidden', `${staff.name} 已不在工作人员名录中，不能查看事项。`);
  if (opts.reveal && opts.inRoom) throw new DeskError('forbidden', '完整身份信息不能发到工作群，请私聊机器人查看。');
  const doc = await loadCase(deps, number);
  if (onlyLiaison(staff) && !liaisonUnitOnCase(doc, staff))
    throw new DeskError('forbidden', `事项 ${doc.number} 没有转办给您所在的单位。`);
  if (!onlyLiaison(staff) && doc.site !== staff.site && !staff.roles.includes('admin') && !staff.roles.includes('leader'))
    throw new DeskError('forbidden', `事项 ${doc.number} 属于其他站点。`);
  if (opts.reveal && !can(staff.roles, 'viewFullIdentity')) throw new DeskError('forbidden', '您无权查看反映人完整身份信息。');
  const now = deps.clock.now();
  const viewer = viewerOf(staff, opts.inRoom);
  const row = rowOf(deps, doc, viewer, now);
  const reporter = reporterFor(doc, viewer, { reveal: opts.reveal });
  if (opts.reveal && reporter.visibility === 'full') {
    await writeAudit(deps, {
      _id: `${doc._id}:reveal:${staff._id}:${now.getTime()}`,
      at: now,
      actor: { kind: 'staff', id: staff._id },
      action: 'VIEW_FULL_IDENTITY',
      caseId: String(doc._id),
      caseNumber: doc.number,
      site: doc.site,
    });
  }
  const r = (t: string) => redactFor(doc, viewer, t);
  // A liaison reads the case as their unit does: what the slip told it, and neutral progress; never
  // the citizen's own words forwarded (the account, comments), however well redacted.
  const asUnit = onlyLiaison(staff);
  const mySlips = doc.transfers.filter((t) => slipIsFor(t, staff));
  return {
    ...row,
    reporter,
    channel: doc.channel,
    account: asUnit ? r(mySlips[mySlips.length - 1]?.content ?? '') : r(doc.account),
    involvedUnits: asUnit ? [] : subjectUnits(doc),
    unitsSettled: unitsSettled(doc),
    unitAsNamed: asUnit ? undefined : doc.unitAsNamed && { ...doc.unitAsNamed, words: r(doc.unitAsNamed.words) },
    suggestedCategory: doc.suggestedCategory ?? null,
    outcome: doc.outcome && { kind: doc.outcome.kind, text: r(doc.outcome.text), basis: doc.outcome.basis && r(doc.outcome.basis), at: doc.outcome.at },
    transfers: (asUnit ? mySlips : doc.transfers).map((t) => ({
      number: t.number,
      unit: t.unit,
      state: t.state,
      replyDueAt: t.replyDueAt,
      replyDueProvisional: t.replyDueProvisional,
      reply: t.reply && r(t.reply.text),
    })),
    deadlines: (Object.entries(doc.deadlines ?? {}) as [DeadlineKind, NonNullable<CaseDoc['deadlines'][DeadlineKind]>][])
      .filter(([, d]) => d)
      .map(([kind, d]) => ({
        kind,
        label: DEADLINE_ZH[kind],
        at: d.at,
        due: formatZhDateTime(d.at),
        met: Boolean(d.metAt),
        provisional: d.provisional,
        note: d.provisional ? provisionalNote(deps.calendar.missingYears(doc.acceptedAt, d.at)) : undefined,
      })),
    timeline: asUnit
      ? doc.timeline.filter((t) => t.public && t.publicText).map((t) => ({ at: t.at, text: r(t.publicText!), by: t.actor.kind === 'citizen' ? '诉求人' : '窗口' }))
      : doc.timeline.map((t) => ({ at: t.at, text: r(t.text), by: t.actor.label ?? t.actor.id })),
    followUps: doc.followUps.map((f) => ({ round: f.round, satisfaction: f.satisfaction, comment: asUnit ? undefined : f.comment && r(f.comment) })),
    // A unit reads what the public timeline says, not the desk's own records.
    handling: asUnit
      ? []
      : (doc.handling ?? [])
          .filter((h) => h.kind !== 'supplement')
          .map((h) => ({
            kind: h.kind,
            at: h.at,
            text: r(h.text),
            ...(h.missingMaterials?.length ? { missingMaterials: h.missingMaterials.map(r) } : {}),
            ...(h.attendees?.length ? { attendees: h.attendees.map(r) } : {}),
            ...(h.measures?.length ? { measures: h.measures } : {}),
            ...(h.basis ? { basis: r(h.basis) } : {}),
          })),
    windows: [...new Set((doc.handling ?? []).flatMap((h) => h.windows ?? []))],
    leaderInformedAt: (doc.handling ?? []).find((h) => h.kind === 'leader_informed')?.at ?? null,
    citizenUnreachable: doc.citizenUnreachable,
    next: allowedEvents(doc.status, doc.lifecycle).map((e) => ({ event: e, label: EVENT_LABELS_ZH[e] })),
  };
}
