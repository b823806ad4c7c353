// Every sentence the intake dialogue can say, by key. The locale files must define exactly these
// (`satisfies Record<IntakeCopyKey, string>`), so a missing or stray translation fails to compile.

import { CATEGORIES, OUT_OF_SCOPE_REASONS } from '../../models/vocabulary.js';
import { ALL_CHOICE_IDS } from './menus.js';
import { PROBLEMS } from './types.js';

const FIXED_KEYS = [
  'greet',
  'menu.prompt',
  'help',
  'cancelled',
  'cancel.nothing',
  'restarted',
  'expired',
  'agitation.calm',
  'answer.notUnderstood',
  'answer.staleChoice',
  'text.tooLong',
  'privacy.notice',
  'privacy.declined',
  'scope.ask',
  'scope.unsure',
  'scopeCheck.cleared',
  'matter.ask',
  'matter.tooLong',
  'problem.ask',
  'account.ask',
  'account.askAgain',
  'account.more',
  'account.needMore',
  'account.full',
  'account.attachmentNext',
  'attachment.kept',
  'attachment.full',
  'attachment.needsReport',
  'attachment.chooseSupplement',
  'attachment.kind.photo',
  'attachment.kind.file',
  'unit.ask',
  'unit.tooLong',
  'unitPick.ask',
  'unitPick.option',
  'name.ask',
  'name.invalid',
  'phone.ask',
  'phone.invalid',
  'summary.show',
  'summary.unitUnknown',
  'summary.categoryOpen',
  'edit.ask',
  'submitting.wait',
  'submitFailed.ask',
  'submitted.number',
  'submitted.deferred',
  'submitted.howToFollow',
  'next.OPEN',
  'next.NOT_STATIONED_noDate',
  'supplement.ask',
  'supplement.added',
  'supplement.attachmentAdded',
  'filed.prompt',
  'progress.ask',
  'progress.wait',
  'progress.badNumber',
  'progress.result',
  'progress.notFound',
  'followUp.ask',
  'followUp.commentAsk',
  'followUp.commentDissatisfied',
  'followUp.thanks',
  'followUp.thanksDissatisfied',
  'withdraw.confirm',
  'withdraw.wait',
  'withdraw.kept',
  'withdraw.done',
  'case.closed',
  'withdraw.failed',
  'withdraw.none',
  'withdraw.several',
  'unsupported.sticker',
  'unsupported.voice',
  'unsupported.location',
  'unsupported.video',
  'unsupported.other',
] as const;

type DotKey<Id> = Id extends `${infer M}:${infer O}` ? `choice.${M}.${O}` : never;
type ChoiceCopyKey = DotKey<(typeof ALL_CHOICE_IDS)[number]>;

export type IntakeCopyKey =
  | (typeof FIXED_KEYS)[number]
  | `outOfScope.${(typeof OUT_OF_SCOPE_REASONS)[number]}`
  | `scopeCheck.${(typeof OUT_OF_SCOPE_REASONS)[number]}`
  | `account.hint.${(typeof PROBLEMS)[number]}`
  | `category.${(typeof CATEGORIES)[number]}`
  | `next.${(typeof CATEGORIES)[number]}`
  | ChoiceCopyKey;

/** The same set at run time, for tests that check every key renders in every locale. */
export const INTAKE_COPY_KEYS: readonly IntakeCopyKey[] = [
  ...FIXED_KEYS,
  ...OUT_OF_SCOPE_REASONS.map((r) => `outOfScope.${r}` as const),
  ...OUT_OF_SCOPE_REASONS.map((r) => `scopeCheck.${r}` as const),
  ...PROBLEMS.map((p) => `account.hint.${p}` as const),
  ...CATEGORIES.map((c) => `category.${c}` as const),
  ...CATEGORIES.map((c) => `next.${c}` as const),
  ...ALL_CHOICE_IDS.map((id) => `choice.${id.replace(':', '.')}` as ChoiceCopyKey),
];
