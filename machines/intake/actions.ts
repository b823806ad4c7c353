// The named actions of the intake machine. Every one is an `assign`: the machine's only output
// is the outbox of replies and the effects list in its context, which the engine reads after
// each transition. Nothing here performs I/O.

import { type ParameterizedObject, assign } from 'xstate';
import { LIMITS, meaningfulCount, normalizeName, normalizePhone } from '../../models/validation.js';
import type { OutOfScopeReason, Satisfaction } from '../../models/vocabulary.js';
import { matchChoice, normalizeAnswer, parseCaseNumber, parseOptionNumber } from './answers.js';
import type { IntakeCopyKey } from './copy-keys.js';
import { menuChoices, menuOptions } from './menus.js';
import { promptFor, submittedReplies } from './replies.js';
import { detectAgitation, detectOutOfScope } from './screening.js';
import {
  type DraftInProgress,
  type IntakeAttachment,
  type IntakeContext,
  type IntakeDraft,
  type IntakeEffect,
  type IntakeEvent,
  type IntakeReply,
  type Problem,
  type Step,
  SUGGESTED_CATEGORY,
  type UnitOption,
} from './types.js';

/** Choice ids of the offered units: `unitPick:code:<unit code>`. */
export const UNIT_PICK_PREFIX = 'unitPick:code:';

/**
 * Which offered unit the answer picks: a pressed option, its number, or its name typed out.
 * Undefined when it picks none of them (then the guard decides whether it was "none of these").
 */
export function pickedUnit(event: IntakeEvent, options: readonly UnitOption[]): string | undefined {
  if (event.type === 'choice') {
    if (!event.id.startsWith(UNIT_PICK_PREFIX)) return undefined;
    const code = event.id.slice(UNIT_PICK_PREFIX.length);
    return options.some((o) => o.code === code) ? code : undefined;
  }
  if (event.type !== 'text') return undefined;
  const n = parseOptionNumber(event.text);
  if (n !== null) return options[n - 1]?.code;
  const s = normalizeAnswer(event.text);
  if (!s) return undefined;
  const hits = options.filter((o) => normalizeAnswer(o.name) === s || normalizeAnswer(o.code) === s);
  return hits.length === 1 ? hits[0].code : undefined;
}

type Args = { context: IntakeContext; event: IntakeEvent };
type Params = ParameterizedObject['params'] | undefined;

/** An `assign` with the machine's own types pinned, so `setup` accepts it as a named action. */
function act<P extends Params = undefined>(fn: (args: Args, params: P) => Partial<IntakeContext>) {
  return assign<IntakeContext, IntakeEvent, P, IntakeEvent, never>((args, params) => fn(args, params));
}

// The citizen's words are kept as written (full-width punctuation included); only matching normalizes.
const textOf = (event: IntakeEvent): string => (event.type === 'text' ? event.text.trim() : '');
const say = (ctx: IntakeContext, ...replies: IntakeReply[]) => ({ outbox: [...ctx.outbox, ...replies] });
const effect = (ctx: IntakeContext, e: IntakeEffect) => ({ effects: [...ctx.effects, e] });
const withDraft = (ctx: IntakeContext, patch: Partial<DraftInProgress>) => ({
  draft: { ...(ctx.draft ?? { account: '', attachments: [] }), ...patch },
});

function attachmentOf(event: IntakeEvent): IntakeAttachment | null {
  if (event.type !== 'attachment') return null;
  const a: IntakeAttachment = { kind: event.kind, ref: event.ref };
  if (event.name) a.name = event.name;
  if (event.mime) a.mime = event.mime;
  return a;
}

