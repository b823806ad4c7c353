// $text search over a collection's text index, computed by scanning (text indexes hold no
// entries): English stop words and a light suffix stemmer (so 'searching' finds 'search'),
// terms OR'ed, "quoted phrases" required, -terms excluded, and mongod's textScore formula
// (per field: weight × Σ½ⁿ over occurrences × (½ × count / tokens + ½)).
import { CommandError, type Doc, badValue } from './errors.js';
import type { Index } from './indexes.js';
import { isPlainObject } from './values.js';

const STOP_WORDS = new Set(
  'a about above after again against all am an and any are as at be because been before being below between both but by can did do does doing down during each few for from further had has have having he her here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off on once only or other our ours ourselves out over own same she should so some such than that the their theirs them themselves then there these they this those through to too under until up very was we were what when where which while who whom why will with you your yours yourself yourselves'.split(
    ' ',
  ),
);

/** A light English stemmer: enough to fold plurals, -ing and -ed forms onto one term. */
function stem(w: string): string {
  if (w.length <= 3) return w;
  if (w.endsWith('ies') && w.length > 4) return `${w.slice(0, -3)}i`;
  if (w.endsWith('sses')) return w.slice(0, -2);
  for (const suffix of ['ing', 'edly', 'ed']) {
    if (w.endsWith(suffix) && w.length - suffix.length >= 3) {
      const base = w.slice(0, -suffix.length);
      return /([^aeiou])\1$/.test(base) && !/[lsz]$/.test(base) ? base.slice(0, -1) : base;
    }
  }
  if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us')) return w.slice(0, -1);
  return w;
}

interface Options {
  caseSensitive: boolean;
  diacriticSensitive: boolean;
  stemming: boolean;
}

function normalize(s: string, o: Options): string {
  const t = o.caseSensitive ? s : s.toLowerCase();
  return o.diacriticSensitive ? t : t.normalize('NFD').replace(/\p{M}/gu, '');
}

/** The terms of a text, in order (stop words dropped when stemming applies). */
function terms(s: string, o: Options): string[] {
  const out: string[] = [];
  for (const raw of normalize(s, o).split(/[^\p{L}\p{N}]+/u)) {
    if (raw.length === 0) continue;
    const lower = raw.toLowerCase();
    if (o.stemming && STOP_WORDS.has(lower)) continue;
    out.push(o.stemming ? (o.caseSensitive ? stem(raw) : stem(lower)) : raw);
  }
  return out;
}

function stringsAt(v: unknown, path: string[]): string[] {
  if (path.length === 0) {
    if (typeof v === 'string') return [v];
    if (Array.isArray(v)) return v.flatMap((e) => stringsAt(e, []));
    return [];
  }
  if (Array.isArray(v)) return v.flatMap((e) => stringsAt(e, path));
  if (!isPlainObject(v)) return [];
  return stringsAt(v[path[0]], path.slice(1));
}

/** Every string of a document, for a wildcard ('$**') text index. */
function allStrings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(allStrings);
  if (isPlainObject(v)) return Object.values(v).flatMap(allStrings);
  return [];
}

export interface TextSearch {
  /** The document's textScore, or null when it does not match the search. */
  score(doc: Doc): number | null;
}

/** Takes a top-level $text out of `filter`: the rest of the filter and the search, or null. */
export function extractText(filter: Doc, textIndex: () => Index[]): { rest: Doc; search: TextSearch } | null {
  if (!('$text' in filter)) return null;
  const spec = filter.$text;
  if (!isPlainObject(spec) || typeof spec.$search !== 'string') throw badValue('$text needs { $search: <string> }');
  const indexes = textIndex();
  if (indexes.length === 0) throw new CommandError(27, 'IndexNotFound', 'text index required for $text query');
  if (indexes.length > 1) throw new CommandError(2, 'BadValue', 'more than one text index, not sure which to run text search on');
  const index = indexes[0];
  const language = typeof spec.$language === 'string' ? spec.$language : ((index.spec.default_language as string | undefined) ?? 'english');
  const o: Options = { caseSensitive: spec.$caseSensitive === true, diacriticSensitive: spec.$diacriticSensitive === true, stemming: language !== 'none' };
  const weights = (isPlainObject(index.spec.weights) ? index.spec.weights : {}) as Record<string, number>;
  const fields = Object.entries(index.spec.key)
    .filter(([, kind]) => kind === 'text')
    .map(([f]) => f);
  const wildcard = fields.includes('$**') || '$**' in weights;
  for (const f of fields) if (f !== '$**' && weights[f] === undefined) weights[f] = 1;

  // Phrases in double quotes, then terms; a leading '-' negates either.
  const phrases: string[] = [];
  const negPhrases: string[] = [];
  const search = spec.$search.replace(/(-?)"([^"]*)"/g, (_, neg: string, p: string) => {
    (neg ? negPhrases : phrases).push(normalize(p, o));
    return ' ';
  });
  const wanted = new Set<string>();
  const unwanted = new Set<string>();
  for (const word of search.split(/\s+/)) {
    if (word.length === 0) continue;
    const neg = word.startsWith('-');
    for (const t of terms(neg ? word.slice(1) : word, o)) (neg ? unwanted : wanted).add(t);
  }
  for (const p of phrases) for (const t of terms(p, o)) wanted.add(t);

  const textsOf = (doc: Doc): [string, number][] => {
    if (wildcard) return allStrings(doc).map((s) => [s, weights['$**'] ?? 1]);
    return Object.entries(weights).flatMap(([f, w]) => stringsAt(doc, f.split('.')).map((s) => [s, w] as [string, number]));
  };

  const rest: Doc = { ...filter };
  delete rest.$text;
  return {
    rest,
    search: {
      score(doc) {
        const texts = textsOf(doc);
        const joined = texts.map(([s]) => normalize(s, o)).join('\n');
        if (negPhrases.some((p) => joined.includes(p))) return null;
        if (!phrases.every((p) => joined.includes(p))) return null;
        let score = 0;
        let hit = false;
        for (const [s, weight] of texts) {
          const ts = terms(s, o);
          const counts = new Map<string, number>();
          for (const t of ts) counts.set(t, (counts.get(t) ?? 0) + 1);
          for (const t of unwanted) if (counts.has(t)) return null;
          for (const t of wanted) {
            const count = counts.get(t);
            if (!count) continue;
            hit = true;
            const freq = 2 - 2 ** (1 - count); // 1 + 1/2 + 1/4 + … over the occurrences
            score += weight * freq * (0.5 * (count / ts.length) + 0.5);
          }
        }
        return hit || (wanted.size === 0 && phrases.length > 0) ? score : null;
      },
    },
  };
}
