// A parsed command → the case services → what the staff member reads. Service refusals (typed
// DeskErrors and permission refusals) come back as one readable line; anything else is a fault
// and is thrown to the channel's boundary, never dressed up as an answer.
import { STATUS_LABELS_ZH, allowedEvents, type CaseEventType } from '../../machines/case-lifecycle.js';
import { ForbiddenError, can } from '../../machines/permissions.js';
import type { CaseDoc } from '../../models/case.js';
import { type Choice, type Sayable, text } from '../../models/sayable.js';
import type { StaffDoc } from '../../models/staff.js';
import type { UnitDoc } from '../../models/unit.js';
import type { CaseStatus, Category } from '../../models/vocabulary.js';
import { type WorkCalendar, formatZhDate, formatZhDateTime, provisionalNote } from '../calendar/index.js';
import { type CaseRow, type CaseServices, OUTCOME_ZH, type Performer, onlyLiaison } from '../cases/index.js';
import type { Clock } from '../clock.js';
import type { Directory } from '../directory/index.js';
import { DeskError, InvalidInputError } from '../errors.js';
import { CATEGORY_ZH, SATISFACTION_ZH, draftZh } from '../locales/zh/cases.js';
import { redactFor, subjectUnits, unitMayIdentify, unitsSettled } from '../privacy.js';
import { matchUnit, unitKey } from '../directory/index.js';
import { OPEN_STATUSES } from '../../models/vocabulary.js';
import { doneZh, errorZh, screenZh } from '../locales/zh/staff-commands.js';
import type { ReportServices } from '../reports/service.js';
import { staffHelp } from './help.js';
import { type NextSteps, caseCommand, choiceOf, nextSteps } from './next-steps.js';
import { parseStaffCommand } from './parse.js';
import { nextStepLines, renderCaseView, withChoices } from './render-case.js';
import { renderDuty, renderList, renderStats, renderUnits } from './render-desk.js';
import type { CaseCommand, DeskCommand, ParsedCommand } from './types.js';
import { EVENT_VERBS, wordKey } from './words.js';

export interface StaffCommandContext {
  cases: CaseServices;
  directory: Directory;
  calendar: WorkCalendar;
  clock: Clock;
  /** Who is acting: every permission and privacy decision is made for this person. */
  staff: StaffDoc;
  /**
   * Where the answer is shown: a staff room (a Telegram group, a WeChat room) may hold people from
   * the unit complained about, so answers there carry no reporter identity and 身份 is refused.
   * Default 'private' (a one-to-one chat, the console).
   */
  where?: 'room' | 'private';
  /** Forms and reports (登记表, 转办单, 清单, 考核); absent where the desk runs without them. */
  reports?: ReportServices;
}

export interface ExecuteOptions {
  /** The channel's message id: a redelivered message changes nothing the second time. */
  idempotencyKey?: string;
}

/** Rows per listing page: short enough for one chat screen. */
export const LIST_PAGE_SIZE = 10;
/** Statistics count at most this many cases, newest first. */
export const STATS_MAX_CASES = 1000;

const isRefusal = (e: unknown): e is Error => e instanceof DeskError || e instanceof ForbiddenError;

export async function executeStaffCommand(ctx: StaffCommandContext, cmd: ParsedCommand, opts: ExecuteOptions = {}): Promise<Sayable[]> {
  try {
    return 'number' in cmd ? await onCase(ctx, cmd, opts) : await onDesk(ctx, cmd, opts);
  } catch (e) {
    if (isRefusal(e)) return [text(errorZh.prefix + e.message + ('number' in cmd ? commandsInstead(cmd.number, e) : ''))];
    throw e;
  }
}

/** After a step the lifecycle refused: the commands that do work now, as they are typed. */
function commandsInstead(number: string, e: Error): string {
  const allowed = e instanceof DeskError && e.code === 'illegal_transition' ? (e.details.allowed as CaseEventType[] | undefined) : undefined;
  if (!allowed?.length) return '';
  const verbs = [...new Set(allowed.map((a) => EVENT_VERBS[a]))];
  return errorZh.commandsNow(verbs.map((v) => caseCommand(number, v)).join('、'));
}

/** Parse and execute one line; a line that does not parse is answered with how to write it. */
export async function handleStaffText(ctx: StaffCommandContext, line: string, opts: ExecuteOptions = {}): Promise<Sayable[]> {
  const cmd = parseStaffCommand(line);
  if ('error' in cmd) return [text(errorZh.prefix + cmd.error)];
  return executeStaffCommand(ctx, cmd, opts);
}

