// Applies one update (operators, replacement or pipeline) to one document, copy-on-write.
// mingo does the operator semantics. `$[id]` and `$[]` paths are resolved here, against the
// original document as MongoDB does, into concrete index paths before mingo sees them: that is
// how the store allows two filtered paths into the same array in one update, which mingo refuses.
import { ObjectId } from 'bson';
import { update as mingoUpdate, updateOne as mingoUpdateOne } from 'mingo/updater';
import { CommandError, type Doc, failedToParse } from './errors.js';
import { Query, mingoOptions } from './query.js';
import { cloneDoc, isPlainObject, keyOf } from './values.js';

const OPERATORS = new Set([
  '$set',
  '$unset',
  '$inc',
  '$mul',
  '$min',
  '$max',
  '$rename',
  '$push',
  '$addToSet',
  '$pop',
  '$pull',
  '$pullAll',
  '$currentDate',
  '$bit',
  '$setOnInsert',
]);

export type UpdateSpec = Doc | Doc[];

export interface UpdateContext {
  filter: Doc;
  arrayFilters?: Doc[];
  /** True when the update is building a document for an upsert ($setOnInsert applies). */
  inserting: boolean;
}

export function isOperatorUpdate(u: UpdateSpec): boolean {
  return !Array.isArray(u) && Object.keys(u).some((k) => k.startsWith('$'));
}

export function validateUpdate(u: unknown): UpdateSpec {
  if (Array.isArray(u)) {
    if (!u.every(isPlainObject)) throw failedToParse('each pipeline update stage must be a document');
    return u as Doc[];
  }
  if (!isPlainObject(u)) throw failedToParse('update must be a document or a pipeline (array of stages)');
  const keys = Object.keys(u);
  const ops = keys.filter((k) => k.startsWith('$'));
  if (ops.length > 0 && ops.length !== keys.length)
    throw failedToParse('an update document mixes operators and plain fields; use operators only or a replacement document');
  for (const op of ops) {
    if (!OPERATORS.has(op))
      throw failedToParse(`Unknown modifier: ${op}. Expected a valid update modifier or pipeline-style update specified as an array`);
    if (!isPlainObject(u[op])) throw failedToParse(`Modifiers operate on fields but we found type ${typeof u[op]} instead for ${op}`);
  }
  return u;
}

/** Returns the updated copy and whether anything changed; the input document is not touched. */
export function applyUpdate(doc: Doc, spec: UpdateSpec, ctx: UpdateContext): { doc: Doc; changed: boolean } {
  let out: Doc;
  if (Array.isArray(spec)) {
    const arr = [cloneDoc(doc)];
    try {
      mingoUpdateOne(arr, {}, spec as never, {}, mingoOptions());
    } catch (err) {
      throw new CommandError(2, 'BadValue', `pipeline update failed: ${(err as Error).message}`);
    }
    out = arr[0];
  } else if (!isOperatorUpdate(spec)) {
    out = { _id: doc._id, ...cloneDoc(spec) };
    if ('_id' in spec && keyOf(spec._id) !== keyOf(doc._id) && doc._id !== undefined) throw immutableId();
    if (doc._id === undefined) out._id = spec._id;
  } else {
    out = cloneDoc(doc);
    const modifier: Doc = {};
    for (const [op, fields] of Object.entries(spec)) {
      if (op === '$setOnInsert' && !ctx.inserting) continue;
      // $setOnInsert applies as $set on the inserted document (and meets the same _id rule).
      const as = op === '$setOnInsert' ? '$set' : op;
      const target = ((modifier[as] as Doc | undefined) ?? {}) as Doc;
      for (const [path, value] of Object.entries(fields as Doc)) {
        if ((path === '_id' || path.startsWith('_id.')) && doc._id !== undefined) {
          if (as !== '$set' || path !== '_id' || keyOf(value) !== keyOf(doc._id)) throw immutableId();
          continue; // setting _id to the value it has is allowed and changes nothing (mingo refuses it)
        }
        for (const concrete of expandPath(doc, path, ctx.arrayFilters ?? [])) target[concrete] = value;
      }
      modifier[as] = target;
    }
    for (const op of Object.keys(modifier)) if (Object.keys(modifier[op] as Doc).length === 0) delete modifier[op];
    if (Object.keys(modifier).length > 0) {
      try {
        // The filter only matters to mingo for the positional `$`; compiling it costs a Query.
        const positional = Object.values(modifier).some((f) => Object.keys(f as Doc).some((p) => /(^|\.)\$(\.|$)/.test(p)));
        mingoUpdate(out, modifier as never, [], (positional ? ctx.filter : undefined) as never, { cloneMode: 'copy', queryOptions: mingoOptions() });
      } catch (err) {
        throw new CommandError(2, 'BadValue', (err as Error).message);
      }
    }
  }
  if (doc._id !== undefined && keyOf(out._id) !== keyOf(doc._id)) throw immutableId();
  return { doc: out, changed: keyOf(out) !== keyOf(doc) };
}

