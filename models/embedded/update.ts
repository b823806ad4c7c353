// Applies one update (operators, replacement or pipeline) to one document, copy-on-write.
// mingo does the operator semantics. `$[id]` and `$[]` paths are resolved here, against the
// original document as MongoDB does, into concrete index paths before mingo sees them: that is
// how the store allows two filtered paths into the same array in one update, which mingo refuses.
import { ObjectId } from 'bson';
import { update as mingoUpdate, updateOne as mingoUpdateOne } from 'mingo/updater';
import { CommandError, type Doc, failedToParse } from './errors.js';
import { Query, mingoOptions } from './query.js';
import { bsonTypeName, cloneDoc, hasProtoKey, isPlainObject, keyOf, renderValue, setOwn } from './values.js';

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
  // Known for operator updates (mingo reports the fields it modified); otherwise found by comparing.
  let changed: boolean | null = null;
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
    // Set here rather than by mingo: field names starting with '$' (mongod 5+ allows them in
    // $set, mingo refuses them) and binData (mingo takes a new subtype of the same bytes for no change).
    const directSets: [string, unknown][] = [];
    // $rename is applied here too: mingo refuses targets such as '__proto__.x', which mongod takes as field names.
    const renames: [string, unknown][] = [];
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
        for (const concrete of expandPath(doc, resolvePositional(doc, path, ctx), ctx.arrayFilters ?? [])) {
          if (CREATING.has(as)) checkViable(doc, concrete);
          if (ARRAY_OPS.has(as)) checkArray(doc, concrete, as);
          if (as === '$rename') renames.push([concrete, value]);
          else if (as === '$set' && (concrete.split('.').some((p) => p.startsWith('$') || p === '__proto__') || isBinaryValue(value) || hasProtoKey(value)))
            directSets.push([concrete, value]);
          else target[concrete] = value;
        }
      }
      modifier[as] = target;
    }
    // $pull is applied here: mingo matches a condition like { $or: [...] } (how mongoose pulls
    // subdocuments) by equality instead of as a query on each element.
    const pulls = (modifier.$pull as Doc | undefined) ?? {};
    delete modifier.$pull;
    for (const op of Object.keys(modifier)) if (Object.keys(modifier[op] as Doc).length === 0) delete modifier[op];
    if (Object.keys(modifier).length > 0) {
      try {
        changed = mingoUpdate(out, modifier as never, [], undefined, { cloneMode: 'copy', queryOptions: mingoOptions() }).length > 0;
      } catch (err) {
        throw new CommandError(2, 'BadValue', (err as Error).message);
      }
    }
    for (const [path, cond] of Object.entries(pulls)) if (pull(out, path, cond)) changed = true;
    for (const [path, value] of directSets) {
      if (keyOf(ownAt(out, path)) !== keyOf(value)) changed = true;
      setPath(out, path, cloneDoc(value));
    }
    for (const [from, to] of renames) if (rename(out, from, to)) changed = true;
  }
  if (doc._id !== undefined && keyOf(out._id) !== keyOf(doc._id)) throw immutableId();
  return { doc: out, changed: changed ?? keyOf(out) !== keyOf(doc) };
}

/** Removes from the array at `path` every element the $pull condition matches, as mongod does. */
function pull(doc: Doc, path: string, cond: unknown): boolean {
  const parts = path.split('.');
  let parent: unknown = doc;
  for (const p of parts.slice(0, -1)) {
    parent = Array.isArray(parent) ? parent[Number(p)] : isPlainObject(parent) ? parent[p] : undefined;
    if (parent === undefined) return false;
  }
  const last = parts[parts.length - 1];
  const arr = Array.isArray(parent) ? parent[Number(last)] : isPlainObject(parent) ? parent[last] : undefined;
  if (arr === undefined) return false;
  if (!Array.isArray(arr)) throw new CommandError(2, 'BadValue', `Cannot apply $pull to a non-array value`);
  const matches = pullMatcher(cond);
  const kept = arr.filter((el) => !matches(el));
  if (kept.length === arr.length) return false;
  if (Array.isArray(parent)) parent[Number(last)] = kept;
  else (parent as Doc)[last] = kept;
  return true;
}