function reportsOf(ctx: StaffCommandContext): ReportServices {
  if (!ctx.reports) throw new DeskError('unavailable', errorZh.noReports);
  return ctx.reports;
}

const performerOf = (ctx: StaffCommandContext): Performer => ({ kind: 'staff', staff: ctx.staff });

/** `loaded`: every unit, when the caller already has them (the site's are the same rows, in the same order). */
async function transferUnits(ctx: StaffCommandContext, site: string, category: Category | null, events: readonly CaseEventType[], loaded?: UnitDoc[]) {
  if (category !== 'NOT_STATIONED' || !events.includes('TRANSFER')) return [];
  const units = loaded ? loaded.filter((u) => u.site === site) : await ctx.directory.units(site);
  return units.filter((u) => !u.stationed && u.kind !== 'service_center');
}

async function stepsFor(
  ctx: StaffCommandContext,
  c: { number: string; site: string; status: CaseStatus; category: Category | null; events: CaseEventType[]; awaitingAck: boolean },
  loadedUnits?: UnitDoc[],
): Promise<NextSteps> {
  return nextSteps({ ...c, staff: ctx.staff, transferUnits: await transferUnits(ctx, c.site, c.category, c.events, loadedUnits) });
}

async function showCase(ctx: StaffCommandContext, number: string, reveal: boolean): Promise<Sayable> {
  const view = await ctx.cases.view(ctx.staff, number, { reveal, inRoom: ctx.where === 'room' });
  const allUnits = await ctx.directory.units();
  const units = new Map(allUnits.map((u) => [u._id, u.name]));
  const assignee = view.assignee ? await ctx.directory.staff(view.assignee).then((s) => s.name, () => view.assignee) : undefined;
  const events = view.next.map((e) => e.event as CaseEventType);
  const steps = await stepsFor(ctx, {
    number: view.number,
    site: view.site,
    status: view.status as CaseStatus,
    category: view.category,
    events,
    awaitingAck: view.transfers.some((t) => t.state === 'issued'),
  }, allUnits);
  const extra: Choice[] =
    view.reporter.visibility === 'masked' && can(ctx.staff.roles, 'viewFullIdentity')
      ? [choiceOf(caseCommand(view.number, 'reveal'), doneZh.revealChoice)]
      : [];
  return renderCaseView(
    view,
    {
      unit: (code) => units.get(code) ?? code,
      assignee,
      provisional: (from, to) => provisionalNote(ctx.calendar.missingYears(from, to)),
    },
    steps,
    { revealed: reveal, extraChoices: extra },
  );
}

/** The answer after a change: what was done, where the case is now, and what comes next. */
async function confirmation(ctx: StaffCommandContext, doc: CaseDoc, what: string, duplicate: boolean): Promise<Sayable> {
  const events = allowedEvents(doc.status, doc.lifecycle);
  const steps = await stepsFor(ctx, {
    number: doc.number,
    site: doc.site,
    status: doc.status,
    category: doc.lifecycle.category,
    events,
    awaitingAck: doc.transfers.some((t) => t.state === 'issued'),
  });
  const lines = [doneZh.prefix + what, doneZh.status(STATUS_LABELS_ZH[doc.status])];
  if (duplicate) lines.push(doneZh.duplicate);
  const ask = await unitsQuestion(ctx, doc);
  if (ask) lines.push(ask.line);
  lines.push(...nextStepLines(steps, events.length === 0));
  return withChoices(lines.join('\n'), [...(ask?.choices ?? []), ...steps.choices, choiceOf(caseCommand(doc.number, 'view'), doneZh.viewChoice(doc.number))]);
}

/**
 * While nobody has answered "被反映单位", whoever may answer it is asked after every change: with
 * what the citizen typed, the units the desk matched, and a choice for each (and for "none").
 */
async function unitsQuestion(ctx: StaffCommandContext, doc: CaseDoc): Promise<{ line: string; choices: Choice[] } | null> {
  if (unitsSettled(doc) || !can(ctx.staff.roles, 'settleUnits') || !OPEN_STATUSES.includes(doc.status)) return null;
  const codes = [...new Set([...subjectUnits(doc), ...(doc.unitAsNamed?.suggested ?? [])])];
  const names = await Promise.all(codes.map(async (c) => ({ code: c, name: await unitName(ctx, c) })));
  const choices = names.map((u) => choiceOf(caseCommand(doc.number, 'settle', u.code), `被反映单位：${u.name}`));
  if (!subjectUnits(doc).length) choices.push(choiceOf(caseCommand(doc.number, 'settle', '无'), '被反映单位：无'));
  const words = doc.unitAsNamed?.words ? redactFor(doc, ctx.where === 'room' ? { kind: 'public' } : { kind: 'staff', staff: ctx.staff }, doc.unitAsNamed.words) : undefined;
  return { line: doneZh.unitsQuestion({ number: doc.number, words, suggested: names.map((u) => `${u.name}（${u.code}）`).join('、') }), choices };
}

