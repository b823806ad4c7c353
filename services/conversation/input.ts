// What a channel hands the engine is checked whole before anything happens: a malformed update
// (an attachment kind the desk does not know, a text that is not a string, a reference too long
// to be a platform's file id) is refused with an answer and never reaches an effect, so a
// redelivery cannot repeat half of it.
import type { AttachmentKind, CommandName, UnsupportedKind } from '../../machines/intake/index.js';
import { LOCALES } from '../../models/vocabulary.js';
import { CITIZEN_EVENT_TYPES, type ConversationInput } from './types.js';

const ATTACHMENT_KINDS: readonly AttachmentKind[] = ['photo', 'file'];
const UNSUPPORTED_KINDS: readonly UnsupportedKind[] = ['sticker', 'voice', 'location', 'video', 'other'];
const COMMANDS: readonly CommandName[] = ['start', 'help', 'cancel', 'restart', 'progress', 'withdraw'];

/** Bounds generous for any platform (Telegram file ids are under 100 characters, texts under 4,096) and small enough to store. */
export const INPUT_LIMITS = { text: 20_000, choiceId: 128, ref: 512, name: 255, mime: 127, updateId: 128 } as const;

const str = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;
const optStr = (v: unknown, max: number) => v === undefined || str(v, max);
const oneOf = <T extends string>(v: unknown, list: readonly T[]): v is T => typeof v === 'string' && (list as readonly string[]).includes(v);

/** Why `input` cannot be handled, or null when it is a well-formed citizen update. */
export function malformedInput(input: unknown): string | null {
  if (typeof input !== 'object' || input === null) return 'not an object';
  const i = input as Record<string, unknown>;
  if (!oneOf(i.type, CITIZEN_EVENT_TYPES)) return `unknown type ${JSON.stringify(i.type)?.slice(0, 40)}`;
  if (!optStr(i.updateId, INPUT_LIMITS.updateId) || i.updateId === '') return 'updateId is not a short string';
  if (i.locale !== undefined && !oneOf(i.locale, LOCALES)) return 'unknown locale';
  switch (i.type) {
    case 'text':
      return str(i.text, INPUT_LIMITS.text) ? null : 'text is not a string of at most 20,000 characters';
    case 'choice':
      return str(i.id, INPUT_LIMITS.choiceId) ? null : 'choice id is not a short string';
    case 'attachment':
      if (!oneOf(i.kind, ATTACHMENT_KINDS)) return `unknown attachment kind ${JSON.stringify(i.kind)?.slice(0, 40)}`;
      if (!str(i.ref, INPUT_LIMITS.ref) || i.ref === '') return 'attachment ref is missing or too long';
      if (!optStr(i.name, INPUT_LIMITS.name) || !optStr(i.mime, INPUT_LIMITS.mime)) return 'attachment name or mime too long';
      if (i.size !== undefined && !(typeof i.size === 'number' && Number.isFinite(i.size) && i.size >= 0)) return 'attachment size is not a size';
      return null;
    case 'unsupported':
      return oneOf(i.kind, UNSUPPORTED_KINDS) ? null : 'unknown unsupported kind';
    case 'command':
      return oneOf(i.name, COMMANDS) ? null : 'unknown command';
  }
  return 'unknown type';
}

export const isWellFormed = (input: unknown): input is ConversationInput => malformedInput(input) === null;
