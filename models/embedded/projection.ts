// find/findAndModify projections. mingo applies plain inclusion/exclusion; the array operators are
// applied here as mongod defines them, because mingo reads `$elemMatch: { $in: [...] }` as a
// top-level query, refuses `$slice` beside an exclusion, and cannot see the filter a positional
// `arr.$` refers to.
import { Query } from './query.js';
import { CommandError, type Doc, badValue } from './errors.js';
import { cloneDoc, isPlainObject, setOwn } from './values.js';

type ArrayOp =
  | { kind: 'slice'; path: string; skip: number | null; take: number }
  | { kind: 'elemMatch'; path: string; match: Query }
  | { kind: 'positional'; path: string; match: Query };

/** A function from a stored document to what the projection returns (a fresh copy), or undefined for none. */
export function compileProjection(projection: Doc | undefined, filter: Doc | undefined, scores?: Map<Doc, number>): ((d: Doc) => Doc) | undefined {
  if (!projection || Object.keys(projection).length === 0) return undefined;
  const fast = topLevelInclusion(projection);
  if (fast) return fast;
  const plain: Doc = {};
  const ops: ArrayOp[] = [];
  // { field: { $meta: 'textScore' } } adds the document's $text score; it neither includes nor excludes.
  const metas: string[] = [];
  for (const [path, spec] of Object.entries(projection)) {
    if (isPlainObject(spec) && '$meta' in spec) {
      if (spec.$meta !== 'textScore') throw badValue(`the embedded store supports { $meta: 'textScore' } only, not ${JSON.stringify(spec.$meta)}`);
      if (!scores) throw badValue("query requires text score metadata, but it is not available: the filter has no $text");
      metas.push(path);
    } else if (path.endsWith('.$')) {
      const base = path.slice(0, -2);
      const match = positionalMatch(base, filter);
      if (!match) throw new CommandError(51246, 'Location51246', `positional operator '${path}' needs a condition on '${base}' in the filter`);
      ops.push({ kind: 'positional', path: base, match });
      plain[base] = 1;
    } else if (isPlainObject(spec) && '$slice' in spec) ops.push(sliceOp(path, spec.$slice));
    else if (isPlainObject(spec) && '$elemMatch' in spec) {
      if (!isPlainObject(spec.$elemMatch)) throw badValue(`$elemMatch of '${path}' needs an object`);
      ops.push({ kind: 'elemMatch', path, match: compile({ e: { $elemMatch: spec.$elemMatch } }) });
    } else plain[path] = spec;
  }
  // $elemMatch and positional fields are inclusions; a $slice field is included only beside other
  // inclusions (on its own or beside exclusions it leaves the rest of the document alone).
  const inclusive = Object.entries(plain).some(([k, v]) => k !== '_id' && v !== 0 && v !== false) || ops.some((o) => o.kind !== 'slice');
  if (inclusive) for (const o of ops) if (o.kind !== 'positional') plain[o.path] = 1;
  const q = new Query({});
  const project = Object.keys(plain).length > 0 ? (d: Doc) => q.find([d], plain).all()[0] as Doc : (d: Doc) => d;
  try {
    project({});
  } catch (err) {
    throw badValue((err as Error).message);
  }
  return (d) => {
    const out = inDocumentOrder(project(cloneDoc(d)), d);
    for (const o of ops) applyArrayOp(o, d, out);
    for (const m of metas) setOwn(out, m, scores?.get(d) ?? 0);
    return out;
  };
}

/**
 * A projection that only includes top-level fields ({ a: 1, b: true, _id: 0 }), as a direct copy
 * of those fields in the stored document's order; undefined for any other shape. mingo would clone
 * the whole document and walk every path (the report queries of a month read 10,000 documents this way).
 */
export function topLevelInclusion(projection: Doc): ((d: Doc) => Doc) | undefined {
  const isOn = (v: unknown) => v === 1 || v === true;
  const isOff = (v: unknown) => v === 0 || v === false;
  const fields = new Set<string>();
  let withId = true;
  for (const [k, v] of Object.entries(projection)) {
    if (k === '_id' && (isOn(v) || isOff(v))) withId = isOn(v);
    else if (isOn(v) && k !== '' && !k.includes('.') && !k.startsWith('$') && k !== '__proto__') fields.add(k);
    else return undefined;
  }
  if (fields.size === 0) return undefined;
  if (withId) fields.add('_id');
  return (d) => {
    const out: Doc = {};
    for (const k of Object.keys(d)) if (fields.has(k)) out[k] = cloneDoc(d[k]);
    return out;
  };
}

