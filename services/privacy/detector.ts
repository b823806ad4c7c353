// One detector for every way a reporter can be identified in free text: phone numbers however
// they are written (separators, digit by digit, Chinese or financial numerals, split into
// "前七位…后四位…"), landlines, ID numbers, e-mail addresses, WeChat and QQ ids, home addresses,
// and the reporter's own name (spaced, traditional, with invisible characters, or in pinyin).
// Everything the unit complained about, a staff room or a log receives passes through it.
import { pinyin, polyphonic } from 'pinyin-pro';
import { normalise, normaliseText } from './normalise.js';

export type IdentifierKind = 'phone' | 'number' | 'id_card' | 'email' | 'wechat' | 'qq' | 'address' | 'name' | 'chat_id';

export interface Hit {
  kind: IdentifierKind;
  /** UTF-16 offsets into the original text. */
  start: number;
  end: number;
}

/** What the desk knows about the person it must not give away. */
export interface KnownPerson {
  name?: string;
  phone?: string;
  /** Channel ids (a WeChat wxid, a Telegram user id): a way to reach the person too. */
  ids?: string[];
}

/** What the detector looks for besides the shapes that identify anyone: this reporter's own name, phone and chat id. */
export function knownReporter(reporter: { name: string; phone: string; identity?: { channel: string; id: string | number } }): KnownPerson {
  const id = reporter.identity;
  // A WeChat or Telegram id reaches the person; a console login is a desk name, not theirs.
  const ids = id && (id.channel === 'wechat' || id.channel === 'telegram') ? [String(id.id)] : [];
  return { name: reporter.name, phone: reporter.phone, ids };
}

export interface DetectOptions {
  /**
   * 'text' (the default) is for anything a person wrote: every long digit run counts.
   * 'log' is for machine lines, where timestamps and counters are long numbers: only numbers
   * shaped like a phone, landline or ID count there.
   */
  mode?: 'text' | 'log';
}

const SEP = '[\\s._\\-/\\\\·•*()\\[\\]【】「」<>《》+~—–=|]';
const DIGIT_RUN = new RegExp(`\\d(?:${SEP}{0,3}\\d)*(?:${SEP}{0,3}x)?`, 'gu');
// Dates, times and case numbers are not identifiers and must survive (a reminder says when a
// case is due). Case numbers and protected dates start with 20: no mobile or ID number does.
const PROTECTED = [
  /20\d{2}[-/.年]\d{1,2}[-/.月]\d{1,2}[日号]?/gu,
  /(?<!\d)\d{1,2}[:：]\d{2}(?:[:：]\d{2})?(?!\d)/gu,
  /(?<![\d])[a-z]{0,4}20\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?:\d{3,4})?(?:-\d{1,2})?(?!\d)/gu,
];
/** A count of money or things right after a number: an amount, not a phone. */
const MEASURE = /^\s*(?:元|块|万|亿|角|分钱|米|平|克|斤|公斤|件|页|字|次|人|户|%|‰|rmb|kg|km|m²)/u;
const QQ_CONTEXT = /(?:qq|扣扣|企鹅)(?:号码?|号|账号)?\s*[:：是为]?\s*$/u;
const EMAIL = /[a-z0-9][a-z0-9._%+\-]*\s?@\s?[a-z0-9\-]+(?:\s?\.\s?[a-z0-9\-]+)*\s?\.\s?[a-z]{2,}/gu;
const WXID = /wxid_[a-z0-9_\-]+/gu;
const WECHAT = /(?:微信|威信|薇信|v信|weixin|wechat|wx|vx)(?:号|账号|id)?\s*[:：是为]?\s*([a-z][a-z0-9_\-]{5,19})(?![a-z0-9_\-])/gu;
const CHAT_ID = /\b(?:wechat|telegram|tg)[:：]\s*[a-z0-9_\-@.]{3,}/gu;
// A home address: a place with a house-level part (5组, 3号, 2幢301室), or any place after 住/地址.
const ADDR_UNIT = '(?:[\\d十百]+(?:-\\d+)*\\s?(?:号楼|单元|组|号|幢|栋|楼|室|层|户))';
const HAN = '\\p{Script=Han}';
const ADDRESS = [
  new RegExp(`(?<![居暂常入记留])(?:家住|住在|现住|住址|地址|住)(?![房建院宿户所证持了的])[:：]?\\s*[${HAN}\\d\\-]{2,24}?(?:村|社区|小区|花园|新村|苑|公寓|大厦|路|街|巷|弄|${ADDR_UNIT})${ADDR_UNIT}*`, 'gu'),
  new RegExp(`${HAN}{1,10}(?:村|社区|小区|花园|新村|苑|公寓|大厦|路|街|巷|弄)${HAN}{0,6}?${ADDR_UNIT}+`, 'gu'),
];