const unitName = (ctx: StaffCommandContext, code: string) => ctx.directory.unit(code).then((u) => u.name, () => code);
const dueText = (ctx: StaffCommandContext, from: Date, at: Date, provisional: boolean) => {
  const note = provisional ? provisionalNote(ctx.calendar.missingYears(from, at)) : '';
  return formatZhDateTime(at) + (note ? `（${note}）` : '');
};

/**
 * The unit a transfer names, by code, by name, or by a unique part of a name (教育局 → 市教育局).
 * A Chinese word that names no unit is the start of the request content (审批主体不明 cases go
 * to 市便民服务中心 without a unit); a code-like word that names none is a typo.
 */
async function transferTarget(
  ctx: StaffCommandContext,
  target: string | undefined,
  content: string | undefined,
): Promise<{ unit?: UnitDoc; content?: string; all?: UnitDoc[] }> {
  if (!target) return { content };
  const all = await ctx.directory.units();
  const key = wordKey(target);
  const exact = all.find((u) => u._id.toLowerCase() === key || wordKey(u.name) === key);
  if (exact) return { unit: exact, content, all };
  // A directory alias, written as people write it (住建局, 教委, 海虞镇): exactly, never as part of a sentence.
  const said = unitKey(target);
  const aliased = said ? all.filter((u) => (u.aliases ?? []).some((a) => unitKey(a) === said)) : [];
  if (aliased.length === 1) return { unit: aliased[0], content, all };
  const partial = Array.from(target).length >= 2 ? all.filter((u) => wordKey(u.name).includes(key)) : [];
  if (partial.length === 1) return { unit: partial[0], content, all };
  if (partial.length > 1) throw new InvalidInputError('unit', errorZh.ambiguousUnit(target, partial.map((u) => `${u._id} ${u.name}`).join('、')));
  if (/^[a-z0-9_-]+$/u.test(key)) {
    const codes = all.filter((u) => !u.stationed).map((u) => `${u._id}（${u.name}）`);
    throw new InvalidInputError('unit', errorZh.unknownUnit(target, codes.join('、')));
  }
  return { content: [target, content].filter(Boolean).join(' '), all };
}

/** Units typed in a command (codes, names, parts of names), each resolved as 转办 resolves its unit. */
async function unitCodes(ctx: StaffCommandContext, words: readonly string[]): Promise<UnitDoc[]> {
  const out: UnitDoc[] = [];
  const units = await ctx.directory.units();
  for (const w of words) {
    // A directory name, alias or code first (住建局, 教委), as the intake matcher reads them.
    const code = matchUnit(w, units);
    const known = code ? units.find((u) => u._id === code) : undefined;
    if (known) {
      if (!out.some((u) => u._id === known._id)) out.push(known);
      continue;
    }
    const { unit, all = [] } = await transferTarget(ctx, w, undefined);
    if (!unit) throw new InvalidInputError('unit', errorZh.unknownAnyUnit(w, all.map((u) => `${u._id}（${u.name}）`).join('、')));
    if (!out.some((u) => u._id === unit._id)) out.push(unit);
  }
  return out;
}

async function settledNames(ctx: StaffCommandContext, doc: CaseDoc): Promise<string> {
  const units = subjectUnits(doc);
  if (!units.length) return '无';
  return (await Promise.all(units.map((u) => unitName(ctx, u)))).join('、');
}

/** The preview of a slip: exactly what the unit will read, then how to send or change it. */
function previewAnswer(ctx: StaffCommandContext, d: { case: CaseDoc; preview: string; unit: { code: string; name: string }; identityShared: boolean }): Sayable {
  const number = d.case.number;
  // A staff room may hold people from the unit complained about: the preview there names nobody.
  const preview = ctx.where === 'room' ? redactFor(d.case, { kind: 'public' }, d.preview) : d.preview;
  const send = caseCommand(number, 'transfer', d.unit.code);
  const edit = `${caseCommand(number, 'draft', d.unit.code)} 内容：<诉求内容>`;
  return withChoices(
    [draftZh.previewTitle({ unit: d.unit.name, shared: d.identityShared }), '', preview, '', draftZh.previewNext({ send, edit })].join('\n'),
    [choiceOf(send, `发送转办单：${d.unit.name}`)],
  );
}