/** mongod returns projected fields in the stored document's order; mingo returns them in the projection's. */
function inDocumentOrder(out: Doc, original: Doc): Doc {
  const keys = Object.keys(out);
  const order = Object.keys(original);
  const rank = (k: string) => {
    const i = order.indexOf(k);
    return i < 0 ? order.length : i;
  };
  const sorted = [...keys].sort((a, b) => rank(a) - rank(b));
  const nested = keys.some((k) => isPlainObject(out[k]) && isPlainObject(original[k]));
  if (!nested && sorted.every((k, i) => k === keys[i])) return out;
  const result: Doc = {};
  for (const k of sorted) {
    const v = out[k];
    setOwn(result, k, isPlainObject(v) && isPlainObject(original[k]) ? inDocumentOrder(v, original[k] as Doc) : v);
  }
  return result;
}

function compile(q: Doc): Query {
  try {
    return new Query(q);
  } catch (err) {
    throw badValue((err as Error).message);
  }
}

function sliceOp(path: string, arg: unknown): ArrayOp {
  if (typeof arg === 'number') return { kind: 'slice', path, skip: null, take: arg };
  if (Array.isArray(arg) && arg.length === 2 && arg.every((n) => typeof n === 'number')) {
    if (arg[1] <= 0) throw badValue(`$slice limit of '${path}' must be positive`);
    return { kind: 'slice', path, skip: arg[0], take: arg[1] };
  }
  throw badValue(`$slice of '${path}' takes a number or [skip, limit]`);
}

/**
 * The filter's conditions on `base` and its subfields, as a query on one wrapped element: the
 * first element that satisfies them is the one a positional projection returns.
 */
function positionalMatch(base: string, filter: Doc | undefined): Query | null {
  const conds: Doc[] = [];
  const collect = (f: Doc) => {
    for (const [k, v] of Object.entries(f)) {
      if (k === '$and' && Array.isArray(v)) for (const sub of v) if (isPlainObject(sub)) collect(sub);
      if (k === base) conds.push({ e: v });
      else if (k.startsWith(`${base}.`)) conds.push({ [`e.${k.slice(base.length + 1)}`]: v });
    }
  };
  if (filter) collect(filter);
  return conds.length === 0 ? null : compile({ $and: conds });
}

function getPath(d: Doc, path: string): unknown {
  let v: unknown = d;
  for (const part of path.split('.')) {
    if (!isPlainObject(v)) return undefined;
    v = v[part];
  }
  return v;
}

function setPath(d: Doc, path: string, value: unknown): void {
  const parts = path.split('.');
  let v: Doc = d;
  for (const part of parts.slice(0, -1)) {
    if (!isPlainObject(v[part])) return;
    v = v[part] as Doc;
  }
  const last = parts[parts.length - 1];
  if (value === undefined) delete v[last];
  else v[last] = value;
}

function applyArrayOp(o: ArrayOp, original: Doc, out: Doc): void {
  const arr = getPath(original, o.path);
  if (!Array.isArray(arr)) {
    if (o.kind === 'elemMatch') setPath(out, o.path, undefined);
    return;
  }
  if (o.kind === 'slice') {
    if (getPath(out, o.path) === undefined) return;
    const start = o.skip === null ? (o.take < 0 ? Math.max(0, arr.length + o.take) : 0) : o.skip < 0 ? Math.max(0, arr.length + o.skip) : o.skip;
    const end = o.skip === null && o.take < 0 ? arr.length : start + Math.abs(o.take);
    setPath(out, o.path, cloneDoc(arr.slice(start, end)));
    return;
  }
  // Wrapped in an array, the element meets each filter condition with the array semantics it had on the document.
  const i = arr.findIndex((el) => o.match.test({ e: [el] }));
  setPath(out, o.path, i >= 0 ? [cloneDoc(arr[i])] : undefined);
}
