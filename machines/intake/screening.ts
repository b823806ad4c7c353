// Keyword screens over what a citizen writes. Pure, so the case service can run the same checks
// on reports entered by a clerk. They only raise a question: the dialogue asks the citizen to
// confirm before treating a matter as out of scope, and a flagged mood only alerts supervision.

import type { OutOfScopeReason } from '../../models/vocabulary.js';

export interface ScreeningHit<R extends string = string> {
  reason: R;
  /** The words that triggered the hit, as written, to show the citizen what we noticed. */
  terms: string[];
}

// Checked in this order: a petition or a court case is the more specific signal.
const OUT_OF_SCOPE_TERMS: [OutOfScopeReason, RegExp[]][] = [
  ['petition', [/信访/g, /上访/g, /越级访/g, /\bpetition(?:s|ed|ing)?\b/gi, /\bxinfang\b/gi]],
  [
    'litigation',
    [
      /诉讼/g,
      /起诉/g,
      /上诉/g,
      /法院/g,
      /判决/g,
      /仲裁/g,
      /打官司/g,
      /律师函/g,
      /\blaw ?suits?\b/gi,
      /\bcourts?\b/gi,
      /\bsu(?:e|ed|ing)\b/gi,
      /\blitigation\b/gi,
      /\barbitration\b/gi,
    ],
  ],
  [
    'legal',
    [
      /行政执法/g,
      /执法/g,
      /行政处罚/g,
      /处罚决定/g,
      /行政复议/g,
      /\blaw enforcement\b/gi,
      /\badministrative (?:review|penalty)\b/gi,
    ],
  ],
  [
    'contrary_to_policy',
    [/破例/g, /通融/g, /走后门/g, /开后门/g, /网开一面/g, /不符合政策/g, /\bmake an exception\b/gi, /\bbend the rules?\b/gi],
  ],
];

// A negation just before the term ("没有起诉", "不涉及信访", "never sued") means the opposite.
const ZH_NEGATION = /(?:不|没|没有|未|无|非|不涉及|没涉及|并未)$/;
const EN_NEGATION = /\b(?:not|no|never|without)\s+(?:\w+\s+)?$/i;

function findTerms(text: string, patterns: RegExp[]): string[] {
  const terms: string[] = [];
  for (const re of patterns) {
    re.lastIndex = 0;
    for (const m of text.matchAll(re)) {
      const before = text.slice(Math.max(0, m.index - 16), m.index);
      if (ZH_NEGATION.test(before) || EN_NEGATION.test(before)) continue;
      if (!terms.includes(m[0])) terms.push(m[0]);
    }
  }
  return terms;
}

/**
 * One pattern that matches wherever any of `patterns` would: nearly every message matches none,
 * and one test of it is much cheaper than scanning with each (the full scan then runs only on a hit).
 */
const anyOf = (patterns: RegExp[]) => new RegExp(patterns.map((re) => `(?:${re.source})`).join('|'), 'i');
const ANY_OUT_OF_SCOPE = anyOf(OUT_OF_SCOPE_TERMS.flatMap(([, patterns]) => patterns));

/** Words suggesting the matter is 涉法/涉诉/涉访 or against current policy; null when none. */
export function detectOutOfScope(text: string): ScreeningHit<OutOfScopeReason> | null {
  const s = text.normalize('NFKC');
  if (!ANY_OUT_OF_SCOPE.test(s)) return null;
  for (const [reason, patterns] of OUT_OF_SCOPE_TERMS) {
    const terms = findTerms(s, patterns);
    if (terms.length > 0) return { reason, terms };
  }
  return null;
}

const AGITATION_TERMS: RegExp[] = [
  /气死/g,
  /太气人/g,
  /欺人太甚/g,
  /忍无可忍/g,
  /受够了/g,
  /岂有此理/g,
  /太过分/g,
  /无法无天/g,
  /混蛋/g,
  /王八蛋/g,
  /他妈/g,
  /妈的/g,
  /tmd/gi,
  /尼玛/g,
  /去死/g,
  /滚蛋/g,
  /拼了/g,
  /同归于尽/g,
  /跳楼/g,
  /自杀/g,
  /不想活/g,
  /找媒体/g,
  /曝光你们/g,
  /砸了/g,
  /什么破/g,
  /垃圾(?:窗口|部门|服务|政府)/g,
  /\bfurious\b/gi,
  /\boutrageous\b/gi,
  /\bfed up\b/gi,
  /\bsick of\b/gi,
  /\bdisgusting\b/gi,
  /\bidiots?\b/gi,
  /\bdamn\b/gi,
  /\bwtf\b/gi,
  /\bkill myself\b/gi,
  /[!！]{3,}/g,
];

const ANY_AGITATION = anyOf(AGITATION_TERMS);

/** Words or punctuation of an agitated citizen (情绪激动); null when none. */
export function detectAgitation(text: string): ScreeningHit<'agitated'> | null {
  const s = text.normalize('NFKC');
  if (!ANY_AGITATION.test(s)) return null;
  const terms: string[] = [];
  for (const re of AGITATION_TERMS) {
    re.lastIndex = 0;
    for (const m of s.matchAll(re)) if (!terms.includes(m[0])) terms.push(m[0]);
  }
  return terms.length > 0 ? { reason: 'agitated', terms } : null;
}
