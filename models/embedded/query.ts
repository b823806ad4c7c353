// The one mingo context every filter, projection, update and pipeline of the store runs in:
// mingo's operators plus the ones the store defines as mongod does (BSON types, geo). Built once: mingo's
// convenience classes merge a context passed to them into a fresh copy on every query.
import { Aggregator as AggregatorBase } from 'mingo/aggregator';
import { Context, OpType } from 'mingo/core';
import * as accumulator from 'mingo/operators/accumulator';
import * as expression from 'mingo/operators/expression';
import * as pipeline from 'mingo/operators/pipeline';
import * as projection from 'mingo/operators/projection';
import * as query from 'mingo/operators/query';
import * as window from 'mingo/operators/window';
import { Query as QueryBase } from 'mingo/query';
import { type Iterator, Lazy } from 'mingo/lazy';
import type { Options } from 'mingo/types';
import { Long } from 'bson';
import type { Doc } from './errors.js';
import { geoQueryOperators } from './geo.js';
import { bsonQueryOperators } from './operators.js';
import { cloneDoc, isPlainObject } from './values.js';
import { compileJsonSchema } from './jsonschema.js';

/** Stages that only read their input documents: a sub-pipeline of these alone needs no copies. */
const READ_ONLY_STAGES = new Set(['$match', '$group', '$count', '$sort', '$skip', '$limit', '$sortByCount']);
const readOnly = (stages: Doc[]) => stages.every((st) => Object.keys(st).every((k) => READ_ONLY_STAGES.has(k)));

/**
 * $facet as mingo runs it, but each sub-pipeline that may write gets its copies from the store's
 * cloneDoc: mingo's own deep clone (CLONE_INPUT) resolves a graph per document and took most of a
 * report's aggregate. Writers still get one copy each, so no sub-pipeline sees another's writes.
 */
function $facet(coll: Iterator, expr: Record<string, Doc[]>, options: Options): Iterator {
  return coll.transform((arr) => {
    const out: Doc = {};
    for (const k of Object.keys(expr)) {
      const stages = expr[k];
      out[k] = new AggregatorBase(stages as never, options).run(readOnly(stages) ? arr : (arr as Doc[]).map(cloneDoc));
    }
    return Lazy([out]);
  });
}

const CONTEXT = Context.init({
  accumulator,
  expression,
  pipeline: { ...pipeline, $facet } as never,
  projection,
  query: { ...query, ...bsonQueryOperators, ...geoQueryOperators } as never,
  window,
});

export type QueryOptions = Partial<Omit<Options, 'context'>>;

/** mingo options with the store's context; scripts ($where, $function) are off, as the store runs no client code. */
export function mingoOptions(opts: QueryOptions = {}): Partial<Options> {
  return { scriptEnabled: false, jsonSchemaValidator: compileJsonSchema as never, ...opts, context: CONTEXT };
}

export class Query extends QueryBase<Doc> {
  constructor(condition: Doc, opts: QueryOptions = {}) {
    super(withoutBigInts(condition) as never, mingoOptions(opts));
  }
}

/**
 * The condition with int64 values as bson Longs: mingo JSON-stringifies every condition it
 * compiles, which throws on a bigint; the store's comparison operators read Longs as numbers.
 */
function withoutBigInts(v: unknown): unknown {
  if (typeof v === 'bigint') return Long.fromBigInt(v);
  if (Array.isArray(v)) return v.some(hasBigInt) ? v.map(withoutBigInts) : v;
  if (isPlainObject(v) && hasBigInt(v)) {
    const out: Doc = {};
    for (const k of Object.keys(v)) out[k] = withoutBigInts(v[k]);
    return out;
  }
  return v;
}

function hasBigInt(v: unknown): boolean {
  if (typeof v === 'bigint') return true;
  if (Array.isArray(v)) return v.some(hasBigInt);
  return isPlainObject(v) && Object.values(v).some(hasBigInt);
}

/** Whether mingo knows the aggregation stage. */
export function isPipelineStage(name: string): boolean {
  return CONTEXT.getOperator(OpType.PIPELINE, name) !== null;
}

export class Aggregator extends AggregatorBase {
  constructor(stages: Doc[], opts: QueryOptions = {}) {
    super(stages as never, mingoOptions(opts));
  }
}
