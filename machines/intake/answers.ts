// Understanding short typed answers. On WeChat a citizen cannot press buttons, so "2", "２",
// "二", "选2", "基本满意吧" and the full label must all pick the same option as the button would.

import type { CommandName } from './types.js';
import { CHOICE_WORDS, type ChoiceId } from './menus.js';

/** NFKC, lower-case, no surrounding spaces or punctuation: "  好的！" → "好的". */
export function normalizeAnswer(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/^[\s\p{P}\p{S}]+|[\s\p{P}\p{S}]+$/gu, '')
    .trim();
}

const CN_DIGITS: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };

/** "2", "选2", "第二个", "二" → 2; anything else → null. */
export function parseOptionNumber(text: string): number | null {
  return optionNumberOf(normalizeAnswer(text));
}

/** parseOptionNumber of a text already through normalizeAnswer. */
function optionNumberOf(normalized: string): number | null {
  const s = normalized.replace(/\s/g, '');
  const m = s.match(/^(?:选择?|第|option|no\.?)?([0-9]{1,2}|[一二两三四五六七八九十])(?:个|项|号|条)?$/);
  if (!m) return null;
  const n = CN_DIGITS[m[1]] ?? Number(m[1]);
  return Number.isInteger(n) && n > 0 ? n : null;
}

const NEGATION = /[不没未无非别]$/;

// The word lists are written as people see them (full-width commas and all); compare normalized.
const WORDS = new Map<ChoiceId, string[]>(
  (Object.entries(CHOICE_WORDS) as [ChoiceId, readonly string[]][]).map(([id, ws]) => [id, ws.map(normalizeAnswer)]),
);

/**
 * Which of `options` the text picks: by number (1-based, in the order shown), by a whole word,
 * or, for short answers, by the longest word it contains that is not negated ("不满意" never
 * reads as "满意"). `wordsOnly` is for questions that also take free text (an account, a unit):
 * there only a bare number or a whole word counts, so "不知道去哪个窗口" is kept as text.
 */
export function matchChoice(text: string, options: readonly ChoiceId[], wordsOnly = false): ChoiceId | null {
  return matchNormalizedChoice(normalizeAnswer(text), options, wordsOnly);
}

/** matchChoice of a text already through normalizeAnswer (the guards normalise each message once). */
export function matchNormalizedChoice(s: string, options: readonly ChoiceId[], wordsOnly = false): ChoiceId | null {
  if (!s) return null;
  const n = optionNumberOf(s);
  if (n !== null) return options[n - 1] ?? null;
  for (const id of options) if (WORDS.get(id)?.includes(s)) return id;
  if (wordsOnly) return null;
  let best: { id: ChoiceId; len: number } | null = null;
  let tie = false;
  for (const id of options) {
    for (const w of WORDS.get(id) ?? []) {
      if (w.length < 2 && !/[\u4e00-\u9fff]/.test(w)) continue; // "y", "n" only as whole answers
      if (s.length > w.length + 6) continue; // a sentence, not an answer
      if (!containsUnnegated(s, w)) continue;
      if (!best || w.length > best.len) {
        best = { id, len: w.length };
        tie = false;
      } else if (w.length === best.len && best.id !== id) tie = true;
    }
  }
  return best && !tie ? best.id : null;
}

function containsUnnegated(s: string, w: string): boolean {
  const ascii = /^[a-z' ]+$/.test(w);
  let from = 0;
  for (;;) {
    const i = s.indexOf(w, from);
    if (i < 0) return false;
    const before = s.slice(0, i);
    const after = s.slice(i + w.length);
    const bounded = !ascii || (!/[a-z]$/.test(before) && !/^[a-z]/.test(after));
    const negated = ascii ? /\b(not|no|don't)\s*$/.test(before) : NEGATION.test(before);
    if (bounded && !negated) return true;
    from = i + 1;
  }
}

const COMMAND_WORDS: Record<CommandName, readonly string[]> = {
  help: ['帮助', '使用帮助', '怎么用', '?', 'help', '/help'],
  cancel: ['取消', '算了', '不办了', '不要了', 'cancel', '/cancel'],
  restart: ['重新开始', '重来', '菜单', '主菜单', '返回主菜单', 'restart', 'start over', 'menu', '/restart', '/menu'],
  progress: ['进度', '查进度', '查询进度', 'progress', '/progress'],
  withdraw: ['撤回', '撤回反映', '撤销反映', 'withdraw', '/withdraw'],
  start: ['/start', '开始'],
};

/** A whole message that is a command word ("取消", "菜单", "help"); words inside a sentence are not. */
export function textCommand(text: string): CommandName | null {
  return commandOf(text.normalize('NFKC').trim().toLowerCase(), normalizeAnswer(text));
}

/** textCommand from the message's NFKC-trimmed-lower-cased form and its normalizeAnswer form. */
export function commandOf(raw: string, answer: string): CommandName | null {
  if (raw === '?' || raw === '/start') return raw === '?' ? 'help' : 'start';
  const s = raw.startsWith('/') ? raw : answer;
  for (const [name, words] of Object.entries(COMMAND_WORDS) as [CommandName, readonly string[]][]) {
    if (words.includes(s)) return name;
  }
  return null;
}

/** A case number as people type it: "20261124001", "编号 2026 1124 001", "no. BJ-2026001". */
export function parseCaseNumber(text: string): string | null {
  const s = text.normalize('NFKC').replace(/\s+/g, '');
  const m = s.match(/(?:^|[^0-9a-z])([a-z]{0,6}-?\d{6,20})(?![0-9])/i);
  return m ? m[1].toUpperCase() : null;
}
