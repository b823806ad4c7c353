// The query planner: picks how a filter's candidates are read (the _id map, one index scan, or the
// whole collection) and whether that read already delivers the requested sort order, so a find
// with sort and limit on an indexed path stops after `limit` documents instead of sorting them all.
import type { Collection } from './collection.js';
import { type Doc, badValue } from './errors.js';
import type { Index, Range } from './indexes.js';
import { distinctValues, isPlainObject, isRangeable, keyOf, renderValue, typeRank } from './values.js';

/** Past this many equality combinations from `$in` lists, the remaining fields are not used. */
const MAX_COMBINATIONS = 500;

export interface Plan {
  stage: 'COLLSCAN' | 'IDHACK' | 'IXSCAN';
  index: Index | null;
  /** True when `docs()` yields the documents in the requested sort order (or none was asked). */
  sorted: boolean;
  backward: boolean;
  /** Index keys read so far by `docs()`; explain reports it. */
  keysExamined: number;
  /** Candidate documents, a superset of the matches: the caller still tests each one. */
  docs(): Iterable<Doc>;
}

interface Term {
  eq?: unknown;
  in?: unknown[];
  lower?: { v: unknown; incl: boolean };
  upper?: { v: unknown; incl: boolean };
}

export function planQuery(coll: Collection, filter: Doc, sort?: Doc, hint?: unknown): Plan {
  const forced = resolveHint(coll, hint);
  const terms = collectTerms(filter);
  const wantsSort = sort !== undefined && Object.keys(sort).length > 0;
  const idTerm = terms.get('_id');
  if (forced !== 'natural' && (forced === null || forced === '_id_') && (idTerm?.eq !== undefined || idTerm?.in)) {
    const keys = idTerm.eq !== undefined ? [keyOf(idTerm.eq)] : [...new Set((idTerm.in ?? []).map(keyOf))];
    const plan: Plan = {
      stage: 'IDHACK',
      index: null,
      sorted: !wantsSort || keys.length <= 1,
      backward: false,
      keysExamined: 0,
      docs: () => lookupIds(coll, keys, plan),
    };
    return plan;
  }
  let best: { score: number; plan: Plan } | null = null;
  if (forced !== 'natural' && forced !== '_id_') {
    for (const index of coll.indexes.values()) {
      if (forced !== null && index !== forced) continue;
      const candidate = indexPlan(coll, index, terms, wantsSort ? sort : undefined, forced === index);
      if (candidate && (!best || candidate.score > best.score)) best = candidate;
    }
  }
  if (best) return best.plan;
  return { stage: 'COLLSCAN', index: null, sorted: !wantsSort, backward: false, keysExamined: 0, docs: () => coll.docs.values() };
}

function indexPlan(coll: Collection, index: Index, terms: Map<string, Term>, sort: Doc | undefined, hinted: boolean): { score: number; plan: Plan } | null {
  if (index.isPartial || index.special || index.collated || (index.spec.hidden === true && !hinted)) return null;
  let combos: unknown[][] = [[]];
  let score = 0;
  let k = 0;
  for (; k < index.fields.length; k++) {
    const t = terms.get(index.fields[k]);
    if (t?.eq !== undefined) {
      combos = combos.map((c) => [...c, t.eq]);
      score += 10;
    } else if (t?.in && combos.length * t.in.length <= MAX_COMBINATIONS) {
      const values = distinctValues(t.in);
      combos = combos.flatMap((c) => values.map((v) => [...c, v]));
      score += 8;
    } else break;
  }
  let range: Range | null = null;
  const next = k < index.fields.length ? terms.get(index.fields[k]) : undefined;
  if (next && (next.lower || next.upper)) {
    // On an array field one element may satisfy the lower bound and another the upper one, so
    // scanning between both bounds could miss a match: keep a single bound there.
    range = index.multikeyFields[k] && next.lower ? { lower: next.lower } : { lower: next.lower, upper: next.upper };
    score += 5;
  }
  const direction = sort ? sortDirection(index, sort, k, combos.length) : 0;
  // A whole-index read misses documents a sparse index leaves out.
  if (score === 0 && (index.sparse || (direction === 0 && !hinted))) return null;
  if (direction !== 0) score += 3;
  if (index.unique && k === index.fields.length && combos.length === 1) score += 100;
  const plan: Plan = {
    stage: 'IXSCAN',
    index,
    sorted: !sort || direction !== 0,
    backward: direction === -1,
    keysExamined: 0,
    docs: () => scanIndex(coll, index, combos, range, direction === -1, plan),
  };
  return { score, plan };
}

