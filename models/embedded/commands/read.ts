// Read commands: find with real cursors, getMore, count, distinct and aggregate.
import { Long } from 'bson';
import { Aggregator } from '../query.js';
import { CommandError, type Doc, badValue, invalidOptions } from '../errors.js';
import { cloneDoc, distinctValues, isPlainObject, valuesAtPath } from '../values.js';
import { type CommandHandler, collectionName, docOpt, numOpt, checkCollation } from './context.js';
import { compileProjection } from '../projection.js';
import type { Collation } from '../collation.js';
import { explainAggregate } from './explain.js';
import { type SelectOptions, selectDocs } from './select.js';

const REFUSED_FIND = ['min', 'max', 'returnKey', 'showRecordId', 'tailable', 'awaitData', 'oplogReplay', 'let'];

export interface FindRequest {
  name: string;
  filter: Doc | undefined;
  select: SelectOptions;
  batchSize: number | undefined;
  single: boolean;
}

/** Reads and checks a find command's options (shared with explain). */
export function parseFind(cmd: Doc): FindRequest {
  for (const o of REFUSED_FIND) if (cmd[o] !== undefined && cmd[o] !== false) throw invalidOptions('find', o);
  const name = collectionName(cmd, 'find');
  const skip = numOpt(cmd, 'skip') ?? 0;
  const rawLimit = numOpt(cmd, 'limit') ?? 0;
  if (skip < 0) throw badValue('skip value must be non-negative');
  const batchSize = numOpt(cmd, 'batchSize');
  if (batchSize !== undefined && batchSize < 0) throw badValue('batchSize value must be non-negative');
  return {
    name,
    filter: docOpt(cmd, 'filter'),
    select: { sort: docOpt(cmd, 'sort'), skip, limit: Math.abs(rawLimit), hint: cmd.hint, collation: checkCollation(cmd.collation) },
    batchSize,
    single: cmd.singleBatch === true || rawLimit < 0,
  };
}

export const find: CommandHandler = {
  options: ['find', 'filter', 'sort', 'projection', 'skip', 'limit', 'batchSize', 'singleBatch', 'hint', 'noCursorTimeout', 'allowDiskUse', 'allowPartialResults', 'collation', ...REFUSED_FIND],
  run: (cmd, db, ctx) => {
    const req = parseFind(cmd);
    const shape = compileProjection(docOpt(cmd, 'projection'), req.filter);
    const docs = selectDocs(ctx.catalog.get(db, req.name), req.filter, req.select);
    const cursor = ctx.cursors.first(`${db}.${req.name}`, docs, req.batchSize, {
      single: req.single,
      noTimeout: cmd.noCursorTimeout === true,
      shape,
    });
    return { cursor, ok: 1 };
  },
};

const getMore: CommandHandler = {
  options: ['getMore', 'collection', 'batchSize', 'maxTimeMS'],
  run: (cmd, db, ctx) => {
    const id = cmd.getMore;
    if (typeof id !== 'number' && !(id instanceof Long)) throw new CommandError(14, 'TypeMismatch', 'getMore cursor id must be a long');
    const coll = collectionName(cmd, 'collection');
    return { cursor: ctx.cursors.getMore(id, `${db}.${coll}`, numOpt(cmd, 'batchSize')), ok: 1 };
  },
};

const count: CommandHandler = {
  options: ['count', 'query', 'limit', 'skip', 'hint', 'collation', 'fields'],
  run: (cmd, db, ctx) => {
    const name = collectionName(cmd, 'count');
    const coll = ctx.catalog.get(db, name);
    const query = docOpt(cmd, 'query');
    const skip = Math.max(0, numOpt(cmd, 'skip') ?? 0);
    const limit = Math.abs(numOpt(cmd, 'limit') ?? 0);
    let n: number;
    if ((!query || Object.keys(query).length === 0) && cmd.hint === undefined) {
      n = Math.max(0, (coll?.docs.size ?? 0) - skip);
      if (limit > 0) n = Math.min(n, limit);
    } else n = selectDocs(coll, query, { skip, limit, hint: cmd.hint, collation: checkCollation(cmd.collation) }).length;
    return { n, ok: 1 };
  },
};

