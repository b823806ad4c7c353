// A follow-up question reaches the citizen from the case's outbox, with buttons
// `fu:<case>:<satisfaction>`. Pressing one records the rating at once, through the case service
// with the citizen as performer (only the case's reporter may), so the answer counts even if
// the citizen never says more; the dialogue then asks for a comment, which is added to the case.
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
  try {
    await cases.followUp(pick.number, { satisfaction: pick.satisfaction }, { kind: 'citizen', identity: who });
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