function isPhoneShaped(digits: string): boolean {
  return /^(?:00)?(?:86)?1[3-9]\d{9}$/.test(digits) || /^(?:00)?(?:86)?0?\d{2,3}[2-9]\d{6,7}$/.test(digits) && /^(?:0|86|0086)/.test(digits);
}

function isIdNumber(digits: string): boolean {
  return /^[1-8]\d{16}[\dx]$/.test(digits) || /^[1-8]\d{14}$/.test(digits);
}

function classifyRun(digits: string, opts: { mode: 'text' | 'log'; before: string; after: string; known: string[] }): IdentifierKind | null {
  if (isIdNumber(digits)) return 'id_card';
  if (isPhoneShaped(digits)) return 'phone';
  if (opts.mode === 'log') return null;
  if (QQ_CONTEXT.test(opts.before) && /^\d{5,11}$/.test(digits)) return 'qq';
  if (digits.length >= 4 && opts.known.some((k) => k.includes(digits))) return 'phone';
  if (MEASURE.test(opts.after)) return null;
  const n = digits.length;
  if (n >= 9) return 'number';
  // A local landline (5273 1000) or the head of a mobile (1390012) written on its own.
  if (n >= 7 && (/^[2-9]/.test(digits) || /^1[3-9]/.test(digits))) return 'phone';
  return null;
}

function knownDigits(person?: KnownPerson): string[] {
  const out: string[] = [];
  const digits = person?.phone ? normaliseText(person.phone).replace(/\D/g, '') : '';
  if (digits.length >= 4) {
    out.push(digits);
    const local = digits.replace(/^0\d{2,3}(?=\d{7,8}$)/, '');
    if (local !== digits) out.push(local);
  }
  for (const id of person?.ids ?? []) {
    const d = normaliseText(id).replace(/\D/g, '');
    if (d.length >= 5 && d.length === normaliseText(id).length) out.push(d);
  }
  return out;
}

const NAME_SEP = '[\\s·.\\-_*•,，、\'"“”‘’]{0,2}';
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Pinyin spellings of one character, with ü also as v, u and yu, as people type it. */
function syllables(ch: string, surname: boolean): string[] {
  const readings = new Set<string>();
  // A surname has its own reading (单 is shan); the other readings stay, people misspell.
  const all = [...(surname ? [pinyin(ch, { toneType: 'none', surname: 'head' })] : []), ...(polyphonic(ch, { toneType: 'none', type: 'array' })[0] ?? [])];
  for (const r of all) {
    if (!/^[a-zü]+$/.test(r)) continue;
    readings.add(r);
    if (r.includes('ü')) for (const v of ['v', 'u', 'yu']) readings.add(r.replaceAll('ü', v));
  }
  return [...readings];
}

const nameCache = new Map<string, RegExp[]>();

function namePatterns(rawName: string): RegExp[] {
  const cached = nameCache.get(rawName);
  if (cached) return cached;
  const name = normaliseText(rawName).replace(/[\s·.]/g, '');
  const chars = Array.from(name);
  const out: RegExp[] = [];
  if (chars.length >= 2) {
    out.push(new RegExp(chars.map(escapeRe).join(NAME_SEP), 'gu'));
    const han = chars.every((c) => /\p{Script=Han}/u.test(c));
    if (han) {
      const per = chars.map((c, i) => syllables(c, i === 0));
      if (per.every((p) => p.length > 0)) {
        const alt = (p: string[]) => `(?:${p.join('|')})`;
        const sep = "[\\s.\\-_']{0,2}";
        const given = per.slice(1).map(alt).join(sep);
        const spelled = `(?<![a-z])(?:${alt(per[0])}${sep}${given}|${given}${sep}${alt(per[0])})(?![a-z])`;
        out.push(new RegExp(spelled, 'gu'));
      }
    }
  }
  if (nameCache.size > 1000) nameCache.clear();
  nameCache.set(rawName, out);
  return out;
}

