// Write commands: insert, update, delete, findAndModify. Each command's changes are applied
// synchronously (so concurrent commands never interleave) and journaled as one record; the reply
// waits until that record is durable.
import { CommandError, type Doc, badValue, failedToParse } from '../errors.js';
import type { Collection } from '../collection.js';
import type { JournalOp } from '../journal-ops.js';
import { refuseLargeInsert, refuseLargeUpdate } from '../limits.js';
import { compileProjection } from '../projection.js';
import { applyUpdate, isOperatorUpdate, upsertSeed, type UpdateSpec, validateUpdate, withId } from '../update.js';
import { isPlainObject } from '../values.js';
import type { Collation } from '../collation.js';
import { type CommandContext, type CommandHandler, collectionName, docOpt, checkCollation } from './context.js';
import { selectDocs } from './select.js';

function writeError(index: number, err: unknown): Doc {
  if (err instanceof CommandError) return { index, code: err.code, errmsg: err.message, ...err.extra };
  return { index, code: 1, errmsg: (err as Error).message };
}

function docArray(cmd: Doc, key: string): Doc[] {
  const v = cmd[key];
  if (!Array.isArray(v) || !v.every(isPlainObject)) throw new CommandError(14, 'TypeMismatch', `'${key}' must be an array of documents`);
  return v;
}

const insert: CommandHandler = {
  options: ['insert', 'documents', 'ordered', 'bypassDocumentValidation'],
  run: async (cmd, db, ctx) => {
    const name = collectionName(cmd, 'insert');
    const docs = docArray(cmd, 'documents');
    const ordered = cmd.ordered !== false;
    const log: JournalOp[] = [];
    const coll = ctx.catalog.ensure(db, name, log);
    const writeErrors: Doc[] = [];
    let n = 0;
    for (const [i, raw] of docs.entries()) {
      try {
        refuseLargeInsert(raw);
        coll.insert(withId(raw), log, cmd.bypassDocumentValidation === true);
        n++;
      } catch (err) {
        writeErrors.push(writeError(i, err));
        if (ordered) break;
      }
    }
    await ctx.persist(log);
    return writeErrors.length > 0 ? { n, writeErrors, ok: 1 } : { n, ok: 1 };
  },
};

interface UpdateOutcome {
  matched: number;
  modified: number;
  upsertedId?: unknown;
  before: Doc | null;
  after: Doc | null;
}

/** One update statement against one collection; throws on the first error (e.g. E11000). */
function updateStatement(
  coll: Collection,
  filter: Doc,
  spec: UpdateSpec,
  opts: { multi: boolean; upsert: boolean; arrayFilters?: Doc[]; sort?: Doc; hint?: unknown; collation?: Collation | null; bypass: boolean },
  log: JournalOp[],
): UpdateOutcome {
  const targets = selectDocs(coll, filter, { sort: opts.sort, limit: opts.multi ? 0 : 1, hint: opts.hint, collation: opts.collation });
  let modified = 0;
  let before: Doc | null = null;
  let after: Doc | null = null;
  for (const doc of targets) {
    const r = applyUpdate(doc, spec, { filter, arrayFilters: opts.arrayFilters, inserting: false });
    before = doc;
    after = r.doc;
    if (r.changed) {
      refuseLargeUpdate(r.doc);
      coll.replace(doc, r.doc, log, opts.bypass);
      modified++;
    }
  }
  if (targets.length > 0 || !opts.upsert) return { matched: targets.length, modified, before, after };
  const seed = upsertSeed(filter);
  let doc: Doc;
  if (Array.isArray(spec) || isOperatorUpdate(spec)) {
    doc = withId(applyUpdate(seed, spec, { filter, arrayFilters: opts.arrayFilters, inserting: true }).doc);
  } else {
    doc = withId({ ...spec, _id: spec._id ?? seed._id });
  }
  refuseLargeUpdate(doc);
  coll.insert(doc, log, opts.bypass);
  return { matched: 0, modified: 0, upsertedId: doc._id, before: null, after: doc };
}

const REFUSED_STATEMENT = ['sort', 'c'];

const update: CommandHandler = {
  options: ['update', 'updates', 'ordered', 'bypassDocumentValidation', 'let'],
  run: async (cmd, db, ctx) => {
    if (cmd.let !== undefined) throw badValue("the embedded store does not support option 'let' of command 'update'");
    const name = collectionName(cmd, 'update');
    const statements = docArray(cmd, 'updates');
    const ordered = cmd.ordered !== false;
    const log: JournalOp[] = [];
    const writeErrors: Doc[] = [];
    const upserted: Doc[] = [];
    let n = 0;
    let nModified = 0;
    for (const [i, st] of statements.entries()) {
      try {
        for (const o of REFUSED_STATEMENT) if (st[o] !== undefined) throw badValue(`the embedded store does not support '${o}' in update statements`);
        const q = docOpt(st, 'q') ?? {};
        const spec = validateUpdate(st.u);
        const multi = st.multi === true;
        if (multi && !Array.isArray(spec) && !isOperatorUpdate(spec)) throw failedToParse('multi update is not supported for replacement-style update');
        const arrayFilters = st.arrayFilters === undefined ? undefined : docArray(st, 'arrayFilters');
        const coll = ctx.catalog.ensure(db, name, log);
        const r = updateStatement(
          coll,
          q,
          spec,
          { multi, upsert: st.upsert === true, arrayFilters, hint: st.hint, collation: checkCollation(st.collation), bypass: cmd.bypassDocumentValidation === true },
          log,
        );
        if (r.upsertedId !== undefined) {
          upserted.push({ index: i, _id: r.upsertedId });
          n++;
        } else {
          n += r.matched;
          nModified += r.modified;
        }
      } catch (err) {
        writeErrors.push(writeError(i, err));
        if (ordered) break;
      }
    }
    dropUnusedCreate(ctx, db, name, log);
    await ctx.persist(log);
    const reply: Doc = { n, nModified };
    if (upserted.length > 0) reply.upserted = upserted;
    if (writeErrors.length > 0) reply.writeErrors = writeErrors;
    reply.ok = 1;
    return reply;
  },
};

