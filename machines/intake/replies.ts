// What the dialogue says at each step, as reply descriptors (copy keys + values). Pure functions
// of the context, so a question can be asked again after help, a sticker or a detour.

import { LIMITS } from '../../models/validation.js';
import type { Category } from '../../models/vocabulary.js';
import type { IntakeCopyKey } from './copy-keys.js';
import { choiceKey, menuChoices } from './menus.js';
import { UNIT_PICK_PREFIX } from './actions.js';
import { type IntakeContext, type IntakeReply, type Step, SUGGESTED_CATEGORY, type SubmissionTimeline } from './types.js';

/** How much of the account the summary repeats; the whole text is still submitted. */
export const SUMMARY_ACCOUNT_PREVIEW = 300;

export function promptFor(step: Step, ctx: IntakeContext): IntakeReply[] {
  const draft = ctx.draft;
  switch (step) {
    case 'welcome':
    case 'menu':
      return [{ key: 'menu.prompt', choices: menuChoices('start', ctx) }];
    case 'privacy':
      return [{ key: 'privacy.notice', choices: menuChoices('privacy', ctx) }];
    case 'scope':
      return [{ key: 'scope.ask', choices: menuChoices('scope', ctx) }];
    case 'matter':
      return [{ key: 'matter.ask', params: { max: LIMITS.matterMax } }];
    case 'matterScope':
    case 'accountScope':
      return [
        {
          key: `scopeCheck.${ctx.pendingScope ?? 'litigation'}` as IntakeCopyKey,
          choices: menuChoices('scopeCheck', ctx),
        },
      ];
    case 'problem':
      return [{ key: 'problem.ask', choices: menuChoices('problem', ctx) }];
    case 'account': {
      if (draft && draft.account.length > 0) {
        return [
          {
            key: 'account.more',
            params: { length: draft.account.length, attachments: draft.attachments.length },
            choices: menuChoices('account', ctx),
          },
        ];
      }
      const hint = `account.hint.${draft?.problem ?? 'other'}` as IntakeCopyKey;
      return [{ key: ctx.editing ? 'account.askAgain' : 'account.ask', refs: { hint } }];
    }
    case 'unit':
      return [{ key: 'unit.ask', choices: menuChoices('unit', ctx) }];
    case 'unitPick':
      return [
        {
          key: 'unitPick.ask',
          params: { words: draft?.involvedUnit ?? '' },
          choices: [
            ...(draft?.unitOptions ?? []).map((o) => ({ id: `${UNIT_PICK_PREFIX}${o.code}`, key: 'unitPick.option' as const, params: { name: o.name } })),
            ...menuChoices('unitPick', ctx),
          ],
        },
      ];
    case 'name':
      return [{ key: 'name.ask' }];
    case 'phone':
      return [{ key: 'phone.ask' }];
    case 'summary':
      return [summary(ctx)];
    case 'editPick':
      return [{ key: 'edit.ask', choices: menuChoices('edit', ctx) }];
    case 'submitting':
      return [{ key: 'submitting.wait' }];
    case 'submitFailed':
      return [{ key: 'submitFailed.ask', choices: menuChoices('submitFailed', ctx) }];
    case 'filed':
      return [{ key: 'filed.prompt', params: { caseNumber: ctx.caseNumber ?? '' } }];
    case 'progressAsk':
      return [{ key: 'progress.ask', choices: menuChoices('progress', ctx) }];
    case 'progressWait':
      return [{ key: 'progress.wait' }];
    case 'followUpRate':
      return [
        {
          key: 'followUp.ask',
          params: { caseNumber: ctx.followUp?.caseNumber ?? '' },
          choices: menuChoices('rate', ctx),
        },
      ];
    case 'withdrawLookup':
    case 'withdrawing':
      return [{ key: 'withdraw.wait' }];
    case 'withdrawConfirm':
      return [
        { key: 'withdraw.confirm', params: { caseNumber: ctx.withdrawable ?? '' }, choices: menuChoices('withdraw', ctx) },
      ];
    case 'followUpComment':
      return [
        {
          key: ctx.followUp?.satisfaction === 'dissatisfied' ? 'followUp.commentDissatisfied' : 'followUp.commentAsk',
          choices: menuChoices('comment', ctx),
        },
      ];
  }
}

function summary(ctx: IntakeContext): IntakeReply {
  const d = ctx.draft;
  const account = d?.account ?? '';
  const preview =
    Array.from(account).length > SUMMARY_ACCOUNT_PREVIEW
      ? `${Array.from(account).slice(0, SUMMARY_ACCOUNT_PREVIEW).join('')}…`
      : account;
  const problem = d?.problem ?? 'other';
  const category = SUGGESTED_CATEGORY[problem];
  const refs: Record<string, IntakeCopyKey> = {
    problem: choiceKey(`problem:${problem}`),
    category: category ? categoryKey(category) : 'summary.categoryOpen',
  };
  const params: Record<string, string | number> = {
    matter: d?.matter ?? '',
    account: preview,
    attachments: d?.attachments.length ?? 0,
    name: d?.reporterName ?? '',
    phone: d?.reporterPhone ?? '',
  };
  if (d?.involvedUnit) params.unit = d.involvedUnit;
  else refs.unit = 'summary.unitUnknown';
  return { key: 'summary.show', params, refs, choices: menuChoices('summary', ctx) };
}

export function categoryKey(category: Category): IntakeCopyKey {
  return `category.${category}`;
}

/** The answer to a successful submission: number, what happens next and by when, how to follow it. */
export function submittedReplies(
  caseNumber: string,
  category: Category | null,
  timeline: SubmissionTimeline,
): IntakeReply[] {
  const dates: Record<string, string> = { caseNumber, firstFeedbackBy: timeline.firstFeedbackBy };
  if (timeline.transferReplyBy) dates.transferReplyBy = timeline.transferReplyBy;
  const replies: IntakeReply[] = [{ key: 'submitted.number', params: { caseNumber } }];
  if (timeline.deferredAcceptance) {
    replies.push({ key: 'submitted.deferred', params: { deferredAcceptance: timeline.deferredAcceptance } });
  }
  const next: IntakeCopyKey =
    category === 'NOT_STATIONED' && !timeline.transferReplyBy ? 'next.NOT_STATIONED_noDate' : `next.${category ?? 'OPEN'}`;
  replies.push({ key: next, params: dates });
  replies.push({ key: 'submitted.howToFollow', params: { caseNumber } });
  return replies;
}
