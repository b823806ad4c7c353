// People hide a number or a name from a naive search without meaning to: full-width digits from a
// Chinese keyboard, 一三九 or 壹叁玖 for 139, a traditional 張 for 张, a zero-width space pasted in
// from another app. The detector searches one normalised form of the text and maps every hit back
// to the characters the person wrote, so redaction removes exactly what was there.
import { Converter } from 'opencc-js/t2cn';

const toSimplified = Converter({ from: 't', to: 'cn' });

/** Characters that render as nothing and can split a name or number invisibly (code point ranges). */
const INVISIBLE: [number, number][] = [
  [0xad, 0xad],
  [0x34f, 0x34f],
  [0x61c, 0x61c],
  [0x115f, 0x1160],
  [0x17b4, 0x17b5],
  [0x180b, 0x180f],
  [0x200b, 0x200f],
  [0x202a, 0x202e],
  [0x2060, 0x206f],
  [0x3164, 0x3164],
  [0xfe00, 0xfe0f],
  [0xfeff, 0xfeff],
  [0xffa0, 0xffa0],
];
const invisible = (ch: string) => {
  const c = ch.codePointAt(0) ?? 0;
  return INVISIBLE.some(([a, b]) => c >= a && c <= b);
};

/** Chinese numerals as digits are read aloud or written on cheques (financial forms), simplified and traditional. */
const NUMERALS: Record<string, string> = {
  〇: '0',
  零: '0',
  '○': '0',
  洞: '0',
  一: '1',
  壹: '1',
  幺: '1',
  二: '2',
  贰: '2',
  貳: '2',
  两: '2',
  兩: '2',
  三: '3',
  叁: '3',
  參: '3',
  四: '4',
  肆: '4',
  五: '5',
  伍: '5',
  六: '6',
  陆: '6',
  陸: '6',
  七: '7',
  柒: '7',
  八: '8',
  捌: '8',
  九: '9',
  玖: '9',
};

const cache = new Map<string, string>();

/** One character's normal form: NFKC (width), invisible dropped, numerals as digits, simplified, lower case. */
export function normaliseChar(ch: string): string {
  const hit = cache.get(ch);
  if (hit !== undefined) return hit;
  let out: string;
  if (invisible(ch)) out = '';
  else if (NUMERALS[ch]) out = NUMERALS[ch];
  else {
    const w = ch.normalize('NFKC');
    out = (NUMERALS[w] ?? (/[\u3400-\u9fff\uf900-\ufaff]/u.test(w) ? toSimplified(w) : w)).toLowerCase();
  }
  if (cache.size < 50_000) cache.set(ch, out);
  return out;
}

export interface Normalised {
  text: string;
  /** For each UTF-16 index of `text`: where its source character starts in the original. */
  from: number[];
  /** For each UTF-16 index of `text`: where its source character ends in the original. */
  to: number[];
}

export function normalise(original: string): Normalised {
  let text = '';
  const from: number[] = [];
  const to: number[] = [];
  let i = 0;
  for (const ch of original) {
    const n = normaliseChar(ch);
    for (let k = 0; k < n.length; k++) {
      from.push(i);
      to.push(i + ch.length);
    }
    text += n;
    i += ch.length;
  }
  return { text, from, to };
}

/** The normal form alone, for comparing a known identifier (the reporter's name) with text. */
export function normaliseText(s: string): string {
  return normalise(s).text;
}
