// Read commands: find with real cursors, getMore, count, distinct and aggregate.
import { Long } from 'bson';
import { Aggregator, isPipelineStage } from '../query.js';
import { CommandError, type Doc, badValue, invalidOptions } from '../errors.js';
import { cloneDoc, distinctValues, isPlainObject, valuesAtPath } from '../values.js';
import { type CommandContext, type CommandHandler, collectionName, docOpt, numOpt, checkCollation } from './context.js';
import type { JournalOp } from '../journal-ops.js';
import { withId } from '../update.js';
import { compileProjection, topLevelInclusion } from '../projection.js';
import type { Collation } from '../collation.js';
import { explainAggregate } from './explain.js';
import { type SelectOptions, selectDocs, textSortComparator } from './select.js';

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
    const scores = req.filter && '$text' in req.filter ? new Map<Doc, number>() : undefined;
    const shape = compileProjection(docOpt(cmd, 'projection'), req.filter, scores);
    const docs = selectDocs(ctx.catalog.get(db, req.name), req.filter, { ...req.select, scores });
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
    if (typeof id !== 'number' && typeof id !== 'bigint' && !(id instanceof Long)) throw new CommandError(14, 'TypeMismatch', 'getMore cursor id must be a long');
    const coll = collectionName(cmd, 'collection');
    return { cursor: ctx.cursors.getMore(typeof id === 'bigint' ? Long.fromBigInt(id) : id, `${db}.${coll}`, numOpt(cmd, 'batchSize')), ok: 1 };
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

const REFUSED_STAGES = new Set(['$merge', '$changeStream', '$collStats', '$indexStats', '$currentOp', '$listSessions', '$planCacheStats', '$search', '$searchMeta', '$geoNear', '$listLocalSessions']);

/** The collection, pipeline and hint of an aggregate, checked as mongod checks them. */
export function parseAggregate(cmd: Doc): { name: string; pipeline: Doc[]; hint: unknown } {
  if (cmd.let !== undefined) throw invalidOptions('aggregate', 'let');
  if (!Array.isArray(cmd.pipeline)) throw new CommandError(14, 'TypeMismatch', "'pipeline' must be an array");
  const pipeline = cmd.pipeline as Doc[];
  // A database-level aggregate ({ aggregate: 1 }) reads no collection: it must start with $documents.
  const dbLevel = cmd.aggregate === 1;
  if (typeof cmd.aggregate !== 'string' && !dbLevel) throw new CommandError(14, 'TypeMismatch', "'aggregate' must be a collection name or 1");
  if (dbLevel && !(isPlainObject(pipeline[0]) && '$documents' in pipeline[0]))
    throw badValue('a database-level aggregate ({ aggregate: 1 }) must start with $documents here; $currentOp and $listLocalSessions are not supported');
  pipeline.forEach((stage, i) => {
    const op = isPlainObject(stage) ? Object.keys(stage)[0] : undefined;
    if (!op || Object.keys(stage).length !== 1) throw new CommandError(40323, 'Location40323', 'A pipeline stage specification object must contain exactly one field.');
    if (op === '$documents' && i === 0) return;
    if (op === '$out' && i === pipeline.length - 1) return;
    if (op === '$out') throw new CommandError(40601, 'Location40601', '$out can only be the final stage in the pipeline');
    if (REFUSED_STAGES.has(op)) throw badValue(`the embedded store does not support the ${op} aggregation stage`);
    if (!isPipelineStage(op)) throw new CommandError(40324, 'Location40324', `Unrecognized pipeline stage name: '${op}'`);
  });
  return { name: dbLevel ? '$cmd.aggregate' : (cmd.aggregate as string), pipeline, hint: cmd.hint };
}

/** mongod's $out: the results replace the target collection's documents (its indexes stay). */
async function writeOut(out: Doc[], spec: unknown, db: string, ctx: CommandContext): Promise<void> {
  const target = typeof spec === 'string' ? { db, coll: spec } : isPlainObject(spec) ? { db: (spec.db as string) ?? db, coll: spec.coll as string } : null;
  if (!target || typeof target.coll !== 'string' || target.coll.length === 0) throw badValue("$out takes a collection name or { db, coll }");
  const log: JournalOp[] = [];
  const coll = ctx.catalog.ensure(target.db, target.coll, log);
  for (const d of [...coll.docs.values()]) coll.remove(d, log);
  try {
    for (const d of out) coll.insert(withId(d), log);
  } finally {
    await ctx.persist(log);
  }
}

const aggregate: CommandHandler = {
  options: ['aggregate', 'pipeline', 'cursor', 'allowDiskUse', 'hint', 'collation', 'explain', 'let', 'bypassDocumentValidation'],
  run: async (cmd, db, ctx) => {
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
    const last = pipeline[pipeline.length - 1];
    const outSpec = last && '$out' in last ? last.$out : undefined;
    if (outSpec !== undefined) rest = rest.slice(0, -1);
    let input: Doc[];
    const first = rest[0];
    if (first && '$documents' in first) {
      if (!Array.isArray(first.$documents) || !first.$documents.every(isPlainObject)) throw badValue('$documents takes an array of documents');
      input = first.$documents as Doc[];
      rest = rest.slice(1);
    } else if (first && isPlainObject(first.$match)) {
      const scores = '$text' in first.$match ? new Map<Doc, number>() : undefined;
      input = selectDocs(coll, first.$match as Doc, { hint: cmd.hint, collation, scores });
      rest = rest.slice(1);
      // A $sort on { $meta: 'textScore' } right after a $text match is done here, where the scores are.
      const next = rest[0];
      if (scores && next && isPlainObject(next.$sort) && Object.values(next.$sort).some((v) => isPlainObject(v) && v.$meta === 'textScore')) {
        input = [...input].sort(textSortComparator(next.$sort as Doc, scores));
        rest = rest.slice(1);
      }
    } else input = cmd.hint === undefined ? [...(coll?.docs.values() ?? [])] : selectDocs(coll, undefined, { hint: cmd.hint });
    // mingo writes into its inputs ($addFields on nested paths, projections): give it copies. A
    // leading $project of top-level fields makes those copies itself, of only the fields kept.
    const lead = rest[0] && isPlainObject(rest[0].$project) && Object.keys(rest[0]).length === 1 ? topLevelInclusion(rest[0].$project as Doc) : undefined;
    if (lead) rest = rest.slice(1);
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
      out = new Aggregator(rest, { collectionResolver: resolver, ...(collation ? { collation: { ...collation, locale: collation.locale.replace(/_/g, '-') } as never } : {}) }).run(input.map(lead ?? cloneDoc)) as Doc[];
    } catch (err) {
      throw badValue((err as Error).message);
    }
    if (outSpec !== undefined) {
      await writeOut(out, outSpec, db, ctx);
      out = [];
    }
    return { cursor: ctx.cursors.first(`${db}.${name}`, out, numOpt(cursorOpt, 'batchSize')), ok: 1 };
  },
};

export const readCommands: Record<string, CommandHandler> = { find, getMore, count, distinct, aggregate };
