// The unit liaisons' side of the Telegram channel (and any staff member's private chat with the
// bot): transfer slips with their buttons, typed answers, the console's commands.
import type { TelegramFeatureFactory } from '../feature.js';
import { onlyLiaison, slipIsFor } from '../../../services/cases/index.js';
import { renderCalls } from '../render.js';
import { createCallbackSigner } from '../staff/callback-data.js';
import { callbackSecret } from '../staff/index.js';
import { createStaffPrivate } from './private.js';

export const liaisonFeature: TelegramFeatureFactory = async (fc) => {
  const { deps, api } = fc;
  // Who is staff on Telegram, read once: delivery has to decide synchronously whose chat a private address is.
  const staffIds = new Set<string>();
  for (const s of await deps.models.Staff.find({ active: true, 'identities.channel': 'telegram' }).lean().exec())
    for (const i of s.identities) if (i.channel === 'telegram') staffIds.add(String(i.id));
  const side = createStaffPrivate({
    api,
    coordination: deps.coordination,
    logger: deps.logger,
    signer: createCallbackSigner(callbackSecret(deps.config)),
    staffByTelegramId: (id) => deps.directory.staffByIdentity({ channel: 'telegram', id }),
    staffCommand: deps.staffCommand,
    async awaitsAnswer(number, staff) {
      const doc = await deps.models.Case.findOne({ number }, { transfers: 1 }).lean().exec();
      return Boolean(doc?.transfers.some((t) => t.state !== 'replied' && (!onlyLiaison(staff) || slipIsFor(t, staff))));
    },
    async asCitizen(chatId, message) {
      let last = 0;
      for (const call of await renderCalls(api, chatId, message, fc.codec)) last = (await call()).message_id;
      return last;
    },
  });
  return {
    name: 'liaison',
    composer: side.composer,
    delivers: (to) => to.channel === 'telegram' && !to.id.startsWith('-') && staffIds.has(to.id),
    send: side.send,
  };
};
