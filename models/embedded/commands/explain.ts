// explain for find and aggregate: runs the query as find would and reports the chosen plan and what it read,
// in the shape mongod uses (queryPlanner.winningPlan, executionStats.totalDocsExamined), so a
// test can check that an indexed query does not scan against both this store and a real server.
import { CommandError, type Doc, badValue } from '../errors.js';
import type { Plan } from '../planner.js';
import type { Collection } from '../collection.js';
import { isPlainObject } from '../values.js';
import { type CommandContext, type CommandHandler, docOpt, refuseUnknownOptions } from './context.js';
import { find, parseAggregate, parseFind } from './read.js';
import { type SelectOptions, type SelectStats, selectDocs } from './select.js';

const VERBOSITIES = ['queryPlanner', 'executionStats', 'allPlansExecution'];

const explain: CommandHandler = {
  options: ['explain', 'verbosity'],
  run: (cmd, db, ctx) => {
    const inner = docOpt(cmd, 'explain');
    if (!inner) throw new CommandError(9, 'FailedToParse', "explain's argument must be the command to explain, as a document");
    const verbosity = cmd.verbosity ?? 'allPlansExecution';
    if (typeof verbosity !== 'string' || !VERBOSITIES.includes(verbosity))
      throw badValue(`verbosity must be one of ${VERBOSITIES.join(', ')}, got ${JSON.stringify(verbosity)}`);
    const name = Object.keys(inner)[0];
    if (name === 'aggregate') return explainAggregate(inner, db, ctx, verbosity);
    if (name !== 'find')
      throw badValue(
        `the embedded store explains 'find' and 'aggregate' only, not '${name}'; explain the equivalent find, or run against a real MongoDB (set MONGODB_URI)`,
      );
    refuseUnknownOptions(find, inner, 'find');
    const req = parseFind(inner);
    const reply = explainSelect(ctx.catalog.get(db, req.name), `${db}.${req.name}`, req.filter, req.select, verbosity);
    reply.command = { ...inner, $db: db };
    reply.ok = 1;
    return reply;
  },
};

/** queryPlanner (and executionStats unless only the plan is asked for) of one selection. */
function explainSelect(coll: Collection | undefined, namespace: string, filter: Doc | undefined, select: SelectOptions, verbosity: string): Doc {
  const stats: SelectStats = { plan: null, docsExamined: 0 };
  const started = performance.now();
  const docs = selectDocs(coll, filter, select, stats);
  const millis = Math.round(performance.now() - started);
  const { sort, skip = 0, limit = 0 } = select;
  const winningPlan = planTree(stats.plan, sort, skip, limit);
  const reply: Doc = {
    explainVersion: '1',
    queryPlanner: { namespace, parsedQuery: filter ?? {}, winningPlan, rejectedPlans: [] },
  };
  if (verbosity !== 'queryPlanner') {
    reply.executionStats = {
      executionSuccess: true,
      nReturned: docs.length,
      executionTimeMillis: millis,
      totalKeysExamined: stats.plan?.keysExamined ?? 0,
      totalDocsExamined: stats.docsExamined,
      executionStages: { ...winningPlan, nReturned: docs.length },
    };
  }
  return reply;
}

// As mongod: a pipeline that is only a $match is answered by the query layer and explained like a
// find; otherwise the leading $match becomes the $cursor stage and the other stages follow it.
export function explainAggregate(inner: Doc, db: string, ctx: CommandContext, verbosity: string): Doc {
  const { name, pipeline, hint } = parseAggregate(inner);
  const first = pipeline[0];
  const leading = first && isPlainObject(first.$match) ? (first.$match as Doc) : undefined;
  const rest = leading ? pipeline.slice(1) : pipeline;
  const cursor = explainSelect(ctx.catalog.get(db, name), `${db}.${name}`, leading, { hint }, verbosity);
  const reply: Doc =
    rest.length === 0
      ? cursor
      : { explainVersion: '1', stages: [{ $cursor: { queryPlanner: cursor.queryPlanner, ...(cursor.executionStats ? { executionStats: cursor.executionStats } : {}) } }, ...rest] };
  reply.command = { ...inner, $db: db };
  reply.ok = 1;
  return reply;
}

function planTree(plan: Plan | null, sort: Doc | undefined, skip: number, limit: number): Doc {
  let stage: Doc;
  if (!plan) stage = { stage: 'EOF' };
  else if (plan.stage === 'IXSCAN' && plan.index) {
    const ix = plan.index;
    stage = {
      stage: 'FETCH',
      inputStage: {
        stage: 'IXSCAN',
        keyPattern: { ...ix.spec.key },
        indexName: ix.spec.name,
        isMultiKey: ix.multikey,
        isUnique: ix.unique,
        isSparse: ix.sparse,
        direction: plan.backward ? 'backward' : 'forward',
      },
    };
  } else if (plan.stage === 'IDHACK') stage = { stage: 'IDHACK', indexName: '_id_' };
  else stage = { stage: 'COLLSCAN', direction: 'forward' };
  if (sort && Object.keys(sort).length > 0 && plan && !plan.sorted) stage = { stage: 'SORT', sortPattern: sort, inputStage: stage };
  if (skip > 0) stage = { stage: 'SKIP', skipAmount: skip, inputStage: stage };
  if (limit > 0) stage = { stage: 'LIMIT', limitAmount: limit, inputStage: stage };
  return stage;
}

export const explainCommands: Record<string, CommandHandler> = { explain };
