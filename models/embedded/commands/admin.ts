// Handshake, diagnostics and database/collection administration commands.
import { hostname } from 'node:os';
import { Long } from 'bson';
import { Query } from '../query.js';
import { ID_INDEX } from '../collection.js';
import { CommandError, type Doc } from '../errors.js';
import type { JournalOp } from '../journal-ops.js';
import { MAX_MESSAGE_BYTES } from '../wire.js';
import { isPlainObject, keyOf } from '../values.js';
import { type CommandHandler, checkCollation, collectionName, compileFilter, docOpt } from './context.js';

// mongodb 7.x drivers require wire version >= 9 (MongoDB 4.4); 21 is MongoDB 7.0.
const MIN_WIRE_VERSION = 0;
const MAX_WIRE_VERSION = 21;
const SERVER_VERSION = '7.0.0';
const MAX_BSON_OBJECT_SIZE = 16 * 1024 * 1024;

const hello: CommandHandler = {
  // The handshake gains fields with every driver release; mongod ignores those it does not know.
  options: ['*'],
  run: (cmd, _db, ctx) => {
    if (cmd.loadBalanced) throw new CommandError(2, 'BadValue', 'the embedded store is not behind a load balancer; drop loadBalanced=true');
    return {
      helloOk: true,
      isWritablePrimary: true,
      ismaster: true,
      maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
      maxMessageSizeBytes: MAX_MESSAGE_BYTES,
      maxWriteBatchSize: 100_000,
      localTime: new Date(),
      logicalSessionTimeoutMinutes: 30,
      connectionId: ctx.connectionId,
      minWireVersion: MIN_WIRE_VERSION,
      maxWireVersion: MAX_WIRE_VERSION,
      readOnly: false,
      ok: 1,
    };
  },
};

const ping: CommandHandler = { options: ['ping'], run: () => ({ ok: 1 }) };

const buildInfo: CommandHandler = {
  options: ['buildInfo', 'buildinfo'],
  run: () => ({
    version: SERVER_VERSION,
    gitVersion: 'embedded',
    versionArray: [7, 0, 0, 0],
    bits: 64,
    debug: false,
    maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
    modules: [],
    storageEngines: ['embedded'],
    ok: 1,
  }),
};

// The fields monitoring tools (mongosh, Compass, exporters) and mongoose's own tests read; mongod
// answers many more sections, and ignores section switches such as { repl: 0 } it has no data for.
const serverStatus: CommandHandler = {
  options: ['*'],
  run: (_cmd, _db, ctx) => {
    const now = ctx.server.now();
    const uptimeMillis = Math.max(0, now.getTime() - ctx.server.startedAt.getTime());
    const mem = process.memoryUsage();
    const { current, totalCreated } = ctx.server.connections();
    return {
      host: hostname(),
      version: SERVER_VERSION,
      process: 'mongod',
      pid: new Long(process.pid),
      uptime: Math.floor(uptimeMillis / 1000),
      uptimeMillis: new Long(uptimeMillis),
      uptimeEstimate: new Long(Math.floor(uptimeMillis / 1000)),
      localTime: now,
      connections: { current, available: 1_000_000 - current, totalCreated },
      mem: { bits: 64, resident: Math.round(mem.rss / 1048576), virtual: Math.round(mem.heapTotal / 1048576), supported: true },
      storageEngine: { name: 'embedded', supportsCommittedReads: false, persistent: true, readOnly: false },
      ok: 1,
    };
  },
};

// The server parameters the store has; mongod knows hundreds and refuses the ones it does not.
const setParameter: CommandHandler = {
  options: ['setParameter', 'ttlMonitorSleepSecs'],
  run: (cmd, db, ctx) => {
    if (db !== 'admin') throw new CommandError(13, 'Unauthorized', 'setParameter may only be run against the admin database.');
    const reply: Doc = {};
    if (cmd.ttlMonitorSleepSecs !== undefined) {
      const secs = Number(cmd.ttlMonitorSleepSecs);
      if (!Number.isInteger(secs) || secs < 1) throw new CommandError(2, 'BadValue', "'ttlMonitorSleepSecs' must be a positive whole number of seconds");
      reply.was = ctx.server.ttlMonitorSleepSecs;
      ctx.server.ttlMonitorSleepSecs = secs;
    } else throw new CommandError(72, 'InvalidOptions', 'no option found to set, use help:true to see options; the embedded store has ttlMonitorSleepSecs');
    return { ...reply, ok: 1 };
  },
};

const getParameter: CommandHandler = {
  options: ['getParameter', 'ttlMonitorSleepSecs'],
  run: (cmd, _db, ctx) => {
    if (cmd.ttlMonitorSleepSecs === undefined && cmd.getParameter !== '*') throw new CommandError(72, 'InvalidOptions', 'no option found to get; the embedded store has ttlMonitorSleepSecs');
    return { ttlMonitorSleepSecs: ctx.server.ttlMonitorSleepSecs, ok: 1 };
  },
};

