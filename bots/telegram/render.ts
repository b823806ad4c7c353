// One renderer from Sayable to Bot API calls. Every text goes out in HTML parse mode with the
// desk's words escaped (a citizen's "<3" or "A&B" echoed back must not break the message, nor
// format it), split below Telegram's 4,096 characters at line breaks where possible (a long
// progress history is sent whole, in parts, never cut), choices as an inline keyboard under the
// last part. Callback data is the choice id itself when it fits Telegram's 64 bytes; a longer id
// travels as a short hash the coordination layer maps back.
import { createHash } from 'node:crypto';
import { type Api, InputFile } from 'grammy';
import type { InlineKeyboardMarkup, Message } from 'grammy/types';
import type { Choice, Sayable } from '../../models/sayable.js';
import type { Coordination } from '../../services/coordination/index.js';

export const TEXT_LIMIT = 4096;
export const CAPTION_LIMIT = 1024;
const CALLBACK_DATA_BYTES = 64;
const HASHED = 'h:';
const HASH_TTL_MS = 90 * 24 * 3600 * 1000;

export const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Splits plain text into parts of at most `limit` UTF-16 units (what Telegram counts), at the
 * last line break, else the last space or Chinese full stop, else anywhere but inside a
 * surrogate pair. Joined again the parts are the text, less the breaks they were split at.
 */
export function splitText(text: string, limit = TEXT_LIMIT): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    const window = rest.slice(0, limit);
    const newline = window.lastIndexOf('\n');
    const space = window.lastIndexOf(' ');
    const stop = window.lastIndexOf('。') + 1;
    let cut: number;
    let skip = 1;
    if (newline >= limit / 2) cut = newline;
    else if (stop >= limit / 2 && stop > space) [cut, skip] = [stop, 0];
    else if (space >= limit / 2) cut = space;
    else {
      [cut, skip] = [limit, 0];
      // Never split a surrogate pair (an emoji, a rare character).
      const code = rest.charCodeAt(cut - 1);
      if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
    }
    parts.push(rest.slice(0, cut));
    rest = rest.slice(cut + skip);
  }
  if (rest.length || !parts.length) parts.push(rest);
  return parts;
}

export interface CallbackCodec {
  encode(id: string): Promise<string>;
  decode(data: string): Promise<string | null>;
}

/** Choice ids as callback data; ids over 64 bytes are hashed and the hash remembered. */
export function callbackCodec(coordination: Coordination): CallbackCodec {
  const key = (h: string) => `telegram:callback:${h}`;
  return {
    async encode(id) {
      if (Buffer.byteLength(id, 'utf8') <= CALLBACK_DATA_BYTES && !id.startsWith(HASHED)) return id;
      const h = createHash('sha256').update(id).digest('base64url').slice(0, 32);
      await coordination.set(key(h), id, { ttlMs: HASH_TTL_MS });
      return `${HASHED}${h}`;
    },
    async decode(data) {
      if (!data.startsWith(HASHED)) return data;
      return coordination.get(key(data.slice(HASHED.length)));
    },
  };
}

/** Short labels two to a row, longer ones alone, so nothing is truncated on a phone. */
export async function keyboard(choices: Choice[], codec: CallbackCodec): Promise<InlineKeyboardMarkup> {
  const buttons = await Promise.all(choices.map(async (c) => ({ text: c.label, callback_data: await codec.encode(c.id) })));
  const narrow = buttons.every((b) => [...b.text].length <= 8);
  const rows: (typeof buttons)[] = [];
  for (let i = 0; i < buttons.length; i += narrow ? 2 : 1) rows.push(buttons.slice(i, i + (narrow ? 2 : 1)));
  return { inline_keyboard: rows };
}

export interface Placement {
  /** Forum topic. */
  thread?: number;
  /** Plain groups without topics: the message answers this one (a case card). */
  replyTo?: number;
}

const placement = (p: Placement) => ({
  ...(p.thread !== undefined ? { message_thread_id: p.thread } : {}),
  ...(p.replyTo !== undefined ? { reply_parameters: { message_id: p.replyTo, allow_sending_without_reply: true } } : {}),
});

/** The Bot API calls one Sayable becomes, each a thunk so a caller can skip the ones already made (a retry). */
export async function renderCalls(api: Api, chatId: number | string, s: Sayable, codec: CallbackCodec, at: Placement = {}): Promise<(() => Promise<Message>)[]> {
  const where = placement(at);
  if (s.kind === 'file') {
    const bytes = Buffer.from(s.base64, 'base64');
    const caption = s.caption ?? '';
    const fits = caption.length <= CAPTION_LIMIT;
    const calls: (() => Promise<Message>)[] = [
      () =>
        api.sendDocument(chatId, new InputFile(bytes, s.name), {
          ...where,
          ...(caption && fits ? { caption: escapeHtml(caption), parse_mode: 'HTML' as const } : {}),
        }),
    ];
    // A caption too long for Telegram goes after the file as text, whole.
    if (caption && !fits) for (const part of splitText(caption)) calls.push(() => api.sendMessage(chatId, escapeHtml(part), { ...where, parse_mode: 'HTML' }));
    return calls;
  }
  const parts = splitText(s.text.trim() === '' ? '…' : s.text);
  const markup = s.kind === 'choices' && s.choices.length ? await keyboard(s.choices, codec) : undefined;
  return parts.map(
    (part, i) => () =>
      api.sendMessage(chatId, escapeHtml(part), {
        ...where,
        parse_mode: 'HTML',
        ...(markup && i === parts.length - 1 ? { reply_markup: markup } : {}),
      }),
  );
}

/** Sends a Sayable; returns the messages it became (the last one carries the keyboard). */
export async function sendSayable(api: Api, chatId: number | string, s: Sayable, codec: CallbackCodec, at: Placement = {}): Promise<Message[]> {
  const out: Message[] = [];
  for (const call of await renderCalls(api, chatId, s, codec, at)) out.push(await call());
  return out;
}

/**
 * Turns an existing message into `s` (a menu moving on, a card changing), when it fits in one
 * message; false when it does not (a file, a text over the limit) and must be sent anew.
 */
export async function editToSayable(api: Api, chatId: number | string, messageId: number, s: Sayable, codec: CallbackCodec): Promise<boolean> {
  if (s.kind === 'file' || s.text.length > TEXT_LIMIT || s.text.trim() === '') return false;
  const markup = s.kind === 'choices' && s.choices.length ? await keyboard(s.choices, codec) : { inline_keyboard: [] };
  try {
    await api.editMessageText(chatId, messageId, escapeHtml(s.text), { parse_mode: 'HTML', reply_markup: markup });
  } catch (e) {
    // Already showing exactly this: the edit is done.
    if (!isNotModified(e)) throw e;
  }
  return true;
}

export const isNotModified = (e: unknown) => e instanceof Error && /message is not modified/.test(e.message);
