// Reading documents for every command: plan, test each candidate against the filter, then sort,
// skip and limit. When the plan already yields the sort order, reading stops once skip + limit
// matches are found, so a sorted, limited find on an indexed path examines only what it returns.
import type { Query } from '../query.js';
import { compare as mingoCompare } from 'mingo/util';
import type { Collection } from '../collection.js';
import { type Doc, badValue } from '../errors.js';
import { type Plan, planQuery } from '../planner.js';
import { compareValues, isPlainObject, isRangeable, keyOf, typeRank, valuesAtPath } from '../values.js';
import { compileFilter } from './context.js';
import { type NearQuery, extractNear } from '../geo.js';
import { type TextSearch, extractText } from '../text.js';
import { type Collation, foldFilter, foldFor, foldValue, stringComparator } from '../collation.js';

export interface SelectOptions {
  sort?: Doc;
  skip?: number;
  /** 0 or absent: no limit. */
  limit?: number;
  hint?: unknown;
  /** undefined: the collection's default collation; null: binary ({ locale: 'simple' }). */
  collation?: Collation | null;
  /** Filled with each selected document's textScore when the filter has a $text. */
  scores?: Map<Doc, number>;
}

/** What a selection did, for explain. */
export interface SelectStats {
  plan: Plan | null;
  docsExamined: number;
}

export function selectDocs(coll: Collection | undefined, filter: Doc | undefined, opts: SelectOptions = {}, stats?: SelectStats): Doc[] {
  const geo = filter ? extractNear(filter, (path) => geoIndexKind(coll, path)) : null;
  if (geo) return selectNear(coll, geo.rest, geo.near, opts, stats);
  const text = filter && coll ? extractText(filter, () => [...(coll?.indexes.values() ?? [])].filter((i) => Object.values(i.spec.key).includes('text'))) : null;
  if (text) return coll ? selectText(coll, text.rest, text.search, opts, stats) : [];
  const collation = opts.collation === undefined ? ((coll?.options.collation as Collation | undefined) ?? null) : opts.collation;
  if (collation) return selectCollated(coll, filter, collation, opts, stats);
  const test = (filter && scalarEquality(filter)) ?? queryTest(compileFilter(filter));
  const sort = validSort(opts.sort);
  const skip = opts.skip ?? 0;
  const limit = opts.limit ?? 0;
  if (!coll) return [];
  const plan = planQuery(coll, filter ?? {}, sort, opts.hint);
  if (stats) stats.plan = plan;
  const out: Doc[] = [];
  let examined = 0;
  if (plan.sorted) {
    let skipped = 0;
    for (const d of plan.docs()) {
      examined++;
      if (!test(d)) continue;
      if (skipped < skip) {
        skipped++;
        continue;
      }
      out.push(d);
      if (limit > 0 && out.length >= limit) break;
    }
    if (stats) stats.docsExamined = examined;
    return out;
  }
  for (const d of plan.docs()) {
    examined++;
    if (test(d)) out.push(d);
  }
  if (stats) stats.docsExamined = examined;
  const sorted = sortDocs(out, sort);
  return skip > 0 || limit > 0 ? sorted.slice(skip, limit > 0 ? skip + limit : undefined) : sorted;
}

/** The kind of the geo index on `path` ('2d' or '2dsphere'), if the collection has one. */
function geoIndexKind(coll: Collection | undefined, path: string): string | undefined {
  for (const index of coll?.indexes.values() ?? []) {
    const kind = index.spec.key[path];
    if (kind === '2d' || kind === '2dsphere') return kind;
  }
  return undefined;
}

/**
 * Under a collation every document is tested (indexes hold binary keys): strings of the filter
 * and of each document are folded for strength 1 and 2, and sorts order strings by the locale.
 */
