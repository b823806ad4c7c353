// Delivers the desk's messages over a Wechaty puppet: staff rooms (by room id, or `topic:<topic>`),
// staff and liaisons in private, citizens who wrote to the account. Numbered menus become text;
// forms (transfer slips, exports) go as files.
import { FileBox } from 'file-box';
import type { WechatyInterface } from 'wechaty/impls';
import type { Address } from '../../../models/message.js';
import type { Sayable } from '../../../models/sayable.js';
import type { SendResult, Sender } from '../../../services/delivery/index.js';
import type { PushedMenus } from '../../text-menus.js';
import { renderWechatText } from '../render.js';

const TOPIC = 'topic:';
/** How often messages for a logged-out account are tried again. */
export const NOT_LOGGED_IN_WAIT_MS = 5_000;

export function createWechatySender(bot: WechatyInterface, menus: PushedMenus): Sender {
  const target = async (id: string) => {
    if (id.startsWith(TOPIC)) return bot.Room.find({ topic: id.slice(TOPIC.length) });
    if (id.endsWith('@chatroom')) return bot.Room.find({ id });
    return bot.Contact.find({ id });
  };
  return {
    channel: 'wechat',
    async send(to: Address, message: Sayable): Promise<SendResult> {
      // Not the message's fault: it waits (without spending attempts) until the account is back.
      if (!bot.isLoggedIn) return { ok: false, kind: 'retry_after', retryAfterMs: NOT_LOGGED_IN_WAIT_MS, scope: 'global', reason: 'WeChat account not logged in' };
      const t = await target(to.id);
      if (!t) return { ok: false, kind: 'permanent', reason: `WeChat ${to.id.endsWith('@chatroom') || to.id.startsWith(TOPIC) ? 'room' : 'contact'} not found` };
      const sent =
        message.kind === 'file'
          ? await t.say(FileBox.fromBase64(message.base64, message.name))
          : await t.say(renderWechatText(message));
      if (message.kind === 'file' && message.caption) await t.say(message.caption);
      if (message.kind === 'choices' && !to.id.endsWith('@chatroom')) await menus.remember({ channel: 'wechat', id: to.id }, message.choices);
      return { ok: true, ...(sent && typeof sent === 'object' && 'id' in sent ? { channelMessageId: String(sent.id) } : {}) };
    },
  };
}
