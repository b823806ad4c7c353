// Handshake, diagnostics and database/collection administration commands.
import { hostname } from 'node:os';
import { Long } from 'bson';
import { Query } from '../query.js';
import { ID_INDEX } from '../collection.js';
import { CommandError, type Doc } from '../errors.js';
import type { JournalOp } from '../journal-ops.js';
import { MAX_MESSAGE_BYTES } from '../wire.js';
import { type CommandHandler, collectionName, docOpt, refuseCollation } from './context.js';

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

const endSessions: CommandHandler = { options: ['endSessions'], run: () => ({ ok: 1 }) };
const whatsmyuri: CommandHandler = { options: ['whatsmyuri'], run: () => ({ you: '127.0.0.1', ok: 1 }) };
const connectionStatus: CommandHandler = {
  options: ['connectionStatus', 'showPrivileges'],
  run: () => ({ authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] }, ok: 1 }),
};

const create: CommandHandler = {
  options: ['create', 'collation'],
  run: async (cmd, db, ctx) => {
    const name = collectionName(cmd, 'create');
    refuseCollation(cmd, 'create');
    if (ctx.catalog.get(db, name)) throw new CommandError(48, 'NamespaceExists', `Collection ${db}.${name} already exists.`);
    const log: JournalOp[] = [];
    ctx.catalog.ensure(db, name, log);
    await ctx.persist(log);
    return { ok: 1 };
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
          ? { name: c.name, type: 'collection' }
          : { name: c.name, type: 'collection', options: c.options, info: { readOnly: false }, idIndex: ID_INDEX },
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
  endSessions,
  whatsmyuri,
  connectionStatus,
  create,
  drop,
  dropDatabase,
  listCollections,
  listDatabases,
  killCursors,
};
