// Collations: strength 1 (base letters) and 2 (plus accents) compare strings case-insensitively
// for matching, unique indexes and sorts; any locale orders strings as Intl.Collator does. Strength
// 3 and above match as the binary comparison does (case and accents both count), as in mongod
// for text without ignorable characters.
import { badValue } from './errors.js';
import { isPlainObject } from './values.js';
import type { Doc } from './errors.js';

export interface Collation {
  locale: string;
  caseLevel: boolean;
  caseFirst: 'upper' | 'lower' | 'off';
  strength: number;
  numericOrdering: boolean;
  alternate: string;
  maxVariable: string;
  normalization: boolean;
  backwards: boolean;
  version: string;
}

const FIELDS = new Set(['locale', 'caseLevel', 'caseFirst', 'strength', 'numericOrdering', 'alternate', 'maxVariable', 'normalization', 'backwards', 'version']);

/** mongod's full collation document for what a client sent; null for the simple (binary) collation. */
export function normalizeCollation(raw: unknown): Collation | null {
  if (raw === undefined || raw === null) return null;
  if (!isPlainObject(raw)) throw badValue('collation must be a document');
  for (const k of Object.keys(raw)) if (!FIELDS.has(k)) throw badValue(`unknown collation field '${k}'`);
  if (typeof raw.locale !== 'string' || raw.locale.length === 0) throw badValue("collation 'locale' must be a non-empty string");
  if (raw.locale === 'simple') return null;
  const strength = raw.strength === undefined ? 3 : Number(raw.strength);
  if (![1, 2, 3, 4, 5].includes(strength)) throw badValue(`collation strength must be 1 to 5, got ${String(raw.strength)}`);
  const caseFirst = (raw.caseFirst ?? 'off') as Collation['caseFirst'];
  if (!['upper', 'lower', 'off'].includes(caseFirst)) throw badValue(`collation caseFirst must be 'upper', 'lower' or 'off'`);
  try {
    new Intl.Collator(raw.locale.replace(/_/g, '-'));
  } catch {
    throw badValue(`Field 'locale' is invalid in: ${JSON.stringify(raw)}`);
  }
  return {
    locale: raw.locale,
    caseLevel: raw.caseLevel === true,
    caseFirst,
    strength,
    numericOrdering: raw.numericOrdering === true,
    alternate: typeof raw.alternate === 'string' ? raw.alternate : 'non-ignorable',
    maxVariable: typeof raw.maxVariable === 'string' ? raw.maxVariable : 'punct',
    normalization: raw.normalization === true,
    backwards: raw.backwards === true,
    version: '57.1',
  };
}

/** How strings compare under the collation for equality: a key function, or null when binary equality holds. */
export function foldFor(c: Collation | null): ((s: string) => string) | null {
  if (!c || c.strength >= 3 || c.caseLevel) return null;
  if (c.strength === 2) return (s) => s.toLowerCase();
  return (s) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Orders strings as the collation does. */
export function stringComparator(c: Collation): (a: string, b: string) => number {
  const collator = new Intl.Collator(c.locale.replace(/_/g, '-'), {
    sensitivity: c.strength === 1 ? (c.caseLevel ? 'case' : 'base') : c.strength === 2 ? 'accent' : 'variant',
    caseFirst: c.caseFirst === 'off' ? 'false' : c.caseFirst,
    numeric: c.numericOrdering,
    ignorePunctuation: c.alternate === 'shifted',
  });
  return collator.compare;
}

/** `v` with every string value folded (keys, regexes and bson values untouched). */
export function foldValue(v: unknown, fold: (s: string) => string): unknown {
  if (typeof v === 'string') return fold(v);
  if (Array.isArray(v)) return v.map((e) => foldValue(e, fold));
  if (isPlainObject(v)) {
    const out: Doc = {};
    for (const k of Object.keys(v)) out[k] = foldValue(v[k], fold);
    return out;
  }
  return v;
}

// Operator arguments that name types, patterns, schemas or shapes rather than compared values.
const VERBATIM = new Set(['$regex', '$options', '$type', '$jsonSchema', '$where', '$expr', '$text', '$geoWithin', '$within', '$geoIntersects', '$near', '$nearSphere', '$mod', '$size', '$exists', '$bitsAllSet', '$bitsAnySet', '$bitsAllClear', '$bitsAnyClear']);

/** A filter whose compared string values are folded, so that matching folded documents applies the collation. */
export function foldFilter(filter: Doc, fold: (s: string) => string): Doc {
  const out: Doc = {};
  for (const [k, v] of Object.entries(filter)) {
    if (VERBATIM.has(k)) out[k] = v;
    else if (k === '$and' || k === '$or' || k === '$nor') out[k] = Array.isArray(v) ? v.map((f) => (isPlainObject(f) ? foldFilter(f, fold) : f)) : v;
    else if (isPlainObject(v)) out[k] = foldFilter(v, fold);
    else out[k] = foldValue(v, fold);
  }
  return out;
}