/** A report is finished only when every required field is there; the summary step guarantees it. */
export function completeDraft(ctx: IntakeContext): IntakeDraft | null {
  const d = ctx.draft;
  if (!d?.matter || !d.problem || !d.reporterName || !d.reporterPhone) return null;
  if (meaningfulCount(d.account) < LIMITS.accountMin) return null;
  const draft: IntakeDraft = {
    matter: d.matter,
    problem: d.problem,
    suggestedCategory: SUGGESTED_CATEGORY[d.problem],
    account: d.account,
    attachments: d.attachments,
    reporterName: d.reporterName,
    reporterPhone: d.reporterPhone,
    agitated: ctx.agitated,
    locale: ctx.locale,
  };
  if (d.involvedUnit) draft.involvedUnit = d.involvedUnit;
  if (d.involvedUnit && d.unitMatch) draft.unitMatch = d.unitMatch;
  return draft;
}

/**
 * What the menu offers to withdraw after a progress result: the open case it showed; nothing if
 * it showed the offered case closed; otherwise the offer stands.
 */
function withdrawableAfter(ctx: IntakeContext, event: Extract<IntakeEvent, { type: 'progressResult' }>): string | null {
  if (event.openCase) return event.openCase;
  return event.caseNumber === ctx.withdrawable ? null : ctx.withdrawable;
}

const resetDraft = { draft: null, editing: false, pendingScope: null, scopeCleared: false } as const;

