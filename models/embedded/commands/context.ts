// What every command handler gets, plus helpers shared by the handlers.
import { Query } from 'mingo';
import type { Logger } from 'pino';
import type { Catalog } from '../catalog.js';
import type { Collection } from '../collection.js';
import type { CursorRegistry } from '../cursors.js';
import { CommandError, type Doc, badValue } from '../errors.js';
import type { JournalOp } from '../journal-ops.js';
import { isPlainObject, keyOf, valuesAtPath } from '../values.js';

export interface CommandContext {
  catalog: Catalog;
  cursors: CursorRegistry;
  /** Resolves once the ops are durable (immediately in memory mode). */
  persist(ops: JournalOp[]): Promise<void>;
  logger: Logger;
  connectionId: number;
}

export interface CommandHandler {
  /** Options this command understands besides the generic ones ('*': any); anything else is refused. */
  options: readonly string[];
  run(cmd: Doc, db: string, ctx: CommandContext): Doc | Promise<Doc>;
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
  try {
    return new Query(filter ?? {});
  } catch (err) {
    throw badValue((err as Error).message);
  }
}

/**
 * For filters made only of top-level equalities on scalars (the hot path: by _id, by a unique
 * key) a direct predicate with MongoDB's semantics (arrays match by element); compiling a mingo
 * Query copies its whole operator table, which dominated indexed lookups.
 */
function scalarEquality(filter: Doc): ((d: Doc) => boolean) | null {
  const entries = Object.entries(filter);
  if (entries.length === 0 || entries.length > 4) return null;
  for (const [k, v] of entries) {
    if (k.startsWith('$') || !isScalar(v)) return null;
  }
  const wanted = entries.map(([k, v]) => [k, keyOf(v)] as const);
  return (d) => wanted.every(([k, key]) => valuesAtPath(d, k).values.some((x) => x !== undefined && keyOf(x) === key));
}

function isScalar(v: unknown): boolean {
  if (v === null || v === undefined) return false;
  const t = typeof v;
  if (t === 'string' || t === 'number' || t === 'boolean') return true;
  if (v instanceof Date) return true;
  const tag = (v as { _bsontype?: string })._bsontype;
  return tag === 'ObjectId' || tag === 'Long' || tag === 'Int32' || tag === 'Double';
}

export function matching(coll: Collection | undefined, filter: Doc | undefined): Doc[] {
  const test = (filter && scalarEquality(filter)) ?? ((q: Query) => (d: Doc) => q.test(d))(compileFilter(filter));
  if (!coll) return [];
  const out: Doc[] = [];
  for (const d of coll.candidates(filter ?? {})) if (test(d)) out.push(d);
  return out;
}

/** Rejects a collation other than the default binary one: results would silently differ. */
export function refuseCollation(cmd: Doc, command: string): void {
  const c = cmd.collation as Doc | undefined;
  if (c && !(isPlainObject(c) && c.locale === 'simple'))
    throw badValue(`the embedded store does not support collation in '${command}'; only { locale: 'simple' }`);
}
