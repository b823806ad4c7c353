// What every command handler gets, plus helpers shared by the handlers.
import { Query } from '../query.js';
import type { Logger } from 'pino';
import type { Catalog } from '../catalog.js';
import type { CursorRegistry } from '../cursors.js';
import { CommandError, type Doc, badValue, invalidOptions } from '../errors.js';
import type { JournalOp } from '../journal-ops.js';
import { isPlainObject } from '../values.js';
import { type Collation, normalizeCollation } from '../collation.js';

export interface CommandContext {
  catalog: Catalog;
  cursors: CursorRegistry;
  /** Resolves once the ops are durable (immediately in memory mode). */
  persist(ops: JournalOp[]): Promise<void>;
  logger: Logger;
  connectionId: number;
  /** Process-level facts for serverStatus. */
  server: {
    startedAt: Date;
    now(): Date;
    connections(): { current: number; totalCreated: number };
    /** Seconds between TTL sweeps (mongod's ttlMonitorSleepSecs); setting it reschedules the sweep. */
    ttlMonitorSleepSecs: number;
  };
}

export interface CommandHandler {
  /** Options this command understands besides the generic ones ('*': any); anything else is refused. */
  options: readonly string[];
  run(cmd: Doc, db: string, ctx: CommandContext): Doc | Promise<Doc>;
}

const GENERIC_OPTIONS = [
  '$db',
  'lsid',
  '$clusterTime',
  '$readPreference',
  'readConcern',
  'writeConcern',
  'comment',
  'maxTimeMS',
  'apiVersion',
  'apiStrict',
  'apiDeprecationErrors',
  '$client',
];

const allowedByHandler = new WeakMap<CommandHandler, Set<string>>();

/** Refuses any option the handler does not understand: ignoring it could silently change the result. */
export function refuseUnknownOptions(handler: CommandHandler, cmd: Doc, name: string): void {
  let allowed = allowedByHandler.get(handler);
  if (!allowed) {
    allowed = new Set([...handler.options, ...GENERIC_OPTIONS]);
    allowedByHandler.set(handler, allowed);
  }
  if (allowed.has('*')) return;
  for (const key of Object.keys(cmd)) if (!allowed.has(key)) throw invalidOptions(name, key);
}

export function collectionName(cmd: Doc, name: string): string {
  const v = cmd[name];
  if (typeof v !== 'string' || v.length === 0)
    throw new CommandError(73, 'InvalidNamespace', `collection name must be a non-empty string, got ${JSON.stringify(v)}`);
  return v;
}

export function docOpt(cmd: Doc, key: string): Doc | undefined {
  const v = cmd[key];
  if (v === undefined || v === null) return undefined;
  if (!isPlainObject(v)) throw new CommandError(14, 'TypeMismatch', `'${key}' must be a document`);
  return v;
}

export function numOpt(cmd: Doc, key: string): number | undefined {
  const v = cmd[key];
  if (v === undefined || v === null) return undefined;
  const n = Number(typeof v === 'object' ? String(v) : v);
  if (!Number.isFinite(n)) throw new CommandError(14, 'TypeMismatch', `'${key}' must be a number`);
  return n;
}

/** A compiled filter; mingo's errors (unknown operator, bad regex) become MongoDB's BadValue. */
export function compileFilter(filter: Doc | undefined): Query {
  // mongod would run the JavaScript; the store runs no client code (node:vm is no sandbox), so it says so.
  if (filter && '$where' in filter)
    throw badValue('$where is not supported by the embedded store: it runs no client JavaScript; use $expr or plain query operators');
  try {
    return new Query(filter ?? {});
  } catch (err) {
    throw badValue((err as Error).message);
  }
}

/**
 * The collation a command asks for: undefined when it names none (the collection's default then
 * applies), null for { locale: 'simple' }, otherwise mongod's full collation document.
 */
export function checkCollation(raw: unknown): Collation | null | undefined {
  return raw === undefined ? undefined : normalizeCollation(raw);
}
