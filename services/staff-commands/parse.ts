// One line of staff text → a command, or a refusal that names the right form. Pure: no I/O, no
// directory, no clock. Grammar: [cmd:] [#<number>] <verb> [arguments]. Keywords are matched on
// NFKC + lower case; free text is sliced from what was typed and kept exactly as it was.
import type { Measure } from '../../models/vocabulary.js';
import type { ListScope } from '../cases/index.js';
import { COMMAND_HELP_ZH, parseZh } from '../locales/zh/staff-commands.js';
import { parsePeriod } from '../reports/period.js';
import type { CaseCommand, DeskCommand, ParseResult } from './types.js';
import {
  CASE_NUMBER,
  CATEGORY_SHORT,
  CATEGORY_WORDS,
  GLUED_VERB_FORMS,
  INELIGIBLE_WORDS,
  MEASURE_WORDS,
  NO_UNIT_WORDS,
  REMOVE_WORDS,
  OUTCOME_SHORT,
  OUTCOME_WORDS,
  REASON_WORDS,
  RECORD_VERBS,
  REGISTER_CHANNEL_WORDS,
  RESEND_WORDS,
  REVEAL_WORDS,
  SATISFACTION_WORDS,
  SCOPE_WORDS,
  VERB_WORDS,
  VERBS,
  type VerbKey,
  wordKey,
} from './words.js';

/** Choice ids carry this prefix; a text channel that sends an id back gets the same command. */
export const CHOICE_PREFIX = 'cmd:';

const SPACE = /[\s\u3000]/u;
const LIST_SEP = /[、，,；;]/u;

/** First whitespace-separated word, and the rest as typed (trimmed). */
function splitFirst(s: string): [string, string] {
  const t = s.trim();
  const m = SPACE.exec(t);
  return m ? [t.slice(0, m.index), t.slice(m.index).trim()] : [t, ''];
}

/** A list typed as one word (A、B，C), allowing spaces around the separators. */
function takeList(s: string): [string, string] {
  let [tok, rest] = splitFirst(s);
  while (rest && (/[、，,；;]$/u.test(tok) || /^[、，,；;]/u.test(rest))) {
    const [next, after] = splitFirst(rest);
    tok += next;
    rest = after;
  }
  return [tok, rest];
}

const items = (s: string, sep: RegExp) =>
  s
    .split(sep)
    .map((x) => x.trim())
    .filter(Boolean);

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Splits at the first `label` that opens a segment: at the start or after a space and followed by
 * a colon or a space, or anywhere when followed by a colon. "依据" inside a sentence stays text.
 */
function cutAt(s: string, labels: readonly string[]): { before: string; after: string } | null {
  const alt = labels.map(escapeRe).join('|');
  const m = new RegExp(`(?:^|(?<=[\\s\\u3000]))(?:${alt})(?:[：:]|[\\s\\u3000]+)|(?:${alt})[：:]`, 'u').exec(s);
  return m ? { before: s.slice(0, m.index).trim(), after: s.slice(m.index + m[0].length).trim() } : null;
}

/** Labelled segments `label：value` (colon required); text before the first label is `lead`. */
function segments<K extends string>(s: string, labels: Record<K, readonly string[]>): { lead: string; parts: Partial<Record<K, string>> } {
  const byWord = new Map<string, K>();
  for (const [k, words] of Object.entries(labels) as [K, readonly string[]][]) for (const w of words) byWord.set(w, k);
  const alt = [...byWord.keys()].sort((a, b) => b.length - a.length).map(escapeRe).join('|');
  const re = new RegExp(`(${alt})[：:]`, 'gu');
  const hits = [...s.matchAll(re)];
  const parts: Partial<Record<K, string>> = {};
  hits.forEach((h, i) => {
    const end = i + 1 < hits.length ? hits[i + 1].index : s.length;
    const key = byWord.get(h[1])!;
    const value = s.slice(h.index + h[0].length, end).trim();
    parts[key] = parts[key] ? `${parts[key]} ${value}` : value;
  });
  return { lead: (hits.length ? s.slice(0, hits[0].index) : s).trim(), parts };
}

