// explain for find: runs the query as find would and reports the chosen plan and what it read,
// in the shape mongod uses (queryPlanner.winningPlan, executionStats.totalDocsExamined), so a
// test can check that an indexed query does not scan against both this store and a real server.
import { CommandError, type Doc, badValue } from '../errors.js';
import type { Plan } from '../planner.js';
import { type CommandHandler, docOpt, refuseUnknownOptions } from './context.js';
import { find, parseFind } from './read.js';
import { type SelectStats, selectDocs } from './select.js';

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
    if (name !== 'find')
      throw badValue(
        `the embedded store explains 'find' only, not '${name}'; explain the equivalent find, or run against a real MongoDB (set MONGODB_URI)`,
      );
    refuseUnknownOptions(find, inner, 'find');
    const req = parseFind(inner);
    const coll = ctx.catalog.get(db, req.name);
    const stats: SelectStats = { plan: null, docsExamined: 0 };
    const started = performance.now();
    const docs = selectDocs(coll, req.filter, req.select, stats);
    const millis = Math.round(performance.now() - started);
    const { sort, skip = 0, limit = 0 } = req.select;
    const winningPlan = planTree(stats.plan, sort, skip, limit);
    const reply: Doc = {
      explainVersion: '1',
      queryPlanner: {
        namespace: `${db}.${req.name}`,
        parsedQuery: req.filter ?? {},
        winningPlan,
        rejectedPlans: [],
      },
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
    reply.command = { ...inner, $db: db };
    reply.ok = 1;
    return reply;
  },
};

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
