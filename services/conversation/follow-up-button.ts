// A follow-up question reaches the citizen from the case's outbox, with buttons
// `fu:<case>:<satisfaction>`. Pressing one records the rating at once, through the case service
// with the citizen as performer (only the case's reporter may), so the answer counts even if
// the citizen never says more; the dialogue then asks for a comment, which is added to the case.
import { createHash } from 'node:crypto';
import type { ChannelIdentity } from '../../models/vocabulary.js';
import type { Satisfaction } from '../../models/vocabulary.js';
import { DeskError } from '../errors.js';
import type { Logger } from '../logger.js';
import { engineText } from './copy.js';
import type { TurnContext } from './effects.js';
import type { ConversationCases } from './types.js';

export type ButtonRating = { recorded: true } | { recorded: false; notices: string[] };

export async function rateFromButton(
  cases: Pick<ConversationCases, 'followUp'>,
  ctx: TurnContext,
  pick: { number: string; satisfaction: Satisfaction; comment?: string },
  logger: Logger,
): Promise<ButtonRating> {
  const who: ChannelIdentity = ctx.who;
  // Keyed on the press: a redelivery after a crash (rating recorded, turn not saved) finds it
  // recorded instead of being refused as a second rating.
  const key = ctx.updateId ? `fu:${createHash('sha256').update(`${who.channel}\u0000${who.id}\u0000${ctx.updateId}`).digest('hex').slice(0, 32)}` : undefined;
  try {
    await cases.followUp(
      pick.number,
      { satisfaction: pick.satisfaction, ...(pick.comment ? { comment: pick.comment } : {}) },
      { kind: 'citizen', identity: who },
      key ? { idempotencyKey: key } : undefined,
    );
    return { recorded: true };
  } catch (e) {
    if (e instanceof DeskError && (e.code === 'forbidden' || e.code === 'not_found')) {
      // Whether the case exists is not this chat's business: one answer for both.
      logger.warn({ chat: `${who.channel}:${who.id}`, caseNumber: pick.number }, 'follow-up button pressed by someone who is not the reporter');
      return { recorded: false, notices: [engineText('followUpNotYours', ctx.locale)] };
    }
    if (e instanceof DeskError && e.code !== 'unavailable') {
      return { recorded: false, notices: [engineText('followUpNotNow', ctx.locale, { caseNumber: pick.number, reason: e.message })] };
    }
    logger.error({ err: e, caseNumber: pick.number }, 'recording a follow-up from its button failed');
    return { recorded: false, notices: [engineText('followUpFailed', ctx.locale)] };
  }
}

// Typed answers to the follow-up question, longest first so "不满意" is not read as "满意".
// Words that also mean other things in a chat (一般, 还行, 不行, ok) are left to the buttons.
const RATING_WORDS: readonly [string, Satisfaction][] = (
  [
    ['非常不满意', 'dissatisfied'],
    ['很不满意', 'dissatisfied'],
    ['不太满意', 'dissatisfied'],
    ['不满意', 'dissatisfied'],
    ['没解决', 'dissatisfied'],
    ['not satisfied', 'dissatisfied'],
    ['dissatisfied', 'dissatisfied'],
    ['unsatisfied', 'dissatisfied'],
    ['基本满意', 'basically_satisfied'],
    ['basically satisfied', 'basically_satisfied'],
    ['mostly satisfied', 'basically_satisfied'],
    ['非常满意', 'satisfied'],
    ['很满意', 'satisfied'],
    ['满意', 'satisfied'],
    ['very satisfied', 'satisfied'],
    ['satisfied', 'satisfied'],
  ] as [string, Satisfaction][]
).sort((a, b) => b[0].length - a[0].length);
const NUMBERED: readonly Satisfaction[] = ['satisfied', 'basically_satisfied', 'dissatisfied'];
const SEPARATOR = /^[\s，,。.！!、：:；;～~]+/u;

/**
 * A satisfaction typed instead of pressed: "满意", "不满意，还是没办" (the rest is the comment),
 * and, where `numbers` allows, the follow-up question's own numbers 1–3. Null for anything else
 * ("满意度怎么查" is a question, not a rating).
 */
export function typedRating(text: string, numbers: boolean): { satisfaction: Satisfaction; comment?: string } | null {
  const t = text.normalize('NFKC').trim().toLowerCase();
  if (numbers && /^[123]$/.test(t)) return { satisfaction: NUMBERED[Number(t) - 1] };
  for (const [word, satisfaction] of RATING_WORDS) {
    if (!t.startsWith(word)) continue;
    const rest = t.slice(word.length);
    if (rest && !SEPARATOR.test(rest)) return null;
    const comment = text.normalize('NFKC').trim().slice(word.length).replace(SEPARATOR, '').trim();
    return comment ? { satisfaction, comment } : { satisfaction };
  }
  return null;
}