export const intakeActions = {
  /**
   * Every transition starts here: the previous turn's replies and effects are already with the
   * engine. Then notice an agitated tone once per dialogue, and acknowledge it before anything else.
   */
  beginTurn: act(({ context, event }: Args) => {
    const base = { outbox: [] as IntakeReply[], effects: [] as IntakeEffect[] };
    if (context.agitated || event.type !== 'text' || !detectAgitation(event.text)) return base;
    const caseNumber = context.draft === null && context.caseNumber ? context.caseNumber : undefined;
    const flag: IntakeEffect = caseNumber ? { type: 'flagAgitated', caseNumber } : { type: 'flagAgitated' };
    return { agitated: true, outbox: [{ key: 'agitation.calm' as const }], effects: [flag] };
  }),

  /** Entering a question: remember it (to ask again later) and ask it; greet on first contact. */
  ask: act(({ context }: Args, params: { step: Step; quiet?: boolean }) => {
    const greet: IntakeReply[] = context.step === 'welcome' ? [{ key: 'greet' }] : [];
    const prompt = params.quiet ? [] : promptFor(params.step, context);
    return { step: params.step, ...say(context, ...greet, ...prompt) };
  }),

  reprompt: act(({ context }: Args) => say(context, ...promptFor(context.step, context))),

  say: act(({ context }: Args, params: { key: IntakeCopyKey }) => say(context, { key: params.key })),

  sayHelp: act(({ context }: Args) => say(context, { key: 'help' })),

  sayTooLong: act(({ context, event }: Args) =>
    say(context, { key: 'text.tooLong', params: { length: textOf(event).length, max: LIMITS.accountMax } }),
  ),

  sayNotUnderstood: act(({ context }: Args) => say(context, { key: 'answer.notUnderstood' })),

  sayStaleChoice: act(({ context }: Args) => say(context, { key: 'answer.staleChoice' })),

  sayUnsupported: act(({ context, event }: Args) => {
    const kind = event.type === 'unsupported' ? event.kind : 'other';
    return say(context, { key: `unsupported.${kind}` as IntakeCopyKey });
  }),

  sayExpired: act(({ context }: Args) => ({ ...say(context, { key: 'expired' }), ...resetDraft })),

  cancelDraft: act(({ context }: Args) => ({
    ...say(context, { key: context.draft ? 'cancelled' : 'cancel.nothing' }),
    ...resetDraft,
  })),

  restartDraft: act(({ context }: Args) => ({
    ...say(context, ...(context.draft ? [{ key: 'restarted' as const }] : [])),
    ...resetDraft,
  })),

  /** A photo or file while writing a report is kept with it, whatever the question was. */
  keepAttachment: act(({ context, event }: Args) => {
    const a = attachmentOf(event);
    const d = context.draft;
    if (!a || !d) return {};
    if (d.attachments.length >= LIMITS.attachmentsMax) {
      return say(context, { key: 'attachment.full', params: { max: LIMITS.attachmentsMax } });
    }
    const attachments = [...d.attachments, a];
    return {
      ...withDraft(context, { attachments }),
      ...say(context, {
        key: 'attachment.kept',
        params: { count: attachments.length },
        refs: { kind: `attachment.kind.${a.kind}` as IntakeCopyKey },
      }),
    };
  }),

  sayAttachmentNeedsReport: act(({ context }: Args) =>
    say(context, { key: context.caseNumber ? 'attachment.chooseSupplement' : 'attachment.needsReport' }),
  ),

  sayAccountNext: act(({ context }: Args) =>
    say(context, { key: 'account.attachmentNext', choices: menuChoices('account', context) }),
  ),

  openDraft: act(() => ({ draft: { account: '', attachments: [] }, editing: false, pendingScope: null, scopeCleared: false })),

  scopeAnswered: act(({ context }: Args, params: { unsure: boolean }) => ({
    ...withDraft(context, { scopeOk: true }),
    ...(params.unsure ? say(context, { key: 'scope.unsure' }) : {}),
  })),

  /** Out of scope: explain where it goes; nothing is registered or kept. */
  refuseOutOfScope: act(({ context }: Args, params: { reason: OutOfScopeReason | 'pending' }) => {
    const reason = params.reason === 'pending' ? (context.pendingScope ?? 'litigation') : params.reason;
    return { ...say(context, { key: `outOfScope.${reason}` as IntakeCopyKey }), ...resetDraft };
  }),

  /** A keyword suggested the matter may be out of scope; the next step asks the citizen. */
  notePendingScope: act(({ event }: Args) => ({ pendingScope: detectOutOfScope(textOf(event))?.reason ?? null })),

  clearPendingScope: act(({ context }: Args) => ({
    pendingScope: null,
    scopeCleared: true,
    ...say(context, { key: 'scopeCheck.cleared' }),
  })),

  storeMatter: act(({ context, event }: Args) => withDraft(context, { matter: textOf(event).replace(/\s+/g, ' ') })),

  sayMatterTooLong: act(({ context, event }: Args) =>
    say(context, { key: 'matter.tooLong', params: { length: textOf(event).length, max: LIMITS.matterMax } }),
  ),

  storeProblem: act(({ context, event }: Args) => {
    const id = event.type === 'choice' ? event.id : matchChoice(textOf(event), menuOptions('problem', context));
    const problem = (id?.split(':')[1] ?? 'other') as Problem;
    return withDraft(context, { problem });
  }),

  appendAccount: act(({ context, event }: Args) => {
    const prev = context.draft?.account ?? '';
    const text = textOf(event);
    return withDraft(context, { account: prev ? `${prev}\n${text}` : text });
  }),

  sayAccountFull: act(({ context }: Args) =>
    say(context, {
      key: 'account.full',
      params: { max: LIMITS.accountMax, room: LIMITS.accountMax - (context.draft?.account.length ?? 0) },
      choices: menuChoices('account', context),
    }),
  ),

  sayAccountTooShort: act(({ context }: Args) =>
    say(context, { key: 'account.needMore', params: { min: LIMITS.accountMin } }),
  ),

  clearAccount: act(({ context }: Args) => withDraft(context, { account: '' })),

  /** The citizen's words are kept as typed; the engine is asked which directory units they may mean. */
  storeUnit: act(({ context, event }: Args) => {
    const words = textOf(event).replace(/\s+/g, ' ');
    return {
      ...withDraft(context, { involvedUnit: words, unitAnswered: true, unitMatch: undefined, unitOptions: undefined }),
      ...effect(context, { type: 'matchUnit', words }),
    };
  }),

  storeUnitUnknown: act(({ context }: Args) =>
    withDraft(context, { involvedUnit: undefined, unitAnswered: true, unitMatch: undefined, unitOptions: undefined }),
  ),

  /** A certain match (or none at all) is kept without a question. */
  takeUnitMatch: act(({ context, event }: Args) => {
    if (event.type !== 'unitMatched') return {};
    const code = event.certain && event.options.length === 1 ? event.options[0].code : null;
    return withDraft(context, { unitMatch: { code, suggested: event.options.map((o) => o.code), picked: false }, unitOptions: undefined });
  }),

  offerUnits: act(({ context, event }: Args) => (event.type === 'unitMatched' ? withDraft(context, { unitOptions: event.options }) : {})),

  /** The citizen picked one of the likely units, or "none of these" (null). */
  takeUnitPick: act(({ context, event }: Args) => {
    const options = context.draft?.unitOptions ?? [];
    const code = pickedUnit(event, options);
    return withDraft(context, { unitMatch: { code: code ?? null, suggested: options.map((o) => o.code), picked: true }, unitOptions: undefined });
  }),

  sayUnitTooLong: act(({ context }: Args) => say(context, { key: 'unit.tooLong', params: { max: LIMITS.matterMax } })),

  storeName: act(({ context, event }: Args) => withDraft(context, { reporterName: normalizeName(textOf(event)) ?? '' })),

  sayNameInvalid: act(({ context }: Args) => say(context, { key: 'name.invalid', params: { max: LIMITS.nameMax } })),

  storePhone: act(({ context, event }: Args) => withDraft(context, { reporterPhone: normalizePhone(textOf(event)) ?? '' })),

  sayPhoneInvalid: act(({ context }: Args) => say(context, { key: 'phone.invalid' })),

  startEdit: act(() => ({ editing: true })),

  endEdit: act(() => ({ editing: false })),

  requestSubmit: act(({ context }: Args) => {
    const draft = completeDraft(context);
    return draft ? effect(context, { type: 'submitCase', draft }) : {};
  }),

  /** Registered: give the number and what happens next, then treat later messages as supplements. */
  fileCase: act(({ context, event }: Args) => {
    if (event.type !== 'submitted') return {};
    const problem = context.draft?.problem;
    const category = problem ? SUGGESTED_CATEGORY[problem] : null;
    return {
      caseNumber: event.caseNumber,
      withdrawable: event.caseNumber,
      ...say(context, ...submittedReplies(event.caseNumber, category, event.timeline)),
      ...resetDraft,
    };
  }),

  saySupplementAsk: act(({ context }: Args) =>
    say(context, { key: 'supplement.ask', params: { caseNumber: context.caseNumber ?? '' } }),
  ),

  supplementText: act(({ context, event }: Args) => {
    if (!context.caseNumber) return {};
    return {
      ...effect(context, { type: 'addSupplement', caseNumber: context.caseNumber, text: textOf(event) }),
      ...say(context, { key: 'supplement.added', params: { caseNumber: context.caseNumber } }),
    };
  }),

  supplementAttachment: act(({ context, event }: Args) => {
    const a = attachmentOf(event);
    if (!context.caseNumber || !a) return {};
    return {
      ...effect(context, { type: 'addSupplement', caseNumber: context.caseNumber, attachment: a }),
      ...say(context, {
        key: 'supplement.attachmentAdded',
        params: { caseNumber: context.caseNumber },
        refs: { kind: `attachment.kind.${a.kind}` as IntakeCopyKey },
      }),
    };
  }),

  queryProgress: act(({ context, event }: Args, params: { which: 'last' | 'mine' | 'typed' }) => {
    const caseNumber =
      params.which === 'last' ? context.caseNumber : params.which === 'typed' ? parseCaseNumber(textOf(event)) : null;
    return effect(context, caseNumber ? { type: 'queryProgress', caseNumber } : { type: 'queryProgress' });
  }),

  sayBadCaseNumber: act(({ context }: Args) => say(context, { key: 'progress.badNumber' })),

  sayProgress: act(({ context, event }: Args) => {
    if (event.type !== 'progressResult') return {};
    if (!event.found || !event.lines?.length) return say(context, { key: 'progress.notFound' });
    return {
      withdrawable: withdrawableAfter(context, event),
      ...say(context, {
        key: 'progress.result',
        params: { caseNumber: event.caseNumber ?? '', lines: event.lines.join('\n') },
      }),
    };
  }),

  requestOpenCases: act(({ context }: Args) => effect(context, { type: 'listOpenCases' })),

  takeOpenCase: act(({ event }: Args) => (event.type === 'openCases' && event.numbers[0] ? { withdrawable: event.numbers[0] } : {})),

  sayNoOpenCase: act(({ context }: Args) => say(context, { key: 'withdraw.none' })),

  saySeveralOpen: act(({ context, event }: Args) => {
    const numbers = event.type === 'openCases' ? event.numbers : [];
    return say(context, { key: 'withdraw.several', params: { count: numbers.length, numbers: numbers.join('\n') } });
  }),

  requestWithdraw: act(({ context }: Args) =>
    context.withdrawable ? effect(context, { type: 'withdrawCase', caseNumber: context.withdrawable }) : {},
  ),

  sayKept: act(({ context }: Args) => say(context, { key: 'withdraw.kept', params: { caseNumber: context.withdrawable ?? '' } })),

  /** Withdrawn: nothing more can be added to it or withdrawn again, so the menu stops offering both. */
  forgetClosedCase: act(({ context, event }: Args) => {
    if (event.type !== 'caseClosed') return {};
    return {
      withdrawable: context.withdrawable === event.caseNumber ? null : context.withdrawable,
      caseNumber: context.caseNumber === event.caseNumber ? null : context.caseNumber,
    };
  }),

  sayCaseClosed: act(({ context, event }: Args) =>
    event.type === 'caseClosed' ? say(context, { key: 'case.closed', params: { caseNumber: event.caseNumber, status: event.status } }) : {},
  ),

  finishWithdraw: act(({ context, event }: Args) => {
    if (event.type !== 'withdrawn') return {};
    return {
      withdrawable: context.withdrawable === event.caseNumber ? null : context.withdrawable,
      caseNumber: context.caseNumber === event.caseNumber ? null : context.caseNumber,
      ...say(context, { key: 'withdraw.done', params: { caseNumber: event.caseNumber } }),
    };
  }),

  sayWithdrawFailed: act(({ context, event }: Args) =>
    event.type === 'withdrawFailed'
      ? say(context, { key: 'withdraw.failed', params: { caseNumber: context.withdrawable ?? '', reason: event.reason } })
      : {},
  ),

  startFollowUp: act(({ event }: Args) =>
    event.type === 'followUpAsked' ? { followUp: { caseNumber: event.caseNumber } } : {},
  ),

  rate: act(({ context }: Args, params: { satisfaction: Satisfaction }) =>
    context.followUp ? { followUp: { ...context.followUp, satisfaction: params.satisfaction } } : {},
  ),

  recordFollowUp: act(({ context, event }: Args, params: { withComment: boolean }) => {
    const f = context.followUp;
    if (!f?.satisfaction) return {};
    const comment = params.withComment ? textOf(event) : '';
    const e: IntakeEffect = { type: 'recordFollowUp', caseNumber: f.caseNumber, satisfaction: f.satisfaction };
    if (comment) e.comment = comment;
    return {
      followUp: null,
      ...effect(context, e),
      ...say(context, {
        key: f.satisfaction === 'dissatisfied' ? 'followUp.thanksDissatisfied' : 'followUp.thanks',
        params: { caseNumber: f.caseNumber },
      }),
    };
  }),
};