const endSessions: CommandHandler = { options: ['endSessions'], run: () => ({ ok: 1 }) };
const whatsmyuri: CommandHandler = { options: ['whatsmyuri'], run: () => ({ you: '127.0.0.1', ok: 1 }) };
const connectionStatus: CommandHandler = {
  options: ['connectionStatus', 'showPrivileges'],
  run: () => ({ authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] }, ok: 1 }),
};

// Collection options mongod keeps and lists; the store honours capped (size/max), validators,
// a default collation and collection-level TTL (timeseries), and keeps the rest as given.
const CREATE_OPTIONS = ['capped', 'size', 'max', 'autoIndexId', 'validator', 'validationLevel', 'validationAction', 'collation', 'timeseries', 'expireAfterSeconds', 'clusteredIndex', 'storageEngine', 'indexOptionDefaults', 'changeStreamPreAndPostImages'];
const VALIDATION_LEVELS = ['off', 'strict', 'moderate'];
const VALIDATION_ACTIONS = ['error', 'warn'];

/** Checks the validator settings as mongod does and compiles the validator once, so a bad one is refused here. */
function checkValidation(options: Doc): void {
  if (options.validationLevel !== undefined && !VALIDATION_LEVELS.includes(options.validationLevel as string))
    throw new CommandError(2, 'BadValue', `Enumeration value '${String(options.validationLevel)}' for field 'validationLevel' is not a valid value.`);
  if (options.validationAction !== undefined && !VALIDATION_ACTIONS.includes(options.validationAction as string))
    throw new CommandError(2, 'BadValue', `Enumeration value '${String(options.validationAction)}' for field 'validationAction' is not a valid value.`);
  if (options.validator !== undefined) {
    if (!isPlainObject(options.validator)) throw new CommandError(14, 'TypeMismatch', "'validator' must be a document");
    compileFilter(options.validator);
  }
}

const create: CommandHandler = {
  options: ['create', ...CREATE_OPTIONS],
  run: async (cmd, db, ctx) => {
    const name = collectionName(cmd, 'create');
    if (ctx.catalog.get(db, name)) throw new CommandError(48, 'NamespaceExists', `Collection ${db}.${name} already exists.`);
    const options: Doc = {};
    for (const o of CREATE_OPTIONS) if (cmd[o] !== undefined) options[o] = cmd[o];
    // mongod reads 'capped' as a "safe bool": any non-zero number is true as well.
    if (options.capped === true || (typeof options.capped === 'number' && options.capped !== 0)) {
      options.capped = true;
      if (options.size === undefined) throw new CommandError(72, 'InvalidOptions', "the 'size' field is required when 'capped' is true");
      if (options.timeseries !== undefined) throw new CommandError(72, 'InvalidOptions', 'Timeseries collections cannot be capped');
    } else delete options.capped;
    if (options.timeseries !== undefined) {
      const ts = docOpt(cmd, 'timeseries') as Doc;
      if (typeof ts.timeField !== 'string') throw new CommandError(40414, 'Location40414', "BSON field 'timeseries.timeField' is missing but a required field");
      options.timeseries = { granularity: 'seconds', bucketMaxSpanSeconds: 3600, ...ts };
    }
    if (options.collation !== undefined) options.collation = checkCollation(docOpt(cmd, 'collation'));
    if (options.collation === undefined) delete options.collation;
    checkValidation(options);
    const log: JournalOp[] = [];
    ctx.catalog.ensure(db, name, log, options);
    await ctx.persist(log);
    return { ok: 1 };
  },
};