function selectCollated(coll: Collection | undefined, filter: Doc | undefined, collation: Collation, opts: SelectOptions, stats?: SelectStats): Doc[] {
  const fold = foldFor(collation);
  const q = compileFilter(fold && filter ? foldFilter(filter, fold) : filter);
  const out: Doc[] = [];
  let examined = 0;
  for (const d of coll?.docs.values() ?? []) {
    examined++;
    if (q.test(fold ? (foldValue(d, fold) as Doc) : d)) out.push(d);
  }
  if (stats && coll) {
    stats.plan = planQuery(coll, {}, undefined, undefined);
    stats.docsExamined = examined;
  }
  const sorted = sortDocs(out, opts.sort, stringComparator(collation));
  const skip = opts.skip ?? 0;
  const limit = opts.limit ?? 0;
  return skip > 0 || limit > 0 ? sorted.slice(skip, limit > 0 ? skip + limit : undefined) : sorted;
}

/** $text: the other conditions, then the search; a { $meta: 'textScore' } sort key orders by score, highest first. */
function selectText(coll: Collection | undefined, rest: Doc, search: TextSearch, opts: SelectOptions, stats?: SelectStats): Doc[] {
  const { sort, skip, limit } = opts;
  const scores = opts.scores ?? new Map<Doc, number>();
  const matches: Doc[] = [];
  for (const d of selectDocs(coll, rest, { hint: opts.hint, collation: opts.collation }, stats)) {
    const score = search.score(d);
    if (score === null) continue;
    scores.set(d, score);
    matches.push(d);
  }
  const ordered = sort ? [...matches].sort(textSortComparator(sort, scores)) : matches;
  const from = skip ?? 0;
  return from > 0 || (limit ?? 0) > 0 ? ordered.slice(from, limit ? from + limit : undefined) : ordered;
}

/** Orders by a sort spec whose keys may be { $meta: 'textScore' } (score, highest first). */
export function textSortComparator(sort: Doc, scores: Map<Doc, number>): (a: Doc, b: Doc) => number {
  const parts = Object.entries(sort).map(([k, v]) => {
    if (isPlainObject(v) && v.$meta === 'textScore') return (a: Doc, b: Doc) => (scores.get(b) ?? 0) - (scores.get(a) ?? 0);
    const cmp = sortComparator({ [k]: v });
    return cmp;
  });
  return (a, b) => {
    for (const p of parts) {
      const c = p(a, b);
      if (c !== 0) return c;
    }
    return 0;
  };
}

/** $near/$nearSphere: the other conditions, then the distance bounds, nearest first unless a sort is asked for. */
function selectNear(coll: Collection | undefined, rest: Doc, near: NearQuery, opts: SelectOptions, stats?: SelectStats): Doc[] {
  const matches = selectDocs(coll, rest, { hint: opts.hint, collation: opts.collation }, stats);
  const withDistance: { d: Doc; dist: number }[] = [];
  for (const d of matches) {
    const dist = near.distance(d);
    if (dist !== null && dist >= near.min && dist <= near.max) withDistance.push({ d, dist });
  }
  withDistance.sort((a, b) => a.dist - b.dist);
  const ordered = sortDocs(
    withDistance.map((x) => x.d),
    opts.sort,
  );
  const skip = opts.skip ?? 0;
  const limit = opts.limit ?? 0;
  return skip > 0 || limit > 0 ? ordered.slice(skip, limit > 0 ? skip + limit : undefined) : ordered;
}

function queryTest(q: Query): (d: Doc) => boolean {
  return (d) => q.test(d);
}

/** The sort spec if it asks for an order, after checking it as mongod does. */
function validSort(sort: Doc | undefined): Doc | undefined {
  if (!sort || Object.keys(sort).length === 0) return undefined;
  for (const [k, v] of Object.entries(sort)) {
    if (v !== 1 && v !== -1) {
      if (isPlainObject(v) && v.$meta) throw badValue(`the embedded store does not support $meta sort on '${k}'`);
      throw badValue(`$sort key ordering must be 1 (for ascending) or -1 (for descending), got ${JSON.stringify(v)} for '${k}'`);
    }
  }
  return sort;
}

/**
 * Sorts as mongod does: an array field sorts by its smallest element ascending and its largest
 * descending, an empty array before null, a missing field as null (mingo compares whole arrays,
 * which orders them differently). Stable: ties keep their input order.
 */
