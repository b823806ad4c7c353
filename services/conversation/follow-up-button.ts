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
  pick: { number: string; satisfaction: Satisfaction },
  logger: Logger,
): Promise<ButtonRating> {
  const who: ChannelIdentity = ctx.who;
  // Keyed on the press: a redelivery after a crash (rating recorded, turn not saved) finds it
  // recorded instead of being refused as a second rating.
  const key = ctx.updateId ? `fu:${createHash('sha256').update(`${who.channel}\u0000${who.id}\u0000${ctx.updateId}`).digest('hex').slice(0, 32)}` : undefined;
  try {
    await cases.followUp(pick.number, { satisfaction: pick.satisfaction }, { kind: 'citizen', identity: who }, key ? { idempotencyKey: key } : undefined);
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
