// Databases and their collections, and the one place journal operations are applied (both live,
// via Collection methods, and on replay).
import { Collection } from './collection.js';
import type { Doc } from './errors.js';
import type { JournalOp } from './journal-ops.js';
import { keyOf } from './values.js';

export class Catalog {
  readonly dbs = new Map<string, Map<string, Collection>>();

  get(db: string, name: string): Collection | undefined {
    return this.dbs.get(db)?.get(name);
  }

  /** Returns the collection, creating it (and logging the creation) when it does not exist. */
  ensure(db: string, name: string, log: JournalOp[] | null, options: Doc = {}): Collection {
    let colls = this.dbs.get(db);
    if (!colls) {
      colls = new Map();
      this.dbs.set(db, colls);
    }
    let coll = colls.get(name);
    if (!coll) {
      coll = new Collection(db, name, options);
      colls.set(name, coll);
      log?.push({ k: 'mkc', d: db, c: name, o: options });
    }
    return coll;
  }

  drop(db: string, name: string, log: JournalOp[] | null): boolean {
    const colls = this.dbs.get(db);
    if (!colls?.delete(name)) return false;
    if (colls.size === 0) this.dbs.delete(db);
    log?.push({ k: 'rmc', d: db, c: name });
    return true;
  }

  dropDatabase(db: string, log: JournalOp[] | null): void {
    if (this.dbs.delete(db)) log?.push({ k: 'rmd', d: db });
  }

  /** Replays one journaled op; unique constraints are not re-checked (they held when logged). */
  replay(op: JournalOp): void {
    switch (op.k) {
      case 'put':
        this.ensure(op.d, op.c, null).put(op.doc);
        return;
      case 'del': {
        const coll = this.get(op.d, op.c);
        const doc = coll?.docs.get(keyOf(op.id));
        if (coll && doc) coll.remove(doc);
        return;
      }
      case 'mkc':
        this.ensure(op.d, op.c, null, op.o);
        return;
      case 'rmc':
        this.drop(op.d, op.c, null);
        return;
      case 'opt':
        this.get(op.d, op.c)?.setOptions(op.o);
        return;
      case 'rmd':
        this.dropDatabase(op.d, null);
        return;
      case 'mki': {
        const coll = this.ensure(op.d, op.c, null);
        if (!coll.indexes.has(op.spec.name)) coll.addIndex(op.spec, false);
        return;
      }
      case 'rmi':
        this.get(op.d, op.c)?.indexes.delete(op.n);
        return;
    }
  }

  /** Every op needed to rebuild the current state from nothing (the snapshot's content). */
  *dump(): Iterable<JournalOp> {
    for (const [d, colls] of this.dbs) {
      for (const [c, coll] of colls) {
        yield { k: 'mkc', d, c, o: coll.options };
        for (const index of coll.indexes.values()) yield { k: 'mki', d, c, spec: index.spec };
        for (const doc of coll.docs.values()) yield { k: 'put', d, c, doc };
      }
    }
  }
}