function immutableId(): CommandError {
  return new CommandError(66, 'ImmutableField', "Performing an update on the path '_id' would modify the immutable field '_id'");
}

/** Resolves `$[]` and `$[id]` segments against the original document into concrete paths. */
export function expandPath(doc: Doc, path: string, arrayFilters: Doc[]): string[] {
  if (!path.includes('$[')) return [path];
  const parts = path.split('.');
  const out: string[] = [];
  const walk = (value: unknown, i: number, prefix: string[]): void => {
    const rest = parts.slice(i);
    if (!rest.some((p) => p.startsWith('$['))) {
      out.push([...prefix, ...rest].join('.'));
      return;
    }
    const part = parts[i];
    if (!part.startsWith('$[')) {
      const next = Array.isArray(value) ? value[Number(part)] : isPlainObject(value) ? value[part] : undefined;
      walk(next, i + 1, [...prefix, part]);
      return;
    }
    if (!Array.isArray(value)) {
      if (value === undefined) {
        throw new CommandError(2, 'BadValue', `The path '${prefix.join('.')}' must exist in the document in order to apply array updates.`);
      }
      throw new CommandError(2, 'BadValue', `Cannot apply array updates to non-array element ${prefix.join('.')}`);
    }
    const m = /^\$\[(\w*)\]$/.exec(part);
    if (!m) throw failedToParse(`invalid positional segment '${part}' in path '${path}'`);
    const id = m[1];
    const test = id === '' ? () => true : elementTester(id, arrayFilters, path);
    value.forEach((el, idx) => {
      if (test(el)) walk(el, i + 1, [...prefix, String(idx)]);
    });
  };
  walk(doc, 0, []);
  return out;
}

function elementTester(id: string, arrayFilters: Doc[], path: string): (el: unknown) => boolean {
  const filter = arrayFilters.find((f) => Object.keys(f).some((k) => k === id || k.startsWith(`${id}.`)));
  if (!filter) throw new CommandError(2, 'BadValue', `No array filter found for identifier '${id}' in path '${path}'`);
  const q = new Query(filter);
  return (el) => q.test({ [id]: el });
}

/** The document an upsert starts from: the filter's equality conditions, then the update. */
export function upsertSeed(filter: Doc): Doc {
  const seed: Doc = {};
  const visit = (f: Doc) => {
    for (const [path, cond] of Object.entries(f)) {
      if (path === '$and' && Array.isArray(cond)) {
        for (const c of cond) if (isPlainObject(c)) visit(c);
        continue;
      }
      if (path.startsWith('$')) continue;
      let value: unknown;
      if (isPlainObject(cond) && Object.keys(cond).some((k) => k.startsWith('$'))) {
        if (!('$eq' in cond)) continue;
        value = cond.$eq;
      } else value = cond;
      setPath(seed, path, cloneDoc(value));
    }
  };
  visit(filter);
  return seed;
}

function setPath(doc: Doc, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur = doc;
  for (const p of parts.slice(0, -1)) {
    if (!isPlainObject(cur[p])) cur[p] = {};
    cur = cur[p] as Doc;
  }
  cur[parts[parts.length - 1]] = value;
}

/** Puts _id first, generating one when the document has none, as mongod does on insert. */
export function withId(doc: Doc): Doc {
  const { _id, ...rest } = doc;
  return { _id: _id === undefined ? new ObjectId() : _id, ...rest };
}
