// Delivery to Telegram for the dispatcher. Addresses a feature claims (the staff side's rooms and
// topics) go to that feature; everything else is a private chat or a room rendered plainly.
// Telegram's answers become SendResults and nothing here retries or waits: 429 and 5xx go back
// to the dispatcher, which spaces and retries every channel alike; a citizen who blocked the bot
// (403) is a permanent failure, which the dispatcher's dead-letter path reports to staff.
import { GrammyError, HttpError, type Api } from 'grammy';
import type { Address } from '../../models/message.js';
import type { Sayable } from '../../models/sayable.js';
import type { Coordination } from '../../services/coordination/index.js';
import { isGroupChat, type SendMeta, type SendResult, type Sender } from '../../services/delivery/index.js';
import { telegramZh } from '../../services/locales/zh/telegram.js';
import type { TelegramFeature } from './feature.js';
import { type CallbackCodec, renderCalls } from './render.js';

/** How long the parts of a split message already sent are remembered, so a retry sends only the rest. */
const PROGRESS_TTL_MS = 24 * 3600 * 1000;

/** What a Bot API failure means for delivery. */
export function sendFailure(e: unknown, to: Address): SendResult & { ok: false } {
  if (e instanceof GrammyError) {
    if (e.error_code === 429) {
      const seconds = Number(e.parameters.retry_after ?? 1);
      // In a group the limit is the group's (20 a minute); elsewhere it is the bot's own.
      return { ok: false, kind: 'retry_after', retryAfterMs: seconds * 1000, scope: isGroupChat(to) ? 'chat' : 'global', reason: `Telegram 429 retry after ${seconds}s` };
    }
    if (e.error_code >= 500) return { ok: false, kind: 'retryable', reason: `Telegram ${e.error_code}` };
    if (e.error_code === 403) return { ok: false, kind: 'permanent', reason: /blocked/.test(e.description) ? telegramZh.blocked : telegramZh.refused(e.description) };
    if (/chat not found/.test(e.description)) return { ok: false, kind: 'permanent', reason: telegramZh.chatGone };
    // Any other 400 is this message's fault (it will not get better by waiting).
    return { ok: false, kind: 'permanent', reason: telegramZh.refused(e.description) };
  }
  if (e instanceof HttpError) return { ok: false, kind: 'retryable', reason: `network: ${e.message.slice(0, 200)}` };
  return { ok: false, kind: 'retryable', reason: e instanceof Error ? `${e.name}: ${e.message.slice(0, 200)}` : String(e) };
}

export interface TelegramSenderDeps {
  api: Api;
  codec: CallbackCodec;
  coordination: Coordination;
  /** Features in order; the first that claims an address delivers to it. */
  features(): readonly TelegramFeature[];
  /** A menu was delivered (a follow-up question, or a dialogue reply that had to wait for a retry). */
  onPushedMenu?(to: Address, messageId: number, reason: string | undefined): Promise<void>;
}

export function createTelegramSender(d: TelegramSenderDeps): Sender {
  /** Sends `s` plainly; after a partial failure a retry of the same message skips the parts already sent. */
  async function plain(to: Address, s: Sayable, meta: SendMeta): Promise<SendResult> {
    const progressKey = `telegram:sent-parts:${meta.messageId}`;
    const done = Number((await d.coordination.get(progressKey)) ?? 0);
    const calls = await renderCalls(d.api, to.id, s, d.codec, to.thread ? { thread: Number(to.thread) } : {});
    let last: number | undefined;
    for (let i = done; i < calls.length; i++) {
      try {
        last = (await calls[i]()).message_id;
      } catch (e) {
        if (i > 0) await d.coordination.set(progressKey, String(i), { ttlMs: PROGRESS_TTL_MS });
        return sendFailure(e, to);
      }
    }
    if (calls.length > 1) await d.coordination.del(progressKey);
    if (s.kind === 'choices' && last !== undefined) await d.onPushedMenu?.(to, last, meta.reason);
    return { ok: true, ...(last !== undefined ? { channelMessageId: String(last) } : {}) };
  }

  return {
    channel: 'telegram',
    async send(to, message, meta) {
      const owner = d.features().find((f) => f.delivers?.(to));
      if (owner?.send) {
        try {
          return await owner.send(to, message, meta);
        } catch (e) {
          return sendFailure(e, to);
        }
      }
      return plain(to, message, meta);
    },
  };
}
