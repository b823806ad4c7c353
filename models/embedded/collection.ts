// A collection: documents by canonical _id key (insertion order = natural order), its secondary
// indexes, unique enforcement, and a small planner that turns a filter into candidate documents.
import { CommandError, type Doc, DuplicateKeyError } from './errors.js';
import { Index, type IndexSpec } from './indexes.js';
import type { JournalOp } from './journal-ops.js';
import { isPlainObject, isRangeable, keyOf, renderValue, typeRank } from './values.js';

export const ID_INDEX: IndexSpec = { v: 2, key: { _id: 1 }, name: '_id_' };

export class Collection {
  readonly docs = new Map<string, Doc>();
  readonly indexes = new Map<string, Index>();

  constructor(
    readonly db: string,
    readonly name: string,
    readonly options: Doc = {},
  ) {}

  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  indexSpecs(): IndexSpec[] {
    return [ID_INDEX, ...[...this.indexes.values()].map((i) => i.spec)];
  }

  /** Throws MongoDB's E11000 error if `doc` would collide on _id or any unique index. */
  checkUnique(doc: Doc, selfId: string | null): void {
    const id = keyOf(doc._id);
    if (id !== selfId && this.docs.has(id)) {
      throw new DuplicateKeyError(this.ns, '_id_', { _id: 1 }, { _id: doc._id }, `{ _id: ${renderValue(doc._id)} }`);
    }
    for (const index of this.indexes.values()) {
      const tuple = index.conflict(doc, selfId);
      if (!tuple) continue;
      const keyValue: Doc = {};
      index.fields.forEach((f, i) => {
        keyValue[f] = tuple[i];
      });
      const rendered = `{ ${index.fields.map((f, i) => `${f}: ${renderValue(tuple[i])}`).join(', ')} }`;
      throw new DuplicateKeyError(this.ns, index.spec.name, { ...index.spec.key }, keyValue, rendered);
    }
  }

  /** Inserts without checks; callers check first (or are replaying a journal). */
  put(doc: Doc, log?: JournalOp[]): void {
    const id = keyOf(doc._id);
    const old = this.docs.get(id);
    if (old) for (const index of this.indexes.values()) index.remove(id, old);
    this.docs.set(id, doc);
    for (const index of this.indexes.values()) index.add(id, doc);
    log?.push({ k: 'put', d: this.db, c: this.name, doc });
  }

  insert(doc: Doc, log: JournalOp[]): void {
    this.checkUnique(doc, null);
    this.put(doc, log);
  }

  replace(oldDoc: Doc, newDoc: Doc, log: JournalOp[]): void {
    const id = keyOf(oldDoc._id);
    this.checkUnique(newDoc, id);
    this.put(newDoc, log);
  }

  remove(doc: Doc, log?: JournalOp[]): void {
    const id = keyOf(doc._id);
    if (!this.docs.delete(id)) return;
    for (const index of this.indexes.values()) index.remove(id, doc);
    log?.push({ k: 'del', d: this.db, c: this.name, id: doc._id });
  }

  /** Builds the index over existing documents; refuses (E11000) if a unique index would be violated. */
  addIndex(spec: IndexSpec, check: boolean): void {
    const index = new Index(spec);
    for (const [id, doc] of this.docs) {
      if (check) {
        const t = index.conflict(doc, id);
        if (t) {
          const keyValue: Doc = {};
          index.fields.forEach((f, i) => {
            keyValue[f] = t[i];
          });
          throw new DuplicateKeyError(
            this.ns,
            spec.name,
            { ...spec.key },
            keyValue,
            `{ ${index.fields.map((f, i) => `${f}: ${renderValue(t[i])}`).join(', ')} }`,
          );
        }
      }
      index.add(id, doc);
    }
    this.indexes.set(spec.name, index);
  }

  rebuildIndexes(): void {
    for (const index of this.indexes.values()) {
      index.clear();
      for (const [id, doc] of this.docs) index.add(id, doc);
    }
  }

  /**
   * Documents that may match `filter`, in natural order when no index narrows them. Always a
   * superset of the matches: the caller still tests each candidate with the full filter.
   */
  candidates(filter: Doc): Iterable<Doc> {
    const ids = this.plan(filter);
    if (ids === null) return this.docs.values();
    const out: Doc[] = [];
    const seen = new Set<string>();
    for (const id of ids) {
      if (seen.has(id)) continue;
      seen.add(id);
      const d = this.docs.get(id);
      if (d) out.push(d);
    }
    // Keep natural order for small candidate sets so unsorted results match a scan.
    return out;
  }

  private plan(filter: Doc): Iterable<string> | null {
    const terms = collectTerms(filter);
    if (terms.size === 0) return null;
    const idTerm = terms.get('_id');
    if (idTerm?.eq !== undefined) return [keyOf(idTerm.eq)];
    if (idTerm?.in) return idTerm.in.map(keyOf);
    let best: { score: number; ids: () => Iterable<string> } | null = null;
    for (const index of this.indexes.values()) {
      if (index.isPartial) continue;
      const first = terms.get(index.fields[0]);
      if (!first) continue;
      let candidate: { score: number; ids: () => Iterable<string> } | null = null;
      if (first.eq !== undefined) {
        const all = index.fields.map((f) => terms.get(f)?.eq);
        if (all.every((v) => v !== undefined) && index.fields.length > 1) {
          candidate = { score: 100 + index.fields.length, ids: () => index.lookupTuple(all) };
        } else candidate = { score: index.unique && index.fields.length === 1 ? 100 : 50, ids: () => index.lookupFirst(first.eq) };
      } else if (first.in) {
        const values = first.in;
        candidate = { score: 30, ids: () => values.flatMap((v) => [...index.lookupFirst(v)]) };
      } else if ((first.lower || first.upper) && !index.multikey) {
        candidate = { score: 10, ids: () => index.range(first.lower ?? null, first.upper ?? null) };
      }
      if (candidate && (!best || candidate.score > best.score)) best = candidate;
    }
    return best ? best.ids() : null;
  }
}

interface Term {
  eq?: unknown;
  in?: unknown[];
  lower?: { v: unknown; incl: boolean };
  upper?: { v: unknown; incl: boolean };
}

/** Whether an equality on this value can be answered from an index's hashed keys. */
function hashable(v: unknown): boolean {
  return v !== null && v !== undefined && !Array.isArray(v) && !isPlainObject(v) && !(v instanceof RegExp) && (v as { _bsontype?: string })?._bsontype !== 'BSONRegExp';
}

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
        else if (op === '$in' && Array.isArray(v) && v.every(hashable)) term.in = v;
        else if ((op === '$gt' || op === '$gte') && isRangeable(v)) term.lower = { v, incl: op === '$gte' };
        else if ((op === '$lt' || op === '$lte') && isRangeable(v)) term.upper = { v, incl: op === '$lte' };
      }
      if (term.lower && term.upper && typeRank(term.lower.v) !== typeRank(term.upper.v)) delete term.upper;
    } else if (hashable(cond)) term.eq = cond;
    into.set(path, term);
  }
  return into;
}

export function assertCollectionName(name: unknown): string {
  if (typeof name !== 'string' || name.length === 0 || name.includes('$') || name.includes('\0'))
    throw new CommandError(73, 'InvalidNamespace', `invalid collection name: ${JSON.stringify(name)}`);
  return name;
}