const distinct: CommandHandler = {
  options: ['distinct', 'key', 'query', 'collation', 'hint'],
  run: (cmd, db, ctx) => {
    const name = collectionName(cmd, 'distinct');
    if (typeof cmd.key !== 'string') throw new CommandError(14, 'TypeMismatch', "distinct 'key' must be a string");
    const key = cmd.key;
    const docs = selectDocs(ctx.catalog.get(db, name), docOpt(cmd, 'query'), { hint: cmd.hint, collation: checkCollation(cmd.collation) });
    const values = docs.flatMap((d) => valuesAtPath(d, key).values.filter((v) => v !== undefined));
    return { values: distinctValues(values), ok: 1 };
  },
};

const REFUSED_STAGES = new Set(['$out', '$merge', '$changeStream', '$collStats', '$indexStats', '$currentOp', '$listSessions', '$planCacheStats', '$search', '$searchMeta', '$geoNear', '$listLocalSessions']);

/** The collection, pipeline and hint of an aggregate, checked as mongod checks them. */
export function parseAggregate(cmd: Doc): { name: string; pipeline: Doc[]; hint: unknown } {
  if (cmd.let !== undefined) throw invalidOptions('aggregate', 'let');
  if (typeof cmd.aggregate !== 'string')
    throw badValue('the embedded store supports collection aggregates only, not database-level ones ({ aggregate: 1 })');
  if (!Array.isArray(cmd.pipeline)) throw new CommandError(14, 'TypeMismatch', "'pipeline' must be an array");
  const pipeline = cmd.pipeline as Doc[];
  for (const stage of pipeline) {
    const op = isPlainObject(stage) ? Object.keys(stage)[0] : undefined;
    if (!op) throw badValue('each pipeline stage must be a document with one stage operator');
    if (REFUSED_STAGES.has(op)) throw badValue(`the embedded store does not support the ${op} aggregation stage`);
  }
  return { name: cmd.aggregate, pipeline, hint: cmd.hint };
}

const aggregate: CommandHandler = {
  options: ['aggregate', 'pipeline', 'cursor', 'allowDiskUse', 'hint', 'collation', 'explain', 'let', 'bypassDocumentValidation'],
  run: (cmd, db, ctx) => {
    // { aggregate, explain: true } is the older spelling of explain { aggregate } at queryPlanner.
    if (cmd.explain) {
      const inner = { ...cmd };
      delete inner.explain;
      return explainAggregate(inner, db, ctx, 'queryPlanner');
    }
    const { name, pipeline } = parseAggregate(cmd);
    const coll0 = ctx.catalog.get(db, name);
    const given = checkCollation(cmd.collation);
    const collation = given === undefined ? ((coll0?.options.collation as Collation | undefined) ?? null) : given;
    const cursorOpt = docOpt(cmd, 'cursor');
    if (!cursorOpt) throw new CommandError(9, 'FailedToParse', "The 'cursor' option is required, except for aggregate with the explain argument");
    const coll = ctx.catalog.get(db, name);
    let rest = pipeline;
    let input: Doc[];
    const first = pipeline[0];
    if (first && isPlainObject(first.$match)) {
      input = selectDocs(coll, first.$match as Doc, { hint: cmd.hint, collation });
      rest = pipeline.slice(1);
    } else input = cmd.hint === undefined ? [...(coll?.docs.values() ?? [])] : selectDocs(coll, undefined, { hint: cmd.hint });
    // mingo writes into its inputs ($addFields on nested paths, projections): give it copies.
    const cache = new Map<string, Doc[]>();
    const resolver = (other: string) => {
      let docs = cache.get(other);
      if (!docs) {
        docs = [...(ctx.catalog.get(db, other)?.docs.values() ?? [])].map(cloneDoc);
        cache.set(other, docs);
      }
      return docs;
    };
    let out: Doc[];
    try {
      out = new Aggregator(rest, { collectionResolver: resolver, ...(collation ? { collation: { ...collation, locale: collation.locale.replace(/_/g, '-') } as never } : {}) }).run(input.map(cloneDoc)) as Doc[];
    } catch (err) {
      throw badValue((err as Error).message);
    }
    return { cursor: ctx.cursors.first(`${db}.${name}`, out, numOpt(cursorOpt, 'batchSize')), ok: 1 };
  },
};

export const readCommands: Record<string, CommandHandler> = { find, getMore, count, distinct, aggregate };