const collMod: CommandHandler = {
  options: ['collMod', 'index', 'validator', 'validationLevel', 'validationAction', 'expireAfterSeconds'],
  run: async (cmd, db, ctx) => {
    const name = collectionName(cmd, 'collMod');
    const coll = ctx.catalog.get(db, name);
    if (!coll) throw new CommandError(26, 'NamespaceNotFound', `ns does not exist: ${db}.${name}`);
    const log: JournalOp[] = [];
    const reply: Doc = {};
    const index = docOpt(cmd, 'index');
    if (index) {
      const found = [...coll.indexes.values()].find((i) =>
        typeof index.name === 'string' ? i.spec.name === index.name : isPlainObject(index.keyPattern) && keyOf(i.spec.key) === keyOf(index.keyPattern),
      );
      if (!found) throw new CommandError(27, 'IndexNotFound', `cannot find index ${JSON.stringify(index.name ?? index.keyPattern)} for ns ${db}.${name}`);
      const spec = { ...found.spec };
      if (index.hidden !== undefined) {
        reply.hidden_old = spec.hidden === true;
        reply.hidden_new = index.hidden === true;
        if (index.hidden === true) spec.hidden = true;
        else delete spec.hidden;
      }
      if (index.expireAfterSeconds !== undefined) {
        reply.expireAfterSeconds_old = spec.expireAfterSeconds;
        reply.expireAfterSeconds_new = Number(index.expireAfterSeconds);
        spec.expireAfterSeconds = Number(index.expireAfterSeconds);
      }
      coll.indexes.delete(spec.name);
      coll.addIndex(spec, false);
      log.push({ k: 'rmi', d: db, c: name, n: spec.name }, { k: 'mki', d: db, c: name, spec });
    }
    const options: Doc = { ...coll.options };
    for (const o of ['validator', 'validationLevel', 'validationAction', 'expireAfterSeconds']) if (cmd[o] !== undefined) options[o] = cmd[o];
    checkValidation(options);
    if (keyOf(options) !== keyOf(coll.options)) {
      coll.setOptions(options);
      log.push({ k: 'opt', d: db, c: name, o: options });
    }
    await ctx.persist(log);
    return { ...reply, ok: 1 };
  },
};

const drop: CommandHandler = {
  options: ['drop'],
  run: async (cmd, db, ctx) => {
    const name = collectionName(cmd, 'drop');
    const coll = ctx.catalog.get(db, name);
    const log: JournalOp[] = [];
    ctx.catalog.drop(db, name, log);
    await ctx.persist(log);
    return coll ? { nIndexesWas: coll.indexes.size + 1, ns: `${db}.${name}`, ok: 1 } : { ok: 1 };
  },
};

const dropDatabase: CommandHandler = {
  options: ['dropDatabase'],
  run: async (_cmd, db, ctx) => {
    const log: JournalOp[] = [];
    ctx.catalog.dropDatabase(db, log);
    await ctx.persist(log);
    return { dropped: db, ok: 1 };
  },
};

const listCollections: CommandHandler = {
  options: ['listCollections', 'filter', 'nameOnly', 'authorizedCollections', 'cursor'],
  run: (cmd, db, ctx) => {
    const filter = docOpt(cmd, 'filter');
    const q = new Query(filter ?? {});
    const colls = [...(ctx.catalog.dbs.get(db)?.values() ?? [])];
    const infos = colls
      .map((c) =>
        cmd.nameOnly
          ? { name: c.name, type: c.options.timeseries ? 'timeseries' : 'collection' }
          : {
              name: c.name,
              type: c.options.timeseries ? 'timeseries' : 'collection',
              options: c.options,
              info: { readOnly: false },
              ...(c.options.timeseries || c.options.clusteredIndex ? {} : { idIndex: ID_INDEX }),
            },
      )
      .filter((i) => q.test(i));
    const batchSize = (docOpt(cmd, 'cursor')?.batchSize as number | undefined) ?? undefined;
    return { cursor: ctx.cursors.first(`${db}.$cmd.listCollections`, infos, batchSize), ok: 1 };
  },
};

const listDatabases: CommandHandler = {
  options: ['listDatabases', 'filter', 'nameOnly', 'authorizedDatabases'],
  run: (cmd, _db, ctx) => {
    const q = new Query(docOpt(cmd, 'filter') ?? {});
    const databases = [...ctx.catalog.dbs.entries()]
      .map(([name, colls]) => {
        let docs = 0;
        for (const c of colls.values()) docs += c.docs.size;
        return cmd.nameOnly ? { name } : { name, sizeOnDisk: docs * 256, empty: docs === 0 };
      })
      .filter((d) => q.test(d));
    const totalSize = databases.reduce((s, d) => s + ((d as Doc).sizeOnDisk as number | undefined ?? 0), 0);
    return cmd.nameOnly ? { databases, ok: 1 } : { databases, totalSize, totalSizeMb: Math.round(totalSize / 1048576), ok: 1 };
  },
};

const killCursors: CommandHandler = {
  options: ['killCursors', 'cursors'],
  run: (cmd, _db, ctx) => {
    const ids = Array.isArray(cmd.cursors) ? cmd.cursors : [];
    const { killed, notFound } = ctx.cursors.kill(ids);
    return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [] as Long[], cursorsUnknown: [] as Long[], ok: 1 };
  },
};

export const adminCommands: Record<string, CommandHandler> = {
  hello,
  isMaster: hello,
  ismaster: hello,
  ping,
  buildInfo,
  buildinfo: buildInfo,
  serverStatus,
  setParameter,
  getParameter,
  endSessions,
  whatsmyuri,
  connectionStatus,
  create,
  collMod,
  drop,
  dropDatabase,
  listCollections,
  listDatabases,
  killCursors,
};