/** The value at a concrete path (own fields, numeric segments index arrays), or undefined. */
function ownAt(doc: Doc, path: string): unknown {
  let v: unknown = doc;
  for (const p of path.split('.')) {
    v = Array.isArray(v) ? v[Number(p)] : isPlainObject(v) && Object.hasOwn(v, p) ? v[p] : undefined;
    if (v === undefined) return undefined;
  }
  return v;
}

const LOGICAL = new Set(['$and', '$or', '$nor', '$expr', '$where', '$comment', '$jsonSchema']);

/**
 * A $pull condition: operators on the value ({ $gte: 5 }, { $in: [...] }) test each element; a
 * document of fields or logical operators is a query on each element that is a document; any
 * other value removes the elements equal to it.
 */
function pullMatcher(cond: unknown): (el: unknown) => boolean {
  if (cond instanceof RegExp) return (el) => typeof el === 'string' && cond.test(el);
  if (isPlainObject(cond) && Object.keys(cond).length > 0) {
    const first = Object.keys(cond)[0];
    if (first.startsWith('$') && !LOGICAL.has(first)) {
      const q = new Query({ e: cond });
      return (el) => q.test({ e: el });
    }
    const q = new Query(cond);
    return (el) => isPlainObject(el) && q.test(el);
  }
  const key = keyOf(cond);
  return (el) => keyOf(el) === key;
}

const isBinaryValue = (v: unknown) => (v as { _bsontype?: string } | null)?._bsontype === 'Binary';

const ARRAY_OPS = new Set(['$push', '$addToSet', '$pop', '$pullAll']);

/** mongod refuses the array operators on a field that holds something else (mingo wraps or skips it). */
function checkArray(doc: Doc, path: string, op: string): void {
  const cur = ownAt(doc, path);
  if (cur === undefined || Array.isArray(cur)) return;
  const type = bsonTypeName(cur);
  if (op === '$pop') throw new CommandError(14, 'TypeMismatch', `Path '${path}' contains an element of non-array type '${type}'`);
  if (op === '$pullAll') throw new CommandError(2, 'BadValue', 'Cannot apply $pull to a non-array value');
  throw new CommandError(2, 'BadValue', `The field '${path}' must be an array but is of type ${type} in document {_id: ${renderValue(doc._id)}}`);
}

// Operators that create the field they name when it is missing.
const CREATING = new Set(['$set', '$inc', '$mul', '$min', '$max', '$push', '$addToSet', '$currentDate']);

/** mongod's PathNotViable: a path cannot pass through a scalar, or name a field of an array. */
function checkViable(doc: Doc, path: string): void {
  const parts = path.split('.');
  let v: unknown = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    const p = parts[i];
    // Own fields only: 'constructor' or '__proto__' are field names here, not the object's inherited ones.
    v = Array.isArray(v) ? v[Number(p)] : isPlainObject(v) && Object.hasOwn(v, p) ? v[p] : undefined;
    if (v === undefined || v === null) return;
    const next = parts[i + 1];
    const fits = Array.isArray(v) ? /^\d+$/.test(next) : isPlainObject(v);
    if (!fits) {
      throw new CommandError(
        28,
        'PathNotViable',
        `Cannot create field '${next}' in element {${p}: ${Array.isArray(v) ? '[ ... ]' : JSON.stringify(v) ?? String(v)}}`,
      );
    }
  }
}

function immutableId(): CommandError {
  return new CommandError(66, 'ImmutableField', "Performing an update on the path '_id' would modify the immutable field '_id'");
}

/**
 * Replaces the positional `$` of `path` with the index of the first element of that array the
 * filter matched, as mongod does. Resolved here rather than by mingo, which takes two paths under
 * one `$` (mongoose's timestamps on subdocument arrays write `arr.$.name` and `arr.$.updatedAt`)
 * for a conflict.
 */
