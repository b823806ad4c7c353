// Showing one dialogue turn in a private chat. The dialogue's latest menu is the only keyboard
// that works: when the conversation moves on, the previous one loses its buttons (a press on it
// shows what was chosen, edited in place), so a chat never offers two live menus. The replies
// are sent at once; if Telegram refuses partway (429, 5xx, a timeout), the rest is handed to the
// delivery layer as ordinary messages, which retries them within the limits like any push.
import type { Api } from 'grammy';
import type { Models } from '../../../models/index.js';
import type { Sayable } from '../../../models/sayable.js';
import type { Clock } from '../../../services/clock.js';
import type { Coordination } from '../../../services/coordination/index.js';
import { chatBucket, globalBucket, onlyDuplicates, toMessage } from '../../../services/delivery/index.js';
import type { Logger } from '../../../services/logger.js';
import { telegramZh } from '../../../services/locales/zh/telegram.js';
import { type CallbackCodec, editToSayable, isNotModified, renderCalls } from '../render.js';
import { sendFailure } from '../sender.js';

/** Why a queued dialogue reply was written; the sender recognises it to keep the menu pointer right. */
export const DIALOGUE_REPLY = 'telegram.dialogue_reply';
const MENU_TTL_MS = 30 * 24 * 3600 * 1000;

export const menuKey = (chatId: number | string) => `telegram:menu:${chatId}`;

export interface TurnDeps {
  api: Api;
  codec: CallbackCodec;
  coordination: Coordination;
  models: Models;
  clock: Clock;
  logger: Logger;
  /** Wakes the dispatcher for replies handed to it. */
  kick(): void;
}

export interface Pressed {
  messageId: number;
  /** The menu's text as shown, and the label of the button taken. */
  text: string;
  label: string;
}

export async function showTurn(d: TurnDeps, o: { chatId: number; site: string; updateId: number; replies: Sayable[]; pressed?: Pressed; chosen?: (label: string) => string }): Promise<void> {
  const { api, coordination, codec } = d;
  const { chatId, replies } = o;
  const previous = await coordination.get(menuKey(chatId));
  let queue = [...replies];
  let menu: number | undefined;
  if (o.pressed) {
    const first = queue[0];
    if (first?.kind === 'choices' && first.replaceable && (await editToSayable(api, chatId, o.pressed.messageId, first, codec).catch(() => false))) {
      menu = o.pressed.messageId;
      queue = queue.slice(1);
    } else {
      // The answered menu keeps its question and shows the answer, without buttons.
      const chosen = (o.chosen ?? telegramZh.chosen)(o.pressed.label);
      await safely(() => editToSayable(api, chatId, o.pressed!.messageId, { kind: 'text', text: `${o.pressed!.text}${chosen}` }, codec));
    }
  } else if (previous && replies.length) {
    await safely(() => api.editMessageReplyMarkup(chatId, Number(previous), { reply_markup: { inline_keyboard: [] } }));
  }
  for (let i = 0; i < queue.length; i++) {
    const s = queue[i];
    const calls = await renderCalls(api, chatId, s, codec);
    for (let k = 0; k < calls.length; k++) {
      try {
        const sent = await calls[k]();
        if (s.kind === 'choices' && k === calls.length - 1) menu = sent.message_id;
      } catch (err) {
        d.logger.warn({ err, chat: 'telegram:…', left: queue.length - i }, 'reply not sent at once; handed to delivery');
        // Telegram's retry_after binds the dispatcher too, in every process.
        const failure = sendFailure(err, { channel: 'telegram', id: String(chatId) });
        if (failure.kind === 'retry_after' && failure.retryAfterMs)
          await coordination.block(failure.scope === 'global' ? globalBucket('telegram') : chatBucket({ channel: 'telegram', id: String(chatId) }), failure.retryAfterMs);
        await handOver(d, o, queue.slice(i), k);
        // The menu pointer follows once delivery sends the queued menu (see the sender).
        if (queue.slice(i).some((x) => x.kind === 'choices')) await coordination.del(menuKey(chatId));
        return;
      }
    }
  }
  if (menu !== undefined) await coordination.set(menuKey(chatId), String(menu), { ttlMs: MENU_TTL_MS });
  else if (replies.length) await coordination.del(menuKey(chatId));
}

/** Queues what could not be sent, under ids of this update (a redelivered update queues nothing twice). */
async function handOver(d: TurnDeps, o: { chatId: number; site: string; updateId: number }, rest: Sayable[], partsSent: number): Promise<void> {
  const now = d.clock.now();
  const entries = rest.map((sayable, n) => ({
    _id: `telegram:${o.chatId}:${o.updateId}:${n + 1}`,
    audience: 'citizen' as const,
    to: { channel: 'telegram' as const, id: String(o.chatId) },
    site: o.site,
    sayable,
    reply: true,
    // Spaced by a millisecond so the dispatcher, oldest first, keeps their order.
    createdAt: new Date(now.getTime() + n),
    reason: DIALOGUE_REPLY,
  }));
  // The first one was partly sent (a long text): the sender resumes after the parts already out.
  if (partsSent > 0) await d.coordination.set(`telegram:sent-parts:${entries[0]._id}`, String(partsSent), { ttlMs: 24 * 3600 * 1000 });
  try {
    await d.models.Message.insertMany(entries.map(toMessage), { ordered: false });
  } catch (err) {
    if (!onlyDuplicates(err)) throw err;
  }
  d.kick();
}

/** An edit that fails changes nothing the citizen needs (the menu is only tidied); never fail the turn for it. */
async function safely(edit: () => Promise<unknown>): Promise<boolean> {
  try {
    await edit();
    return true;
  } catch (e) {
    return isNotModified(e);
  }
}
