// A collection: documents by canonical _id key (insertion order = natural order), its secondary
// indexes and unique enforcement; planner.ts turns a filter into candidate documents.
import { calculateObjectSize } from 'bson';
import { CommandError, type Doc, DuplicateKeyError } from './errors.js';
import { Index, type IndexSpec } from './indexes.js';
import type { JournalOp } from './journal-ops.js';
import { planQuery } from './planner.js';
import { Query } from './query.js';
import { keyOf, renderValue } from './values.js';

export const ID_INDEX: IndexSpec = { v: 2, key: { _id: 1 }, name: '_id_' };

export class Collection {
  readonly docs = new Map<string, Doc>();
  readonly indexes = new Map<string, Index>();
  private validator: Query | null = null;
  /** BSON bytes of all documents, kept only for capped collections (their size bound). */
  private cappedBytes = 0;

  constructor(
    readonly db: string,
    readonly name: string,
    public options: Doc = {},
  ) {
    this.setOptions(options);
  }

  /** Replaces the collection options (create, collMod), recompiling the validator. */
  setOptions(options: Doc): void {
    this.validator = options.validator && Object.keys(options.validator as Doc).length > 0 ? new Query(options.validator as Doc) : null;
    this.options = options;
  }

  get capped(): boolean {
    return this.options.capped === true;
  }

  /**
   * mongod's document validation: with validationLevel 'moderate' an update of a document that
   * already failed the rules is let through; validationAction 'warn' lets everything through.
   */
  validate(doc: Doc, before: Doc | null): void {
    if (!this.validator || this.options.validationLevel === 'off' || this.options.validationAction === 'warn') return;
    if (this.validator.test(doc)) return;
    if (before && this.options.validationLevel === 'moderate' && !this.validator.test(before)) return;
    throw new CommandError(121, 'DocumentValidationFailure', 'Document failed validation', {
      errInfo: { failingDocumentId: doc._id, details: { operatorName: Object.keys(this.options.validator as Doc)[0] ?? '$and', schemaRulesNotSatisfied: [] } },
    });
  }

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
      if (tuple) throw this.duplicateKey(index, tuple);
    }
  }

  private duplicateKey(index: Index, tuple: unknown[]): DuplicateKeyError {
    const keyValue: Doc = {};
    index.fields.forEach((f, i) => {
      keyValue[f] = tuple[i];
    });
    const rendered = `{ ${index.fields.map((f, i) => `${f}: ${renderValue(tuple[i])}`).join(', ')} }`;
    return new DuplicateKeyError(this.ns, index.spec.name, { ...index.spec.key }, keyValue, rendered);
  }

  /** Inserts without checks; callers check first (or are replaying a journal). */
  put(doc: Doc, log?: JournalOp[]): void {
    const id = keyOf(doc._id);
    const old = this.docs.get(id);
    if (old) for (const index of this.indexes.values()) index.remove(id, old);
    this.docs.set(id, doc);
    for (const index of this.indexes.values()) index.add(id, doc);
    if (this.capped) this.cappedBytes += calculateObjectSize(doc) - (old ? calculateObjectSize(old) : 0);
    log?.push({ k: 'put', d: this.db, c: this.name, doc });
  }

  insert(doc: Doc, log: JournalOp[], bypassValidation = false): void {
    if (!bypassValidation) this.validate(doc, null);
    this.checkUnique(doc, null);
    this.put(doc, log);
    if (this.capped) this.trimCapped(log);
  }

  replace(oldDoc: Doc, newDoc: Doc, log: JournalOp[], bypassValidation = false): void {
    if (!bypassValidation) this.validate(newDoc, oldDoc);
    const id = keyOf(oldDoc._id);
    this.checkUnique(newDoc, id);
    this.put(newDoc, log);
  }

  /** A capped collection drops its oldest documents (natural order) once over `max` or `size` bytes. */
  private trimCapped(log: JournalOp[]): void {
    const max = Number(this.options.max ?? 0);
    const size = Number(this.options.size ?? 0);
    for (const oldest of this.docs.values()) {
      if (this.docs.size <= 1) return;
      if (!((max > 0 && this.docs.size > max) || (size > 0 && this.cappedBytes > size))) return;
      this.remove(oldest, log);
    }
  }

  remove(doc: Doc, log?: JournalOp[]): void {
    const id = keyOf(doc._id);
    if (!this.docs.delete(id)) return;
    for (const index of this.indexes.values()) index.remove(id, doc);
    if (this.capped) this.cappedBytes -= calculateObjectSize(doc);
    log?.push({ k: 'del', d: this.db, c: this.name, id: doc._id });
  }

  /** Builds the index over existing documents; refuses (E11000) if a unique index would be violated. */
  addIndex(spec: IndexSpec, check: boolean): void {
    const index = new Index(spec);
    for (const [id, doc] of this.docs) {
      const tuple = check ? index.conflict(doc, id) : null;
      if (tuple) throw this.duplicateKey(index, tuple);
      index.add(id, doc);
    }
    this.indexes.set(spec.name, index);
  }

  /**
   * Documents that may match `filter`, read through the best index when one narrows them. Always
   * a superset of the matches: the caller still tests each candidate with the full filter.
   */
  candidates(filter: Doc): Iterable<Doc> {
    return planQuery(this, filter).docs();
  }
}
