// One secondary index: hashed tuple keys for unique checks and full-key equality, the distinct
// tuples in index order for prefix/range scans and sorted reads, and unique/sparse/partial
// semantics as MongoDB defines them.
import { type Collation, foldFor, foldValue } from './collation.js';
import { Query } from './query.js';
import { CommandError, type Doc } from './errors.js';
import { SortedList } from './sorted-list.js';
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

// Key kinds mongod accepts besides 1/-1; the store keeps their definitions only (see `special`).
const SPECIAL_KINDS = new Set(['2d', '2dsphere', 'text', 'hashed']);

interface Entry {
  tuple: unknown[];
  ids: Set<string>;
}

/** Bounds on the field after an equality prefix, in value terms (not index direction). */
export interface Range {
  lower?: { v: unknown; incl: boolean };
  upper?: { v: unknown; incl: boolean };
}

export class Index {
  readonly fields: string[];
  /** 1 or -1 per field, as in the key pattern. */
  readonly dirs: number[];
  readonly unique: boolean;
  readonly sparse: boolean;
  readonly partial: Query | null;
  /** Per field: set once any document holds an array there; range bounds then cannot be combined. */
  readonly multikeyFields: boolean[];
  /**
   * A geo, text or hashed index: kept in the catalog (listIndexes, syncIndexes, drop) but holding
   * no entries, so the planner never serves a read from it; $near, $text and friends answer
   * their own clear error instead of a wrong result.
   */
  readonly special: boolean;
  /** Folds strings for a strength 1 or 2 collation (unique checks); such an index serves no reads. */
  readonly fold: ((s: string) => string) | null;
  /** Set once an indexed value is of a type the index orders by its key string, not as MongoDB sorts. */
  exotic = false;
  private readonly byTuple = new Map<string, Entry>();
  private readonly sorted: SortedList<Entry>;

  constructor(readonly spec: IndexSpec) {
    this.fields = Object.keys(spec.key);
    if (this.fields.length === 0) throw new CommandError(67, 'CannotCreateIndex', 'index key pattern must not be empty');
    for (const f of this.fields) {
      const dir = spec.key[f];
      if (dir !== 1 && dir !== -1 && !(typeof dir === 'string' && SPECIAL_KINDS.has(dir)))
        throw new CommandError(
          67,
          'CannotCreateIndex',
          `index '${spec.name}': the embedded store supports ascending/descending, ${[...SPECIAL_KINDS].join(', ')} keys, not ${JSON.stringify(dir)} on '${f}'`,
        );
    }
    this.special = this.fields.some((f) => typeof spec.key[f] === 'string');
    // mongod refuses uniqueness only on hashed keys; on geo and text keys the store keeps the flag (it holds no entries).
    if (this.fields.some((f) => spec.key[f] === 'hashed') && spec.unique === true)
      throw new CommandError(67, 'CannotCreateIndex', `index '${spec.name}': a hashed index cannot be unique; drop unique or index the field 1/-1`);
    this.dirs = this.fields.map((f) => spec.key[f] as number);
    this.multikeyFields = this.fields.map(() => false);
    this.unique = spec.unique === true;
    this.sparse = spec.sparse === true;
    this.partial = spec.partialFilterExpression ? new Query(spec.partialFilterExpression) : null;
    this.fold = foldFor((spec.collation as Collation | undefined) ?? null);
    this.sorted = new SortedList((a, b) => this.compareTuples(a.tuple, b.tuple));
  }

  /** An index with a non-simple collation orders and compares keys unlike a binary read would. */
  get collated(): boolean {
    return this.spec.collation !== undefined;
  }

  get isPartial(): boolean {
    return this.partial !== null;
  }

  get multikey(): boolean {
    return this.multikeyFields.some(Boolean);
  }

  /** Index order: field by field, each in its key pattern's direction. */
  private compareTuples(a: unknown[], b: unknown[]): number {
    for (let i = 0; i < a.length; i++) {
      const c = compareValues(a[i], b[i]);
      if (c !== 0) return c * this.dirs[i];
    }
    return 0;
  }

