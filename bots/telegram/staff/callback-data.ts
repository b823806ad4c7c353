// Callback data the bot itself wrote, and nothing else. Anyone can send a callback query with any
// data (a modified client, a replayed button from another chat), so every button carries a short
// HMAC of its payload and the chat it was shown in; a press whose tag does not match is refused
// before anything reads the payload. Stateless, so every bot process checks it the same way.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Telegram's limit on callback_data, in bytes. */
export const CALLBACK_DATA_MAX = 64;
const TAG_LENGTH = 10;

export interface CallbackSigner {
  /** The callback_data for `payload` shown in `chatId`, or null when it would not fit in 64 bytes. */
  sign(chatId: string | number, payload: string): string | null;
  /** The payload when `data` was signed for `chatId`, else null. */
  verify(chatId: string | number, data: string): string | null;
}

export function createCallbackSigner(secret: string): CallbackSigner {
  if (!secret) throw new Error('createCallbackSigner needs a secret (the bot token, or TELEGRAM_CALLBACK_SECRET)');
  const tag = (chatId: string | number, payload: string) =>
    createHmac('sha256', secret).update(`${chatId}\n${payload}`).digest('base64url').slice(0, TAG_LENGTH);
  return {
    sign(chatId, payload) {
      const data = `${tag(chatId, payload)}:${payload}`;
      return Buffer.byteLength(data, 'utf8') <= CALLBACK_DATA_MAX ? data : null;
    },
    verify(chatId, data) {
      const i = data.indexOf(':');
      if (i !== TAG_LENGTH) return null;
      const payload = data.slice(i + 1);
      const given = Buffer.from(data.slice(0, i));
      const expected = Buffer.from(tag(chatId, payload));
      return given.length === expected.length && timingSafeEqual(given, expected) ? payload : null;
    },
  };
}