function resolvePositional(doc: Doc, path: string, ctx: UpdateContext): string {
  const parts = path.split('.');
  const at = parts.indexOf('$');
  if (at < 0) return path;
  if (ctx.inserting) throw new CommandError(2, 'BadValue', `The positional operator did not find the match needed from the query.`);
  const base = parts.slice(0, at).join('.');
  let arr: unknown = doc;
  for (const p of parts.slice(0, at)) arr = Array.isArray(arr) ? arr[Number(p)] : isPlainObject(arr) ? arr[p] : undefined;
  const match = positionalQuery(base, ctx.filter);
  const idx = Array.isArray(arr) && match ? arr.findIndex((el) => match.test({ e: [el] })) : -1;
  if (idx < 0) throw new CommandError(2, 'BadValue', 'The positional operator did not find the match needed from the query.');
  return [...parts.slice(0, at), String(idx), ...parts.slice(at + 1)].join('.');
}

/**
 * The filter's conditions on `base` and below it, as a query on `{ e: [element] }`: wrapping the
 * element in an array gives each condition the array semantics it had on the document.
 */
function positionalQuery(base: string, filter: Doc): Query | null {
  const conds: Doc[] = [];
  const collect = (f: Doc) => {
    for (const [k, v] of Object.entries(f)) {
      if (k === '$and' && Array.isArray(v)) for (const sub of v) if (isPlainObject(sub)) collect(sub);
      if (k === base) conds.push({ e: v });
      else if (k.startsWith(`${base}.`)) conds.push({ [`e.${k.slice(base.length + 1)}`]: v });
    }
  };
  collect(filter);
  return conds.length === 0 ? null : new Query({ $and: conds });
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
    if (!Object.hasOwn(cur, p) || (!isPlainObject(cur[p]) && !Array.isArray(cur[p]))) setOwn(cur, p, {});
    cur = cur[p] as Doc;
  }
  setOwn(cur, parts[parts.length - 1], value);
}

/** mongod's $rename: moves the value (a no-op when the source is missing); neither path may go through an array. */
function rename(doc: Doc, from: string, to: unknown): boolean {
  if (typeof to !== 'string' || to.length === 0) throw new CommandError(2, 'BadValue', `The 'to' field for $rename must be a string: ${from}: ${String(to)}`);
  if (from === to) throw new CommandError(2, 'BadValue', `The source and target field for $rename must differ: ${from}: ${to}`);
  if (to.startsWith(`${from}.`) || from.startsWith(`${to}.`))
    throw new CommandError(2, 'BadValue', `The source and target field for $rename must not be on the same path: ${from}: ${to}`);
  const parts = from.split('.');
  let parent: unknown = doc;
  for (const p of parts.slice(0, -1)) {
    parent = isPlainObject(parent) && Object.hasOwn(parent, p) ? parent[p] : undefined;
    if (Array.isArray(parent)) throw new CommandError(2, 'BadValue', `The source field cannot be an array element, '${from}' in doc with ${parts[0]} being an array`);
    if (!isPlainObject(parent)) return false;
  }
  const last = parts[parts.length - 1];
  if (!isPlainObject(parent) || !Object.hasOwn(parent, last)) return false;
  const value = parent[last];
  delete parent[last];
  let cur: unknown = doc;
  for (const p of to.split('.').slice(0, -1)) {
    cur = isPlainObject(cur) && Object.hasOwn(cur, p) ? cur[p] : undefined;
    if (Array.isArray(cur)) throw new CommandError(2, 'BadValue', `The destination field cannot be an array element, '${to}' in doc with ${p} being an array`);
  }
  checkViable(doc, to);
  setPath(doc, to, value);
  return true;
}

/** Puts _id first, generating one when the document has none, as mongod does on insert. */
export function withId(doc: Doc): Doc {
  const { _id, ...rest } = doc;
  return { _id: _id === undefined ? new ObjectId() : _id, ...rest };
}
