// Pure checks on what people type. Shared by the intake dialogue (to re-ask with a hint) and
// the services (which refuse bad input with a typed error) so both accept exactly the same.

/** Mainland mobile (1[3-9]xxxxxxxxx, optional +86/86 prefix) or landline with area code (0xx-xxxxxxx[x]). */
export function normalizePhone(raw: string): string | null {
  const s = raw
    .normalize('NFKC')
    .replace(/[\s\u00a0()（）]/g, '')
    .replace(/^(\+?86)(?=1\d{10}$)/, '');
  if (/^1[3-9]\d{9}$/.test(s)) return s;
  const land = s.match(/^(0\d{2,3})-?(\d{7,8})(?:-(\d{1,6}))?$/);
  if (land) return `${land[1]}-${land[2]}${land[3] ? `-${land[3]}` : ''}`;
  return null;
}

/** 138****5678 for mobiles, 0512-****678 for landlines: enough to recognise, not to dial. */
export function maskPhone(phone: string): string {
  if (/^1\d{10}$/.test(phone)) return `${phone.slice(0, 3)}****${phone.slice(7)}`;
  const m = phone.match(/^(0\d{2,3})-(\d+)(.*)$/);
  if (m) return `${m[1]}-****${m[2].slice(-3)}`;
  return phone.length <= 4 ? '****' : `${phone.slice(0, 2)}****${phone.slice(-2)}`;
}

/** 张* / 欧阳** : the family name stays so staff can address the person. */
export function maskName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length === 0) return '';
  if (chars.length === 1) return '*';
  const keep = chars.length >= 4 && /^[\u4e00-\u9fff]+$/.test(name) ? 2 : 1;
  return chars.slice(0, keep).join('') + '*'.repeat(chars.length - keep);
}

export const LIMITS = {
  nameMax: 40,
  matterMax: 200,
  accountMin: 5,
  /** An account of the problem; long enough for a page of text, short enough for a chat bubble set. */
  accountMax: 5000,
  noteMax: 5000,
  attachmentsMax: 20,
} as const;

const graphemes = new Intl.Segmenter('zh', { granularity: 'grapheme' });

/**
 * Texts in which every UTF-16 unit is a character of its own: printable ASCII, CJK punctuation
 * (without its combining tone marks U+302A–302F), CJK ideographs and full-width forms. Nearly
 * every report is one, and counting them needs no segmentation (a segment object per character,
 * and the intake machine counts the account on several guards of a step).
 */
const ONE_UNIT_EACH = /^[\x20-\x7e\u3000-\u3029\u3030-\u303f\u4e00-\u9fff\uff01-\uff5e]*$/;
const NOT_WORDS = /[^\p{L}\p{N}]+/gu;

/** Characters as people count them: 👨‍👩‍👧 and 🇨🇳 are one each, not five or two. */
export function characterCount(s: string): number {
  if (ONE_UNIT_EACH.test(s)) return s.length;
  let n = 0;
  for (const _ of graphemes.segment(s)) n++;
  return n;
}

/** Characters that carry words (letters of any script, CJK, digits): emoji and punctuation do not count. */
export function meaningfulCount(s: string): number {
  if (ONE_UNIT_EACH.test(s)) return s.replace(NOT_WORDS, '').length;
  let n = 0;
  for (const { segment } of graphemes.segment(s)) if (/[\p{L}\p{N}]/u.test(segment)) n++;
  return n;
}

/** Trims and checks a person's name: 1–40 characters with at least one letter or CJK character, no control characters. */
export function normalizeName(raw: string): string | null {
  const s = raw.normalize('NFKC').replace(/\s+/g, ' ').trim();
  // The store keeps at most twice the limit in UTF-16 units: a name of long emoji sequences that
  // people count as few characters still has to fit.
  if (!s || characterCount(s) > LIMITS.nameMax || s.length > 2 * LIMITS.nameMax) return null;
  // "🙂🙂" or "..." is nobody's name; a name has a letter (Latin, CJK, any script).
  if (!/\p{L}/u.test(s)) return null;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(s)) return null;
  if (/^[\d\s+\-()]+$/.test(s)) return null; // a phone number typed into the name field
  return s;
}