/** An update that matched nothing must not leave a new empty collection behind, as in mongod. */
function dropUnusedCreate(ctx: CommandContext, db: string, name: string, log: JournalOp[]): void {
  if (log.length === 1 && log[0].k === 'mkc') {
    ctx.catalog.drop(db, name, null);
    log.length = 0;
  }
}

const del: CommandHandler = {
  options: ['delete', 'deletes', 'ordered', 'let'],
  run: async (cmd, db, ctx) => {
    if (cmd.let !== undefined) throw badValue("the embedded store does not support option 'let' of command 'delete'");
    const name = collectionName(cmd, 'delete');
    const statements = docArray(cmd, 'deletes');
    const ordered = cmd.ordered !== false;
    const coll = ctx.catalog.get(db, name);
    const log: JournalOp[] = [];
    const writeErrors: Doc[] = [];
    let n = 0;
    for (const [i, st] of statements.entries()) {
      try {
        const limit = st.limit === undefined ? 0 : Number(st.limit);
        if (limit !== 0 && limit !== 1) throw failedToParse(`The limit field in delete objects must be 0 or 1. Got ${st.limit}`);
        const targets = selectDocs(coll, docOpt(st, 'q') ?? {}, { limit, hint: st.hint, collation: checkCollation(st.collation) });
        for (const d of targets) coll?.remove(d, log);
        n += targets.length;
      } catch (err) {
        writeErrors.push(writeError(i, err));
        if (ordered) break;
      }
    }
    await ctx.persist(log);
    return writeErrors.length > 0 ? { n, writeErrors, ok: 1 } : { n, ok: 1 };
  },
};

const findAndModify: CommandHandler = {
  options: ['findAndModify', 'findandmodify', 'query', 'sort', 'remove', 'update', 'new', 'fields', 'upsert', 'arrayFilters', 'bypassDocumentValidation', 'hint', 'collation', 'let'],
  run: async (cmd, db, ctx) => {
    if (cmd.let !== undefined) throw badValue("the embedded store does not support option 'let' of command 'findAndModify'");
    const name = collectionName(cmd, cmd.findAndModify !== undefined ? 'findAndModify' : 'findandmodify');
    const query = docOpt(cmd, 'query') ?? {};
    const sort = docOpt(cmd, 'sort');
    const shape = compileProjection(docOpt(cmd, 'fields'), query) ?? ((d: Doc) => d);
    const log: JournalOp[] = [];
    if (cmd.remove === true) {
      if (cmd.update !== undefined) throw failedToParse('Cannot specify both an update and remove=true');
      if (cmd.upsert === true) throw failedToParse('Cannot specify both upsert=true and remove=true');
      const coll = ctx.catalog.get(db, name);
      const target = selectDocs(coll, query, { sort, limit: 1, hint: cmd.hint, collation: checkCollation(cmd.collation) })[0];
      if (target) coll?.remove(target, log);
      await ctx.persist(log);
      return { lastErrorObject: { n: target ? 1 : 0 }, value: target ? shape(target) : null, ok: 1 };
    }
    if (cmd.update === undefined) throw failedToParse('Either an update or remove=true must be specified');
    const spec = validateUpdate(cmd.update);
    const arrayFilters = cmd.arrayFilters === undefined ? undefined : docArray(cmd, 'arrayFilters');
    const coll = ctx.catalog.ensure(db, name, log);
    let r: UpdateOutcome;
    try {
      r = updateStatement(
        coll,
        query,
        spec,
        { multi: false, upsert: cmd.upsert === true, arrayFilters, sort, hint: cmd.hint, collation: checkCollation(cmd.collation), bypass: cmd.bypassDocumentValidation === true },
        log,
      );
    } catch (err) {
      dropUnusedCreate(ctx, db, name, log);
      await ctx.persist(log);
      throw err;
    }
    dropUnusedCreate(ctx, db, name, log);
    await ctx.persist(log);
    const upserted = r.upsertedId !== undefined;
    const lastErrorObject: Doc = { n: upserted || r.matched > 0 ? 1 : 0, updatedExisting: r.matched > 0 };
    if (upserted) lastErrorObject.upserted = r.upsertedId;
    const value = cmd.new === true ? r.after : upserted ? null : r.before;
    return { lastErrorObject, value: value ? shape(value) : null, ok: 1 };
  },
};

export const writeCommands: Record<string, CommandHandler> = {
  insert,
  update,
  delete: del,
  findAndModify,
  findandmodify: findAndModify,
};