export function sortDocs(docs: Doc[], sort: Doc | undefined, strings?: (a: string, b: string) => number): Doc[] {
  const spec = validSort(sort);
  if (!spec) return docs;
  const keys = Object.entries(spec) as [string, number][];
  const keyed = docs.map((d) => ({ d, k: sortKeys(d, keys, strings) }));
  keyed.sort((a, b) => compareKeys(a.k, b.k, keys, strings));
  return keyed.map((x) => x.d);
}

/** Orders two documents as `sortDocs` would; 0 for ties. */
export function sortComparator(sort: Doc): (a: Doc, b: Doc) => number {
  const keys = Object.entries(validSort(sort) ?? {}) as [string, number][];
  return (a, b) => compareKeys(sortKeys(a, keys), sortKeys(b, keys), keys);
}

/** Sorts before null, as an empty array does in mongod. */
const EMPTY_ARRAY = Symbol('empty array');

function sortKeys(d: Doc, keys: [string, number][], strings?: (a: string, b: string) => number): unknown[] {
  return keys.map(([path, dir]) => sortKey(d, path, dir, strings));
}

function compareKeys(a: unknown[], b: unknown[], keys: [string, number][], strings?: (a: string, b: string) => number): number {
  for (let i = 0; i < keys.length; i++) {
    const c = compareForSort(a[i], b[i], strings);
    if (c !== 0) return c * keys[i][1];
  }
  return 0;
}

function sortKey(d: Doc, path: string, dir: number, strings?: (a: string, b: string) => number): unknown {
  if (isEmptyArrayAt(d, path)) return EMPTY_ARRAY;
  let best: unknown = null;
  let first = true;
  for (const raw of valuesAtPath(d, path).values) {
    const v = raw === undefined ? null : raw;
    if (first || compareForSort(v, best, strings) * dir < 0) best = v;
    first = false;
  }
  return best;
}

function isEmptyArrayAt(d: Doc, path: string): boolean {
  let v: unknown = d;
  for (const part of path.split('.')) {
    if (!isPlainObject(v)) return false;
    v = v[part];
  }
  return Array.isArray(v) && v.length === 0;
}

/** The index order (compareValues) wherever it is exact, so index-ordered reads agree with it. */
function compareForSort(a: unknown, b: unknown, strings?: (a: string, b: string) => number): number {
  if (a === EMPTY_ARRAY || b === EMPTY_ARRAY) return a === b ? 0 : a === EMPTY_ARRAY ? -1 : 1;
  if (strings && typeof a === 'string' && typeof b === 'string') return strings(a, b);
  if (typeRank(a) === typeRank(b) && a !== null && !isRangeable(a)) return mingoCompare(a as never, b as never);
  return compareValues(a, b);
}

/**
 * For filters made only of top-level equalities on scalars (the hot path: by _id, by a unique
 * key) a direct predicate with MongoDB's semantics (arrays match by element); compiling a mingo
 * Query copies its whole operator table, which dominated indexed lookups.
 */
function scalarEquality(filter: Doc): ((d: Doc) => boolean) | null {
  const entries = Object.entries(filter);
  if (entries.length === 0 || entries.length > 4) return null;
  for (const [k, v] of entries) {
    if (k.startsWith('$') || !isScalar(v)) return null;
  }
  const wanted = entries.map(([k, v]) => [k, keyOf(v)] as const);
  return (d) => wanted.every(([k, key]) => valuesAtPath(d, k).values.some((x) => x !== undefined && keyOf(x) === key));
}

function isScalar(v: unknown): boolean {
  if (v === null || v === undefined) return false;
  const t = typeof v;
  if (t === 'string' || t === 'number' || t === 'boolean') return true;
  if (v instanceof Date) return true;
  const tag = (v as { _bsontype?: string })._bsontype;
  return tag === 'ObjectId' || tag === 'Long' || tag === 'Int32' || tag === 'Double';
}