/** Every identifier in `text`, as spans of the original; overlapping hits are merged. */
export function findIdentifiers(text: string, person?: KnownPerson, options: DetectOptions = {}): Hit[] {
  const mode = options.mode ?? 'text';
  const n = normalise(text);
  const s = n.text;
  const raw: { kind: IdentifierKind; a: number; b: number }[] = [];
  const add = (kind: IdentifierKind, a: number, b: number) => {
    if (b > a) raw.push({ kind, a, b });
  };

  for (const m of s.matchAll(EMAIL)) add('email', m.index, m.index + m[0].length);
  for (const m of s.matchAll(WXID)) add('wechat', m.index, m.index + m[0].length);
  for (const m of s.matchAll(CHAT_ID)) add('chat_id', m.index, m.index + m[0].length);
  if (mode === 'text') {
    for (const m of s.matchAll(WECHAT)) {
      const id = m[1];
      const at = m.index + m[0].length - id.length;
      add('wechat', at, at + id.length);
    }
    for (const re of ADDRESS) for (const m of s.matchAll(re)) add('address', m.index, m.index + m[0].length);
    if (person?.name) for (const re of namePatterns(person.name)) for (const m of s.matchAll(re)) add('name', m.index, m.index + m[0].length);
    for (const id of person?.ids ?? []) {
      const w = normaliseText(id);
      if (w.length >= 3) for (let i = s.indexOf(w); i >= 0; i = s.indexOf(w, i + 1)) add('wechat', i, i + w.length);
    }
  }

  // An ID number holds a birth date (20040110), a phone may hold 2058-04-09: spaced out, such a part
  // looks like a protected date or case number. Whole ID and phone runs are found before protection.
  for (const m of s.matchAll(DIGIT_RUN)) {
    const digits = m[0].replace(/[^\dx]/g, '');
    if (isIdNumber(digits)) add('id_card', m.index, m.index + m[0].length);
    // A whole run shaped like a phone is one, even where a part of it reads as a date (+86(195)20580409).
    else if (isPhoneShaped(digits)) add('phone', m.index - (/[+(]$/.test(s.slice(0, m.index)) ? 1 : 0), m.index + m[0].length);
  }
  // Dates, times and case numbers break digit runs: they are what a reminder must keep.
  let digitsView = s;
  for (const re of PROTECTED)
    digitsView = digitsView.replace(re, (m) => '#'.repeat(m.length));
  const known = knownDigits(person);
  for (const m of digitsView.matchAll(DIGIT_RUN)) {
    let run = m[0];
    if (run.endsWith('x') && run.replace(/\D/g, '').length !== 17) run = run.replace(/[^\d]+$/, '');
    const digits = run.replace(/[^\dx]/g, '');
    const a = m.index;
    const kind = classifyRun(digits, { mode, before: s.slice(Math.max(0, a - 12), a), after: s.slice(a + run.length, a + run.length + 4), known });
    if (!kind) continue;
    // A leading + or ( belongs to the number: +86…, (0512)…
    const lead = /[+(]$/.test(s.slice(0, a)) ? 1 : 0;
    add(kind, a - lead, a + run.length);
  }

  raw.sort((x, y) => x.a - y.a || y.b - x.b);
  const merged: Hit[] = [];
  for (const r of raw) {
    const start = n.from[r.a];
    const end = n.to[r.b - 1];
    const last = merged[merged.length - 1];
    if (last && start < last.end) {
      if (end > last.end) last.end = end;
      continue;
    }
    merged.push({ kind: r.kind, start, end });
  }
  return merged;
}

/** `text` with every identifier replaced by what `by` says for its kind. */
export function replaceIdentifiers(text: string, by: (hit: Hit, written: string) => string, person?: KnownPerson, options?: DetectOptions): string {
  const hits = findIdentifiers(text, person, options);
  if (!hits.length) return text;
  let out = '';
  let at = 0;
  for (const h of hits) {
    out += text.slice(at, h.start) + by(h, text.slice(h.start, h.end));
    at = h.end;
  }
  return out + text.slice(at);
}

/** Whether anything in `text` identifies the person (or anyone, for the kinds that need no name). */
export function hasIdentifier(text: string, person?: KnownPerson, options?: DetectOptions): boolean {
  return findIdentifiers(text, person, options).length > 0;
}