const name = (v: VerbKey) => VERBS[v].zh[0];
const usage = (v: VerbKey, problem: string) => ({ error: parseZh.usage(problem, COMMAND_HELP_ZH[v].form, COMMAND_HELP_ZH[v].example) });
const missing = (v: VerbKey, what: string) => usage(v, parseZh.missing(what));
const unknownWord = (v: VerbKey, what: string, word: string, options: readonly string[]) =>
  usage(v, parseZh.unknownWord(what, word, options.join('、')));
const opt = (s: string) => (s ? s : undefined);

export function parseStaffCommand(input: string): ParseResult {
  let s = String(input ?? '').trim();
  if (s.slice(0, CHOICE_PREFIX.length).toLowerCase() === CHOICE_PREFIX) s = s.slice(CHOICE_PREFIX.length).trim();
  if (!s) return { error: parseZh.empty };

  let number: string | undefined;
  const hash = /^[#＃][\s\u3000]*([0-9A-Za-z０-９Ａ-Ｚａ-ｚ]*)/u.exec(s);
  if (hash) {
    const n = hash[1].normalize('NFKC').toUpperCase();
    const afterMark = s.slice(1).trim();
    if (CASE_NUMBER.test(n)) {
      number = n;
      s = s.slice(hash[0].length).trim();
    } else if (startsWithVerb(afterMark)) {
      // `#列表`, `#help`: the # only marks a staff command (as the console channel expects).
      s = afterMark;
    } else return { error: parseZh.badNumber(`#${hash[1]}`) };
  } else {
    const [first, rest] = splitFirst(s);
    const n = first.normalize('NFKC').toUpperCase();
    if (CASE_NUMBER.test(n)) {
      number = n;
      s = rest;
    }
  }

  if (!s) return number ? { verb: 'view', number } : { error: parseZh.empty };
  const [word, rest] = splitFirst(s);
  let verb = VERB_WORDS.get(wordKey(word));
  let args = rest;
  if (!verb) {
    const glued = GLUED_VERB_FORMS.find(([w]) => word.startsWith(w));
    if (!glued) return { error: parseZh.unknownVerb(word.slice(0, 30)) };
    verb = glued[1];
    args = s.slice(glued[0].length).trim();
  }

  const spec = VERBS[verb];
  if (spec.onCase && !number) return { error: parseZh.needsNumber(name(verb), COMMAND_HELP_ZH[verb].form, COMMAND_HELP_ZH[verb].example) };
  if (!spec.onCase) {
    if (number && verb !== 'help') return { error: parseZh.noNumber(name(verb), COMMAND_HELP_ZH[verb].form) };
    return parseDesk(verb, args);
  }
  const body = parseOnCase(verb, args);
  return 'error' in body ? body : ({ ...body, number: number! } as CaseCommand);
}

function startsWithVerb(s: string): boolean {
  const [word] = splitFirst(s);
  return Boolean(word) && (VERB_WORDS.has(wordKey(word)) || GLUED_VERB_FORMS.some(([w]) => word.startsWith(w)));
}

type CaseBody = CaseCommand extends infer C ? (C extends CaseCommand ? Omit<C, 'number'> : never) : never;

function noArgs<T>(verb: VerbKey, args: string, value: T): T | { error: string } {
  return args ? usage(verb, parseZh.extra(name(verb), args)) : value;
}

function parseOnCase(verb: VerbKey, args: string): CaseBody | { error: string } {
  const [first, rest] = splitFirst(args);
  switch (verb) {
    case 'view':
      return { verb: 'view' };
    case 'reveal':
      return noArgs(verb, args, { verb: 'reveal' as const });
    case 'classify':
    case 'reclassify': {
      if (!first) return missing(verb, parseZh.need.category);
      const category = CATEGORY_WORDS.get(wordKey(first));
      if (!category) return unknownWord(verb, parseZh.what.category, first, Object.values(CATEGORY_SHORT));
      const [label, answer] = splitFirst(rest);
      if (verb === 'classify' && rest && VERB_WORDS.get(wordKey(label)) === 'settle') {
        const units = unitList(answer);
        return units ? { verb, category, units } : missing('settle', parseZh.need.unit);
      }
      return noArgs(verb, rest, { verb, category });
    }
    case 'outOfScope': {
      if (!first) return missing(verb, parseZh.need.reason);
      const reason = REASON_WORDS.get(wordKey(first));
      if (!reason) return unknownWord(verb, parseZh.what.reason, first, ['涉法', '涉诉', '涉访', '政策不符']);
      return { verb, reason, note: opt(rest) };
    }
    case 'agitated':
      return noArgs(verb, args, { verb: 'agitated' as const });
    case 'calmed':
      return { verb, note: opt(args) };
    case 'assign':
      if (!first) return missing(verb, parseZh.need.staff);
      return noArgs(verb, rest, { verb: 'assign' as const, staffId: wordKey(first) });
    case 'involve': {
      if (!args) return missing(verb, parseZh.need.unit);
      if (REMOVE_WORDS.has(wordKey(first))) {
        const cut = cutAt(rest, ['原因', '理由']);
        const [unit, more] = splitFirst(cut ? cut.before : rest);
        if (!unit) return missing(verb, parseZh.need.unit);
        const reason = [more, cut?.after ?? ''].filter(Boolean).join(' ');
        return { verb: 'uninvolve' as const, unit, reason: opt(reason) };
      }
      const units = unitList(args);
      return units && units !== 'none' ? { verb: 'involve' as const, units } : missing(verb, parseZh.need.unit);
    }
    case 'settle': {
      const units = unitList(args);
      return units ? { verb: 'settle' as const, units } : missing(verb, parseZh.need.unit);
    }
    case 'draft': {
      const c = cutAt(args, ['诉求内容', '内容']);
      const [target, content] = c ? [c.before, c.after] : [args, ''];
      return { verb, target: opt(target), content: opt(content) };
    }
    case 'preview':
      return { verb, target: opt(args) };
    case 'onSite':
    case 'complaint':
    case 'leader':
    case 'note':
      if (!args) return missing(verb, parseZh.need.text);
      return { verb: 'record', record: { kind: RECORD_VERBS[verb]!, text: args } };
    case 'notice': {
      const cut = cutAt(args, ['说明']);
      const list = items(cut ? cut.before : args, /[；;、\n]+/u);
      if (list.length === 0) return missing(verb, parseZh.need.items);
      return { verb: 'record', record: { kind: 'one_time_notice', missingMaterials: list, text: cut?.after || parseZh.noticeDefault } };
    }
    case 'refusal': {
      const cut = cutAt(args, ['依据']);
      const text = cut ? cut.before : args;
      if (!text) return missing(verb, parseZh.need.reason2);
      if (!cut?.after) return missing(verb, parseZh.need.basis);
      return { verb: 'record', record: { kind: 'refusal_notice', text, basis: cut.after } };
    }
    case 'meeting':
      return parseMeeting(args);
    case 'askWindow':
      if (!first || !rest) return missing(verb, parseZh.need.windowQuestion);
      return { verb, target: first, question: rest };
    case 'windowAnswer':
      if (!args) return missing(verb, parseZh.need.answer);
      return { verb, text: args };
    case 'transfer': {
      const r = cutAt(args, ['备注']);
      const main = r ? r.before : args;
      const c = cutAt(main, ['诉求内容', '内容']);
      const [target, content] = c ? [c.before, c.after] : splitFirst(main);
      return { verb, target: opt(target), content: opt(content), remarks: opt(r?.after ?? '') };
    }
    case 'ack':
      return noArgs(verb, args, { verb: 'ack' as const });
    case 'answer': {
      const ineligible = INELIGIBLE_WORDS.has(wordKey(first));
      const cut = cutAt(ineligible ? rest : args, ['依据']);
      const text = cut ? cut.before : ineligible ? rest : args;
      if (!text) return missing(verb, parseZh.need.answer);
      if (ineligible && !cut?.after) return missing(verb, parseZh.need.basis);
      return { verb, text, eligible: !ineligible, basis: opt(cut?.after ?? '') };
    }
    case 'resolve': {
      if (!first) return missing(verb, parseZh.need.outcome);
      const outcome = OUTCOME_WORDS.get(wordKey(first));
      if (!outcome) return unknownWord(verb, parseZh.what.outcome, first, Object.values(OUTCOME_SHORT));
      const cut = cutAt(rest, ['依据']);
      const text = cut ? cut.before : rest;
      if (!text) return missing(verb, parseZh.need.result);
      return { verb, outcome, text, basis: opt(cut?.after ?? '') };
    }
    case 'feedback':
      if (!args) return missing(verb, parseZh.need.progress);
      return { verb, text: args };
    case 'reply':
      return { verb, text: opt(args) };
    case 'followUp': {
      if (!first) return missing(verb, parseZh.need.satisfaction);
      const satisfaction = SATISFACTION_WORDS.get(wordKey(first));
      if (!satisfaction) return unknownWord(verb, parseZh.what.satisfaction, first, ['满意', '基本满意', '不满意']);
      return { verb, satisfaction, comment: opt(rest) };
    }
    case 'archive':
      return noArgs(verb, args, { verb: 'archive' as const });
    case 'withdraw':
      return { verb, reason: opt(args) };
    case 'registrationForm':
      if (args && !REVEAL_WORDS.has(wordKey(args))) return unknownWord(verb, parseZh.what.formOption, args, ['完整']);
      return { verb, reveal: Boolean(args) };
    case 'slipForm':
      if (args && !RESEND_WORDS.has(wordKey(args))) return unknownWord(verb, parseZh.what.slipAction, args, ['重发']);
      return { verb, resend: Boolean(args) };
    default:
      return { error: parseZh.unknownVerb(name(verb)) };
  }
}

/** Units typed as a list (jyj zjj / 教育局、住建局), or "无"; null when nothing was typed. */
function unitList(s: string): string[] | 'none' | null {
  const words = items(s, /[\s\u3000、，,；;]+/u);
  if (words.length === 0) return null;
  if (words.length === 1 && NO_UNIT_WORDS.has(wordKey(words[0]))) return 'none';
  return words;
}

function parseMeeting(args: string): CaseBody | { error: string } {
  const { lead, parts } = segments(args, { attendees: ['参会', '参会人员', '参会单位'], measures: ['措施'], minutes: ['纪要'] });
  if (!parts.attendees) return missing('meeting', parseZh.need.attendees);
  const [who, afterWho] = takeList(parts.attendees);
  const attendees = items(who, LIST_SEP);
  if (attendees.length === 0) return missing('meeting', parseZh.need.attendees);
  const measures: Measure[] = [];
  let afterMeasures = '';
  if (parts.measures !== undefined) {
    const [list, after] = takeList(parts.measures);
    afterMeasures = after;
    for (const m of items(list, LIST_SEP)) {
      const measure = MEASURE_WORDS.get(wordKey(m));
      if (!measure) return unknownWord('meeting', parseZh.what.measure, m, ['告知承诺', '容缺受理', '否决事项审签']);
      measures.push(measure);
    }
  }
  const text = [lead, afterWho, afterMeasures, parts.minutes ?? ''].filter(Boolean).join(' ');
  if (!text) return missing('meeting', parseZh.need.minutes);
  return { verb: 'record', record: { kind: 'meeting', attendees, measures, text } };
}

function page(verb: VerbKey, word: string): number | { error: string } {
  const m = /^第?(\d{1,6})页?$/u.exec(word.normalize('NFKC'));
  const n = m ? Number(m[1]) : 0;
  return n >= 1 ? n : usage(verb, parseZh.badPage(word));
}

function parseDesk(verb: VerbKey, args: string): DeskCommand | { error: string } {
  switch (verb) {
    case 'list':
    case 'overdue':
    case 'mine': {
      // 清单 本周 / 清单 2026-11-01 2026-11-30 is the period ledger; plain 清单 stays the open-case list.
      if (verb === 'list') {
        const period = parsePeriod(args);
        if (period) return 'error' in period ? usage('ledger', period.error) : { verb: 'ledger', period };
      }
      let scope: ListScope = verb === 'list' ? 'open' : verb;
      let p = 1;
      // `列表 单位 <代码或名称>`: one unit's cases (transferred to it, or complaining about it).
      const byUnit = verb === 'list' ? /(?:^|[\s\u3000])单位(?:[：:][\s\u3000]*|[\s\u3000]+)(\S+)/u.exec(args) : null;
      if (byUnit) args = (args.slice(0, byUnit.index) + args.slice(byUnit.index + byUnit[0].length)).trim();
      for (const word of args.split(/[\s\u3000]+/u).filter(Boolean)) {
        const sc = verb === 'list' ? SCOPE_WORDS.get(wordKey(word)) : undefined;
        if (sc) {
          scope = sc;
          continue;
        }
        const n = page(verb, word);
        if (typeof n !== 'number') return verb === 'list' && !/\d/u.test(word) ? unknownWord(verb, parseZh.what.scope, word, ['在办', '超期', '我的', '全部']) : n;
        p = n;
      }
      return { verb: 'list', scope, page: p, ...(byUnit ? { unit: byUnit[1] } : {}) };
    }
    case 'duty':
    case 'stats':
    case 'units':
      return noArgs(verb, args, { verb });
    case 'help':
      return { verb: 'help' };
    case 'register':
      return parseRegister(args);
    case 'ledger':
    case 'performance': {
      if (!args) return { verb };
      const period = parsePeriod(args);
      if (!period) return unknownWord(verb, parseZh.what.period, args, ['本周', '上周', '本月', '上月', '2026-11', '2026-11-01 2026-11-30']);
      return 'error' in period ? usage(verb, period.error) : { verb, period };
    }
    default:
      return { error: parseZh.unknownVerb(name(verb)) };
  }
}

function parseRegister(args: string): DeskCommand | { error: string } {
  const { lead, parts } = segments(args, {
    matter: ['事项', '办理事项'],
    account: ['情况', '问题', '问题描述', '诉求'],
    channel: ['渠道'],
  });
  const words = lead.split(/[\s\u3000]+/u).filter(Boolean);
  const phoneAt = words.findIndex((w) => /^[+\d][\d\-()+]{6,}$/u.test(w.normalize('NFKC')));
  const name = words.filter((_, i) => i !== phoneAt).join(' ');
  if (!name) return missing('register', parseZh.need.name);
  if (phoneAt < 0) return missing('register', parseZh.need.phone);
  if (!parts.matter) return missing('register', parseZh.need.matter);
  if (!parts.account) return missing('register', parseZh.need.account);
  let channel: 'window' | 'hotline' = 'window';
  if (parts.channel) {
    const c = REGISTER_CHANNEL_WORDS.get(wordKey(parts.channel));
    if (!c) return unknownWord('register', parseZh.what.channel, parts.channel, ['窗口', '热线']);
    channel = c;
  }
  return { verb: 'register', name, phone: words[phoneAt], matter: parts.matter, account: parts.account, channel };
}
