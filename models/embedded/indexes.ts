// One secondary index: hashed tuple keys for equality, a sorted list of distinct first-field values
// for range scans, and unique/sparse/partial semantics as MongoDB defines them.
import { Query } from 'mingo';
import { CommandError, type Doc } from './errors.js';
import { compareValues, isRangeable, keyOf, typeRank, valuesAtPath } from './values.js';

export interface IndexSpec {
  v?: number;
  key: Doc;
  name: string;
  unique?: boolean;
  sparse?: boolean;
  partialFilterExpression?: Doc;
  [option: string]: unknown;
}

interface Entry {
  tuples: unknown[][];
  firsts: unknown[];
}

export class Index {
  readonly fields: string[];
  readonly unique: boolean;
  readonly partial: Query | null;
  /** Set once any document holds an array on an indexed path; range bounds then cannot be combined. */
  multikey = false;
  private readonly byTuple = new Map<string, Set<string>>();
  private readonly byFirst = new Map<string, Set<string>>();
  private readonly sortedFirsts: unknown[] = [];

  constructor(readonly spec: IndexSpec) {
    this.fields = Object.keys(spec.key);
    if (this.fields.length === 0) throw new CommandError(67, 'CannotCreateIndex', 'index key pattern must not be empty');
    for (const f of this.fields) {
      const dir = spec.key[f];
      if (dir !== 1 && dir !== -1)
        throw new CommandError(
          67,
          'CannotCreateIndex',
          `index '${spec.name}': the embedded store supports ascending/descending keys only, not ${JSON.stringify(dir)} on '${f}'`,
        );
    }
    this.unique = spec.unique === true;
    this.partial = spec.partialFilterExpression ? new Query(spec.partialFilterExpression) : null;
  }

  get isPartial(): boolean {
    return this.partial !== null;
  }

  private entry(doc: Doc): Entry | null {
    if (this.partial && !this.partial.test(doc)) return null;
    const perField = this.fields.map((f) => {
      const r = valuesAtPath(doc, f);
      if (r.multikey) this.multikey = true;
      return r.values;
    });
    if (this.spec.sparse && perField.every((vs) => vs.length === 1 && vs[0] === undefined)) return null;
    let tuples: unknown[][] = [[]];
    for (const vs of perField) tuples = tuples.flatMap((t) => vs.map((v) => [...t, v === undefined ? null : v]));
    return { tuples, firsts: perField[0].map((v) => (v === undefined ? null : v)) };
  }

  static tupleKey(t: unknown[]): string {
    return t.map(keyOf).join('\u0000');
  }

  /** The first tuple of `doc` already held by another document, if any. */
  conflict(doc: Doc, selfId: string | null): unknown[] | null {
    if (!this.unique) return null;
    const e = this.entry(doc);
    if (!e) return null;
    for (const t of e.tuples) {
      const ids = this.byTuple.get(Index.tupleKey(t));
      if (ids && (ids.size > 1 || (selfId === null ? ids.size > 0 : !ids.has(selfId)))) return t;
    }
    return null;
  }

  add(id: string, doc: Doc): void {
    const e = this.entry(doc);
    if (!e) return;
    for (const t of e.tuples) addTo(this.byTuple, Index.tupleKey(t), id);
    for (const v of e.firsts) {
      const k = keyOf(v);
      if (!this.byFirst.has(k) && isRangeable(v)) this.insertSorted(v);
      addTo(this.byFirst, k, id);
    }
  }

  remove(id: string, doc: Doc): void {
    const e = this.entry(doc);
    if (!e) return;
    for (const t of e.tuples) removeFrom(this.byTuple, Index.tupleKey(t), id);
    for (const v of e.firsts) {
      const k = keyOf(v);
      if (removeFrom(this.byFirst, k, id) && isRangeable(v)) this.removeSorted(v);
    }
  }

  clear(): void {
    this.byTuple.clear();
    this.byFirst.clear();
    this.sortedFirsts.length = 0;
    this.multikey = false;
  }

  lookupTuple(values: unknown[]): Iterable<string> {
    return this.byTuple.get(Index.tupleKey(values)) ?? [];
  }

  lookupFirst(value: unknown): Iterable<string> {
    return this.byFirst.get(keyOf(value)) ?? [];
  }

  /** Ids whose first indexed value lies within the bounds (same type bracket as the bounds). */
  *range(lower: { v: unknown; incl: boolean } | null, upper: { v: unknown; incl: boolean } | null): Iterable<string> {
    const probe = (lower ?? upper)!.v;
    let i = lower ? this.lowerBound(lower.v) : this.lowerBound(probe, true);
    for (; i < this.sortedFirsts.length; i++) {
      const v = this.sortedFirsts[i];
      if (typeRankDiffers(v, probe)) break;
      if (lower && !lower.incl && compareValues(v, lower.v) === 0) continue;
      if (upper) {
        const c = compareValues(v, upper.v);
        if (c > 0 || (c === 0 && !upper.incl)) break;
      }
      yield* this.byFirst.get(keyOf(v)) ?? [];
    }
  }

  private lowerBound(v: unknown, typeStart = false): number {
    let lo = 0;
    let hi = this.sortedFirsts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const m = this.sortedFirsts[mid];
      const before = typeStart ? typeRank(m) < typeRank(v) : compareValues(m, v) < 0;
      if (before) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private insertSorted(v: unknown): void {
    this.sortedFirsts.splice(this.lowerBound(v), 0, v);
  }

  private removeSorted(v: unknown): void {
    const i = this.lowerBound(v);
    if (i < this.sortedFirsts.length && compareValues(this.sortedFirsts[i], v) === 0) this.sortedFirsts.splice(i, 1);
  }
}

function typeRankDiffers(a: unknown, b: unknown): boolean {
  return typeRank(a) !== typeRank(b);
}

function addTo(m: Map<string, Set<string>>, k: string, id: string): void {
  let s = m.get(k);
  if (!s) {
    s = new Set();
    m.set(k, s);
  }
  s.add(id);
}

/** Returns true when the key no longer has any ids. */
function removeFrom(m: Map<string, Set<string>>, k: string, id: string): boolean {
  const s = m.get(k);
  if (!s) return false;
  s.delete(id);
  if (s.size === 0) {
    m.delete(k);
    return true;
  }
  return false;
}