async function onCase(ctx: StaffCommandContext, cmd: CaseCommand, opts: ExecuteOptions): Promise<Sayable[]> {
  const { cases } = ctx;
  const p = performerOf(ctx);
  const o = opts.idempotencyKey ? { idempotencyKey: opts.idempotencyKey } : undefined;
  const n = cmd.number;
  const done = async (r: { case: CaseDoc; duplicate: boolean }, what: string) => [await confirmation(ctx, r.case, what, r.duplicate)];

  switch (cmd.verb) {
    case 'view':
      return [await showCase(ctx, n, false)];
    case 'reveal':
      return [await showCase(ctx, n, true)];
    case 'classify': {
      const units = cmd.units === undefined || cmd.units === 'none' ? cmd.units : (await unitCodes(ctx, cmd.units)).map((u) => u._id);
      const r = await cases.classify(n, cmd.category, p, o, units);
      let what = doneZh.classified({ number: r.case.number, category: CATEGORY_ZH[cmd.category] });
      if (units) what += doneZh.settled({ number: r.case.number, units: await settledNames(ctx, r.case) });
      return [await confirmation(ctx, r.case, what, r.duplicate)];
    }
    case 'reclassify': {
      const r = await cases.reclassify(n, cmd.category, p, o);
      return done(r, doneZh.reclassified({ number: r.case.number, category: CATEGORY_ZH[cmd.category] }));
    }
    case 'outOfScope': {
      const r = await cases.markOutOfScope(n, cmd.reason, cmd.note, p, o);
      return done(r, doneZh.outOfScope({ number: r.case.number }));
    }
    case 'agitated': {
      const r = await cases.flagAgitated(n, p, o);
      return done(r, doneZh.agitated({ number: r.case.number }));
    }
    case 'calmed': {
      const r = await cases.calmed(n, cmd.note, p, o);
      return done(r, doneZh.calmed({ number: r.case.number }));
    }
    case 'assign': {
      const r = await cases.assign(n, cmd.staffId, p, o);
      const name = await ctx.directory.staff(cmd.staffId).then((s) => s.name, () => cmd.staffId);
      return done(r, doneZh.assigned({ number: r.case.number, name }));
    }
    case 'record': {
      const r = await cases.record(n, cmd.record, p, o);
      const items = cmd.record.missingMaterials?.length ? doneZh.items(cmd.record.missingMaterials.length) : '';
      return done(r, doneZh.recorded({ number: r.case.number, what: (doneZh.recordKinds[cmd.record.kind] ?? cmd.record.kind) + items }));
    }
    case 'askWindow': {
      const units = (await ctx.directory.units(ctx.staff.site)).filter((u) => u.kind === 'stationed_window');
      const code = units.find((u) => u._id === wordKey(cmd.target))?._id ?? matchUnit(cmd.target, units);
      if (!code) throw new InvalidInputError('unit', errorZh.unknownAnyUnit(cmd.target, units.map((u) => `${u._id}（${u.name}）`).join('、')));
      const r = await cases.askWindow(n, { unit: code, question: cmd.question }, p, o);
      return done(r, doneZh.windowAsked({ number: r.case.number, unit: await unitName(ctx, code) }));
    }
    case 'windowAnswer': {
      const r = await cases.answerWindow(n, cmd.text, p);
      return done(r, doneZh.windowAnswered({ number: r.case.number }));
    }
    case 'involve': {
      const units = await unitCodes(ctx, cmd.units);
      const r = await cases.addInvolvedUnits(n, units.map((u) => u._id), p, o);
      return done(r, doneZh.involved({ number: r.case.number, unit: units.map((u) => u.name).join('、') }));
    }
    case 'uninvolve': {
      const [unit] = await unitCodes(ctx, [cmd.unit]);
      const r = await cases.removeInvolvedUnit(n, unit._id, cmd.reason ?? '', p, o);
      return done(r, doneZh.uninvolved({ number: r.case.number, unit: unit.name }));
    }
    case 'settle': {
      const units = cmd.units === 'none' ? 'none' : (await unitCodes(ctx, cmd.units)).map((u) => u._id);
      const r = await cases.settleUnits(n, units, p, o);
      return done(r, doneZh.settled({ number: r.case.number, units: await settledNames(ctx, r.case) }));
    }
    case 'draft': {
      const target = await transferTarget(ctx, cmd.target, cmd.content);
      const r = await cases.draftTransfer(n, { unit: target.unit?._id, content: target.content }, p, o);
      return [previewAnswer(ctx, r)];
    }
    case 'preview': {
      const target = await transferTarget(ctx, cmd.target, undefined);
      return [previewAnswer(ctx, await cases.previewTransfer(n, { unit: target.unit?._id }, p))];
    }
    case 'transfer': {
      const target = await transferTarget(ctx, cmd.target, cmd.content);
      // Written content is a new draft: checked, stored and shown; it is sent by the next 转办.
      if (target.content !== undefined) {
        const d = await cases.draftTransfer(n, { unit: target.unit?._id, content: target.content }, p, o);
        return [previewAnswer(ctx, d)];
      }
      let r: Awaited<ReturnType<typeof cases.transfer>>;
      try {
        r = await cases.transfer(n, { unit: target.unit?._id, remarks: cmd.remarks, requirePreview: true }, p, o);
      } catch (e) {
        if (!(e instanceof DeskError && e.details.needsPreview)) throw e;
        // Nothing goes to a unit unseen: the first 转办 shows what it will read, the second sends it.
        const d = await cases.draftTransfer(n, { unit: target.unit?._id }, p);
        return [previewAnswer(ctx, d)];
      }
      const slip = r.case.transfers[r.case.transfers.length - 1];
      return done(
        r,
        doneZh.transferred({
          number: r.case.number,
          slip: slip.number,
          // Without a named unit the slip went to 市便民服务中心 (审批主体不明).
          unit: target.unit?._id === slip.unit ? target.unit.name : await unitName(ctx, slip.unit),
          due: dueText(ctx, slip.transferredAt, slip.replyDueAt, slip.replyDueProvisional),
        }),
      );
    }
    case 'ack': {
      const r = await cases.unitAck(n, p, o);
      const slip = [...r.case.transfers].reverse().find((t) => t.state === 'acknowledged') ?? r.case.transfers[r.case.transfers.length - 1];
      return done(r, doneZh.acknowledged({ number: r.case.number, unit: await unitName(ctx, slip.unit), contactCitizen: slip.identityShared && unitMayIdentify(r.case, slip.unit) }));
    }
    case 'answer': {
      const r = await cases.unitReply(n, { text: cmd.text, eligible: cmd.eligible, basis: cmd.basis }, p, o);
      const replied = r.case.transfers.filter((t) => t.reply).sort((a, b) => +b.reply!.at - +a.reply!.at)[0] ?? r.case.transfers[r.case.transfers.length - 1];
      return done(r, doneZh.answered({ number: r.case.number, unit: await unitName(ctx, replied.unit), eligible: cmd.eligible }));
    }
    case 'resolve': {
      const r = await cases.resolve(n, { outcome: cmd.outcome, text: cmd.text, basis: cmd.basis }, p, o);
      return done(r, doneZh.resolved({ number: r.case.number, outcome: `${OUTCOME_ZH[cmd.outcome]}——${cmd.text.trim()}` }));
    }
    case 'feedback': {
      const r = await cases.firstFeedback(n, cmd.text, p, o);
      return done(r, doneZh.feedback({ number: r.case.number }) + (r.case.reporter.identity ? '' : doneZh.byPhone));
    }
    case 'reply': {
      const r = await cases.reply(n, cmd.text, p, o);
      const fu = r.case.deadlines.followUp;
      const what = doneZh.replied({ number: r.case.number, due: fu ? dueText(ctx, r.case.acceptedAt, fu.at, fu.provisional) : '—' });
      return done(r, what + (r.case.reporter.identity ? '' : doneZh.byPhone));
    }
    case 'followUp': {
      const r = await cases.followUp(n, { satisfaction: cmd.satisfaction, comment: cmd.comment }, p, o);
      const re = r.case.deadlines.rehandling;
      const what = doneZh.followedUp({ number: r.case.number, satisfaction: SATISFACTION_ZH[cmd.satisfaction] });
      const more = cmd.satisfaction === 'dissatisfied' && re ? doneZh.rehandling({ due: dueText(ctx, r.case.acceptedAt, re.at, re.provisional) }) : '';
      return done(r, what + more);
    }
    case 'archive': {
      const r = await cases.archive(n, p, o);
      return done(r, doneZh.archived({ number: r.case.number }));
    }
    case 'withdraw': {
      const r = await cases.withdraw(n, cmd.reason, p, o);
      return done(r, doneZh.withdrawn({ number: r.case.number }));
    }
    case 'registrationForm':
      return reportsOf(ctx).registration(ctx.staff, n, { where: ctx.where, reveal: cmd.reveal });
    case 'slipForm':
      return cmd.resend ? reportsOf(ctx).resendSlip(ctx.staff, n) : reportsOf(ctx).slips(ctx.staff, n, { where: ctx.where });
  }
}