  private tuples(doc: Doc): unknown[][] | null {
    if (this.special) return null;
    if (this.partial && !this.partial.test(doc)) return null;
    const perField = this.fields.map((f, i) => {
      const r = valuesAtPath(doc, f);
      if (r.multikey) this.multikeyFields[i] = true;
      for (const v of r.values) if (v !== undefined && v !== null && !isRangeable(v)) this.exotic = true;
      const fold = this.fold;
      return fold ? r.values.map((v) => foldValue(v, fold)) : r.values;
    });
    if (this.sparse && perField.every((vs) => vs.length === 1 && vs[0] === undefined)) return null;
    let tuples: unknown[][] = [[]];
    for (const vs of perField) tuples = tuples.flatMap((t) => vs.map((v) => [...t, v === undefined ? null : v]));
    return tuples;
  }

  static tupleKey(t: unknown[]): string {
    return t.map(keyOf).join('\u0000');
  }

  /** The first tuple of `doc` already held by another document, if any. */
  conflict(doc: Doc, selfId: string | null): unknown[] | null {
    if (!this.unique) return null;
    for (const t of this.tuples(doc) ?? []) {
      const ids = this.byTuple.get(Index.tupleKey(t))?.ids;
      if (ids && (ids.size > 1 || (selfId === null ? ids.size > 0 : !ids.has(selfId)))) return t;
    }
    return null;
  }

  add(id: string, doc: Doc): void {
    for (const t of this.tuples(doc) ?? []) {
      const k = Index.tupleKey(t);
      let e = this.byTuple.get(k);
      if (!e) {
        e = { tuple: t, ids: new Set() };
        this.byTuple.set(k, e);
        this.sorted.insert(e);
      }
      e.ids.add(id);
    }
  }

  remove(id: string, doc: Doc): void {
    for (const t of this.tuples(doc) ?? []) {
      const k = Index.tupleKey(t);
      const e = this.byTuple.get(k);
      if (!e) continue;
      e.ids.delete(id);
      if (e.ids.size === 0) {
        this.byTuple.delete(k);
        this.sorted.remove(e);
      }
    }
  }

  lookupTuple(values: unknown[]): Iterable<string> {
    return this.byTuple.get(Index.tupleKey(values))?.ids ?? [];
  }

  /**
   * Ids of the entries whose leading fields equal `prefix` and whose next field lies within
   * `range` (same type bracket as the bounds, as MongoDB compares), in index order or its reverse.
   */
  *scan(prefix: unknown[], range: Range | null, backward: boolean): Generator<string> {
    const k = prefix.length;
    const probe = range ? (range.lower ?? range.upper)?.v : undefined;
    // -1 before the wanted stretch of the index, 0 inside, 1 after: monotone along the index.
    const position = (e: Entry): number => {
      const t = e.tuple;
      for (let i = 0; i < k; i++) {
        const c = compareValues(t[i], prefix[i]);
        if (c !== 0) return c * this.dirs[i];
      }
      if (!range || probe === undefined) return 0;
      const v = t[k];
      const d = this.dirs[k];
      const typeGap = typeRank(v) - typeRank(probe);
      if (typeGap !== 0) return Math.sign(typeGap) * d;
      if (range.lower) {
        const c = compareValues(v, range.lower.v);
        if (c < 0 || (c === 0 && !range.lower.incl)) return -d;
      }
      if (range.upper) {
        const c = compareValues(v, range.upper.v);
        if (c > 0 || (c === 0 && !range.upper.incl)) return d;
      }
      return 0;
    };
    const before = backward ? (e: Entry) => position(e) <= 0 : (e: Entry) => position(e) < 0;
    for (const e of this.sorted.walk(before, backward)) {
      if (position(e) !== 0) return;
      yield* e.ids;
    }
  }
}
