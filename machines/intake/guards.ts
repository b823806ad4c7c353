// The named guards of the intake machine: how a message is read. Pure predicates.

import { LIMITS, meaningfulCount, normalizeName, normalizePhone } from '../../models/validation.js';
import { commandOf, matchChoice, matchNormalizedChoice, normalizeAnswer, parseCaseNumber, parseOptionNumber } from './answers.js';
import { type ChoiceId, type MenuId, menuOptions } from './menus.js';
import { detectOutOfScope } from './screening.js';
import { pickedUnit } from './actions.js';
import type { CommandName, DraftInProgress, IntakeContext, IntakeEvent } from './types.js';

type Args = { context: IntakeContext; event: IntakeEvent };

/**
 * A text message as the guards read it, worked out once per event: a transition tries up to a
 * dozen guards (five command words, the picks, the checks), and each used to normalise the text
 * again. Keyed on the event object, which xstate hands every guard of one transition.
 */
interface Reading {
  /** NFKC, trimmed: what the length and format checks see. */
  nfkc: string;
  /** normalizeAnswer: what option words and numbers are matched against. */
  answer: string;
  command: CommandName | null;
}
const readings = new WeakMap<IntakeEvent, Reading>();

function read(event: Extract<IntakeEvent, { type: 'text' }>): Reading {
  let r = readings.get(event);
  if (!r) {
    const nfkc = event.text.normalize('NFKC').trim();
    const answer = normalizeAnswer(event.text);
    r = { nfkc, answer, command: commandOf(nfkc.toLowerCase(), answer) };
    readings.set(event, r);
  }
  return r;
}

const textOf = (event: IntakeEvent): string => (event.type === 'text' ? read(event).nfkc : '');

/** The step a half-written report resumes at: the first question not yet answered. */
export type ResumePoint = 'scope' | 'matter' | 'problem' | 'account' | 'unit' | 'name' | 'phone' | 'summary';

export function resumePoint(d: DraftInProgress): ResumePoint {
  if (!d.scopeOk) return 'scope';
  if (!d.matter) return 'matter';
  if (!d.problem) return 'problem';
  if (meaningfulCount(d.account) < LIMITS.accountMin) return 'account';
  if (!d.unitAnswered) return 'unit';
  if (!d.reporterName) return 'name';
  if (!d.reporterPhone) return 'phone';
  return 'summary';
}

/** A further condition on a pick, so one transition reads "picked X while editing". */
export type PickCondition = 'editing' | 'accountTooShort' | `resumesAt:${ResumePoint}`;

export interface PickParams {
  menu: MenuId;
  id: ChoiceId;
  /** Free-text questions: only a bare number or a whole word picks the option. */
  wordsOnly?: boolean;
  when?: PickCondition;
}

function conditionHolds(when: PickCondition, ctx: IntakeContext): boolean {
  if (when === 'editing') return ctx.editing;
  if (when === 'accountTooShort') return meaningfulCount(ctx.draft?.account ?? '') < LIMITS.accountMin;
  return ctx.draft !== null && `resumesAt:${resumePoint(ctx.draft)}` === when;
}

export const intakeGuards = {
  /** A command, whether sent as a command or typed as the whole message ("取消", "菜单"). */
  isCommand: ({ event }: Args, params: { names: readonly CommandName[] }) => {
    if (event.type === 'command') return params.names.includes(event.name);
    if (event.type === 'text') {
      const name = read(event).command;
      return name !== null && params.names.includes(name);
    }
    return false;
  },

  /** The option was pressed, or typed as its number, label or an obvious word. */
  picked: ({ context, event }: Args, params: PickParams) => {
    if (params.when && !conditionHolds(params.when, context)) return false;
    const options = menuOptions(params.menu, context);
    if (!options.includes(params.id)) return false;
    if (event.type === 'choice') return event.id === params.id;
    if (event.type === 'text') return matchNormalizedChoice(read(event).answer, options, params.wordsOnly) === params.id;
    return false;
  },

  textTooLong: ({ event }: Args) => event.type === 'text' && event.text.length > LIMITS.accountMax,
  blankText: ({ event }: Args) => event.type === 'text' && textOf(event) === '',
  longerThanMatter: ({ event }: Args) => textOf(event).length > LIMITS.matterMax,

  /** A keyword hints at a court, enforcement, petition or policy-exception matter, not yet cleared. */
  scopeHint: ({ context, event }: Args) => !context.scopeCleared && detectOutOfScope(textOf(event)) !== null,

  editing: ({ context }: Args) => context.editing,
  validNameWhileEditing: ({ context, event }: Args) => context.editing && normalizeName(textOf(event)) !== null,
  hasDraft: ({ context }: Args) => context.draft !== null,
  hasCase: ({ context }: Args) => context.caseNumber !== null,

  /** Adding this message would take the account past its cap. */
  accountWouldOverflow: ({ context, event }: Args) =>
    (context.draft?.account.length ?? 0) + textOf(event).length + 1 > LIMITS.accountMax,

  validName: ({ event }: Args) => normalizeName(textOf(event)) !== null,
  validPhone: ({ event }: Args) => normalizePhone(textOf(event)) !== null,
  oneOpenCase: ({ event }: Args) => event.type === 'openCases' && event.numbers.length === 1,
  noOpenCase: ({ event }: Args) => event.type === 'openCases' && event.numbers.length === 0,
  caseNumberGiven: ({ event }: Args) => parseCaseNumber(textOf(event)) !== null,

  /** The engine's match is for the words the draft still holds (not an answer since changed). */
  unitMatchCurrent: ({ context, event }: Args) => event.type === 'unitMatched' && context.draft?.involvedUnit === event.words,
  /** Several likely units, or one that the words only partly name: the citizen is asked. */
  unitMatchUncertain: ({ context, event }: Args) =>
    event.type === 'unitMatched' && context.draft?.involvedUnit === event.words && event.options.length > 0 && !(event.certain && event.options.length === 1),
  /**
   * The answer to the unit pick (one of the offered units, or `none`: "none of these", its
   * button, or the number after the last unit), going on to `to`: the first question not yet answered.
   */
  unitPickTo: ({ context, event }: Args, params: { none: boolean; to: 'name' | 'phone' | 'summary' }) => {
    const options = context.draft?.unitOptions ?? [];
    const unit = pickedUnit(event, options);
    const none =
      unit === undefined &&
      ((event.type === 'choice' && event.id === 'unitPick:none') ||
        (event.type === 'text' && (parseOptionNumber(event.text) === options.length + 1 || matchChoice(event.text, ['unitPick:none'], true) === 'unitPick:none')));
    if (params.none ? !none : unit === undefined) return false;
    const d = context.draft;
    if (params.to === 'name') return !d?.reporterName;
    if (params.to === 'phone') return Boolean(d?.reporterName) && !d?.reporterPhone;
    return Boolean(d?.reporterName && d?.reporterPhone);
  },
};