async function allRows(ctx: StaffCommandContext): Promise<{ rows: CaseRow[]; truncated: boolean }> {
  const rows: CaseRow[] = [];
  const pageSize = 100;
  for (let page = 1; rows.length < STATS_MAX_CASES; page++) {
    const got = await ctx.cases.list(ctx.staff, { scope: 'all', page, pageSize, inRoom: ctx.where === 'room' });
    rows.push(...got.items);
    if (page * pageSize >= got.total || got.items.length === 0) return { rows, truncated: false };
  }
  return { rows, truncated: true };
}

async function onDesk(ctx: StaffCommandContext, cmd: DeskCommand, opts: ExecuteOptions): Promise<Sayable[]> {
  const { staff, directory } = ctx;
  switch (cmd.verb) {
    case 'help':
      return [text(staffHelp(staff))];
    case 'list': {
      const unit = cmd.unit ? (await transferTarget(ctx, cmd.unit, undefined)).unit : undefined;
      if (cmd.unit && !unit) throw new InvalidInputError('unit', errorZh.unknownAnyUnit(cmd.unit, (await directory.units()).map((u) => `${u._id}（${u.name}）`).join('、')));
      const page = await ctx.cases.list(staff, { scope: cmd.scope, page: cmd.page, pageSize: LIST_PAGE_SIZE, inRoom: ctx.where === 'room', ...(unit ? { unit: unit._id } : {}) });
      return [renderList(cmd.scope, page, unit ? { code: unit._id, name: unit.name } : undefined)];
    }
    case 'stats': {
      const { rows, truncated } = await allRows(ctx);
      const scopeLabel =
        onlyLiaison(staff) && staff.unit ? screenZh.unitScope(await unitName(ctx, staff.unit)) : screenZh.siteScope((await directory.site(staff.site)).name);
      return [renderStats({ scopeLabel, at: ctx.clock.now(), rows, truncated })];
    }
    case 'duty': {
      const now = ctx.clock.now();
      const [duty, supervision, coordination] = await Promise.all([
        directory.dutyOfficer(staff.site, now),
        directory.staffWithRole(staff.site, 'supervision'),
        directory.staffWithRole(staff.site, 'coordination'),
      ]);
      return [
        renderDuty({
          day: formatZhDate(now),
          duty,
          sections: [
            { role: 'supervision', staff: supervision },
            { role: 'coordination', staff: coordination },
          ],
        }),
      ];
    }
    case 'units': {
      const [site, units] = await Promise.all([directory.site(staff.site), directory.units(staff.site)]);
      return [renderUnits({ siteName: site.name, units })];
    }
    case 'register': {
      const r = await ctx.cases.register(
        {
          site: staff.site,
          channel: cmd.channel,
          reporter: { name: cmd.name, phone: cmd.phone },
          matter: cmd.matter,
          account: cmd.account,
          ...(opts.idempotencyKey ? { idempotencyKey: opts.idempotencyKey } : {}),
        },
        performerOf(ctx),
      );
      if (!r.registered) return [text(errorZh.prefix + r.guidance)];
      let what = doneZh.registered({ number: r.number, accepted: formatZhDateTime(r.acceptedAt), feedbackBy: formatZhDateTime(r.firstFeedbackBy) });
      if (r.deferred) what += doneZh.registeredDeferred(formatZhDateTime(r.acceptedAt));
      if (r.scopeWarning) what += doneZh.scopeWarning;
      return [await confirmation(ctx, r.case, what, r.duplicate)];
    }
    case 'ledger': {
      const reports = reportsOf(ctx);
      return reports.ledger(staff, cmd.period ?? reports.defaultLedgerPeriod, { where: ctx.where });
    }
    case 'performance':
      return reportsOf(ctx).performance(staff, cmd.period ?? { kind: 'relative', unit: 'month', offset: 0 }, { where: ctx.where });
  }
}
