// createIndexes / listIndexes / dropIndexes, with mongod's conflict rules so mongoose's
// autoIndex and syncIndexes behave as they do against a real server.
import { ID_INDEX } from '../collection.js';
import { CommandError, type Doc, badValue } from '../errors.js';
import type { IndexSpec } from '../indexes.js';
import type { JournalOp } from '../journal-ops.js';
import { isPlainObject, keyOf } from '../values.js';
import { type CommandHandler, collectionName } from './context.js';
import { normalizeCollation } from '../collation.js';

const INDEX_OPTIONS = new Set(['key', 'name', 'unique', 'sparse', 'partialFilterExpression', 'background', 'expireAfterSeconds', 'v', 'hidden', 'collation']);
// Options of geo and text indexes: kept in the definition as given (the store serves no reads from them).
const SPECIAL_INDEX_OPTIONS = ['weights', 'default_language', 'language_override', 'textIndexVersion', '2dsphereIndexVersion', 'bits', 'min', 'max'];
for (const o of SPECIAL_INDEX_OPTIONS) INDEX_OPTIONS.add(o);

function defaultName(key: Doc): string {
  return Object.entries(key)
    .map(([k, v]) => `${k}_${v}`)
    .join('_');
}

function sameOptions(a: IndexSpec, b: IndexSpec): boolean {
  const norm = (s: IndexSpec) =>
    keyOf({ unique: s.unique === true, sparse: s.sparse === true, p: s.partialFilterExpression ?? null, ttl: s.expireAfterSeconds ?? null, c: s.collation ?? null });
  return norm(a) === norm(b);
}

const createIndexes: CommandHandler = {
  options: ['createIndexes', 'indexes', 'commitQuorum'],
  run: async (cmd, db, ctx) => {
    const name = collectionName(cmd, 'createIndexes');
    if (!Array.isArray(cmd.indexes) || cmd.indexes.length === 0) throw badValue("'indexes' must be a non-empty array");
    const log: JournalOp[] = [];
    const existed = ctx.catalog.get(db, name) !== undefined;
    const coll = ctx.catalog.ensure(db, name, log);
    const before = coll.indexes.size + 1;
    try {
      for (const raw of cmd.indexes as unknown[]) {
        if (!isPlainObject(raw) || !isPlainObject(raw.key)) throw badValue('each index must be a document with a key pattern');
        for (const k of Object.keys(raw))
          if (!INDEX_OPTIONS.has(k)) throw badValue(`the embedded store does not support the index option '${k}'; drop it or use a real MongoDB`);
        const spec: IndexSpec = { v: 2, key: raw.key, name: typeof raw.name === 'string' ? raw.name : defaultName(raw.key) };
        if (raw.unique === true) spec.unique = true;
        if (raw.sparse === true) spec.sparse = true;
        if (isPlainObject(raw.partialFilterExpression)) spec.partialFilterExpression = raw.partialFilterExpression;
        if (raw.expireAfterSeconds !== undefined) spec.expireAfterSeconds = Number(raw.expireAfterSeconds);
        if (raw.hidden === true) spec.hidden = true;
        // An index without a collation of its own takes the collection's default, as in mongod.
        const special = Object.values(raw.key).some((v) => typeof v === 'string');
        const collation = raw.collation === undefined ? (special ? null : (coll.options.collation ?? null)) : normalizeCollation(raw.collation);
        if (collation) spec.collation = collation;
        for (const o of SPECIAL_INDEX_OPTIONS) if (raw[o] !== undefined) spec[o] = raw[o];
        if (keyOf(spec.key) === keyOf(ID_INDEX.key)) continue;
        const sameName = coll.indexes.get(spec.name);
        if (sameName) {
          if (keyOf(sameName.spec.key) !== keyOf(spec.key))
            throw new CommandError(86, 'IndexKeySpecsConflict', `An existing index has the same name as the requested index. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(sameName.spec)}`);
          if (!sameOptions(sameName.spec, spec))
            throw new CommandError(85, 'IndexOptionsConflict', `An equivalent index already exists with the same name but different options. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(sameName.spec)}`);
          continue;
        }
        const sameKey = [...coll.indexes.values()].find((i) => keyOf(i.spec.key) === keyOf(spec.key) && sameOptions(i.spec, spec));
        if (sameKey)
          throw new CommandError(85, 'IndexOptionsConflict', `Index already exists with a different name: ${sameKey.spec.name}`);
        coll.addIndex(spec, true);
        log.push({ k: 'mki', d: db, c: name, spec });
      }
    } finally {
      await ctx.persist(log);
    }
    return { numIndexesBefore: before, numIndexesAfter: coll.indexes.size + 1, createdCollectionAutomatically: !existed, ok: 1 };
  },
};

const listIndexes: CommandHandler = {
  options: ['listIndexes', 'cursor'],
  run: (cmd, db, ctx) => {
    const name = collectionName(cmd, 'listIndexes');
    const coll = ctx.catalog.get(db, name);
    if (!coll) throw new CommandError(26, 'NamespaceNotFound', `ns does not exist: ${db}.${name}`);
    const batchSize = isPlainObject(cmd.cursor) ? (cmd.cursor.batchSize as number | undefined) : undefined;
    return { cursor: ctx.cursors.first(`${db}.$cmd.listIndexes.${name}`, coll.indexSpecs() as unknown as Doc[], batchSize), ok: 1 };
  },
};

const dropIndexes: CommandHandler = {
  options: ['dropIndexes', 'deleteIndexes', 'index'],
  run: async (cmd, db, ctx) => {
    const name = collectionName(cmd, cmd.dropIndexes !== undefined ? 'dropIndexes' : 'deleteIndexes');
    const coll = ctx.catalog.get(db, name);
    if (!coll) throw new CommandError(26, 'NamespaceNotFound', `ns not found ${db}.${name}`);
    const was = coll.indexes.size + 1;
    const which = cmd.index;
    let names: string[];
    if (which === '*') names = [...coll.indexes.keys()];
    else if (typeof which === 'string') names = [which];
    else if (Array.isArray(which)) names = which.map(String);
    else if (isPlainObject(which)) {
      const found = [...coll.indexes.values()].find((i) => keyOf(i.spec.key) === keyOf(which));
      if (!found) throw new CommandError(27, 'IndexNotFound', `can't find index with key: ${JSON.stringify(which)}`);
      names = [found.spec.name];
    } else throw badValue("'index' must be '*', a name, an array of names or a key pattern");
    for (const n of names) {
      if (n === '_id_') throw new CommandError(72, 'InvalidOptions', 'cannot drop _id index');
      if (!coll.indexes.has(n)) throw new CommandError(27, 'IndexNotFound', `index not found with name [${n}]`);
    }
    const log: JournalOp[] = [];
    for (const n of names) {
      coll.indexes.delete(n);
      log.push({ k: 'rmi', d: db, c: name, n });
    }
    await ctx.persist(log);
    return { nIndexesWas: was, ok: 1 };
  },
};

export const indexCommands: Record<string, CommandHandler> = { createIndexes, listIndexes, dropIndexes, deleteIndexes: dropIndexes };
