// The named guards of the intake machine: how a message is read. Pure predicates.

import { LIMITS, meaningfulCount, normalizeName, normalizePhone } from '../../models/validation.js';
import { matchChoice, parseCaseNumber, textCommand } from './answers.js';
import { type ChoiceId, type MenuId, menuOptions } from './menus.js';
import { detectOutOfScope } from './screening.js';
import type { CommandName, DraftInProgress, IntakeContext, IntakeEvent } from './types.js';

type Args = { context: IntakeContext; event: IntakeEvent };

const textOf = (event: IntakeEvent): string => (event.type === 'text' ? event.text.normalize('NFKC').trim() : '');

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
      const name = textCommand(event.text);
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
    if (event.type === 'text') return matchChoice(event.text, options, params.wordsOnly) === params.id;
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
};