/**
 * 1 or -1 when reading the scanned stretch of the index forward or backward yields `sort`'s
 * order, 0 when it does not. Inside one equality prefix the index is ordered by the fields that
 * follow it, so the sort may start at any prefix field and run on along the key pattern.
 */
function sortDirection(index: Index, sort: Doc, k: number, combos: number): number {
  if (combos > 1 || index.multikey || index.exotic) return 0;
  const keys = Object.keys(sort);
  const j = index.fields.indexOf(keys[0]);
  if (j < 0 || j > k || j + keys.length > index.fields.length) return 0;
  let direction = 0;
  for (const [i, key] of keys.entries()) {
    const f = j + i;
    if (index.fields[f] !== key) return 0;
    if (f < k) continue;
    const d = (sort[key] as number) * index.dirs[f];
    if (direction !== 0 && d !== direction) return 0;
    direction = d;
  }
  // A sort on equality-bound fields only is satisfied by any order.
  return direction === 0 ? 1 : direction;
}

function* lookupIds(coll: Collection, keys: string[], plan: Plan): Generator<Doc> {
  for (const key of keys) {
    plan.keysExamined++;
    const d = coll.docs.get(key);
    if (d) yield d;
  }
}

function* scanIndex(coll: Collection, index: Index, combos: unknown[][], range: Range | null, backward: boolean, plan: Plan): Generator<Doc> {
  // A document with an array on an indexed path has several keys and must be read once.
  const seen = index.multikey ? new Set<string>() : null;
  for (const prefix of combos) {
    // A whole-key equality is a hash lookup; its ids are in insertion order, as the scan would give.
    const ids = range === null && prefix.length === index.fields.length ? index.lookupTuple(prefix) : index.scan(prefix, range, backward);
    for (const id of ids) {
      plan.keysExamined++;
      if (seen) {
        if (seen.has(id)) continue;
        seen.add(id);
      }
      const d = coll.docs.get(id);
      if (d) yield d;
    }
  }
}

/** The index a `hint` names ('natural' for { $natural: 1 }, null for no hint). */
function resolveHint(coll: Collection, hint: unknown): Index | '_id_' | 'natural' | null {
  if (hint === undefined || hint === null) return null;
  if (typeof hint === 'string') {
    if (hint === '_id_') return '_id_';
    const index = coll.indexes.get(hint);
    if (index) return index;
  } else if (isPlainObject(hint)) {
    const keys = Object.keys(hint);
    if (keys.length === 0) return null;
    if (keys.length === 1 && keys[0] === '$natural') return 'natural';
    if (keys.length === 1 && keys[0] === '_id' && hint._id === 1) return '_id_';
    for (const index of coll.indexes.values()) {
      const pattern = Object.keys(index.spec.key);
      if (pattern.length === keys.length && pattern.every((f, i) => keys[i] === f && index.spec.key[f] === hint[f])) return index;
    }
  }
  const names = ['_id_', ...coll.indexes.keys()].join(', ');
  throw badValue(
    `hint provided does not correspond to an existing index: option 'hint' is ${renderValue(hint)}, ` +
      `but ${coll.ns} has the indexes ${names}; name one of them or drop the hint`,
  );
}

/** Whether an equality on this value can be answered from an index's keys. */
function hashable(v: unknown): boolean {
  return v !== null && v !== undefined && !Array.isArray(v) && !isPlainObject(v) && !(v instanceof RegExp) && (v as { _bsontype?: string })?._bsontype !== 'BSONRegExp';
}

/** The index-usable conditions of a filter: top-level (and $and'ed) equalities, $in lists and ranges. */
function collectTerms(filter: Doc, into = new Map<string, Term>()): Map<string, Term> {
  for (const [path, cond] of Object.entries(filter)) {
    if (path === '$and' && Array.isArray(cond)) {
      for (const sub of cond) if (isPlainObject(sub)) collectTerms(sub, into);
      continue;
    }
    if (path.startsWith('$')) continue;
    const term: Term = into.get(path) ?? {};
    if (isPlainObject(cond) && Object.keys(cond).some((k) => k.startsWith('$'))) {
      for (const [op, v] of Object.entries(cond)) {
        if (op === '$eq' && hashable(v)) term.eq = v;
        else if (op === '$in' && Array.isArray(v) && v.length > 0 && v.every(hashable)) term.in = v;
        else if ((op === '$gt' || op === '$gte') && isRangeable(v)) term.lower = { v, incl: op === '$gte' };
        else if ((op === '$lt' || op === '$lte') && isRangeable(v)) term.upper = { v, incl: op === '$lte' };
      }
      if (term.lower && term.upper && typeRank(term.lower.v) !== typeRank(term.upper.v)) delete term.upper;
    } else if (hashable(cond)) term.eq = cond;
    into.set(path, term);
  }
  return into;
}
