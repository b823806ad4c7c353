// BSON value helpers: canonical keys for hashing, MongoDB's cross-type ordering, copy-on-write
// cloning that keeps bson classes intact, and path extraction for (multikey) indexes.
import { ObjectId } from 'bson';
import type { Doc } from './errors.js';

type Tagged = { _bsontype?: string };

function bsonType(v: unknown): string | undefined {
  return v !== null && typeof v === 'object' ? (v as Tagged)._bsontype : undefined;
}

/** A string that is equal for two values exactly when MongoDB considers them equal. */
export function keyOf(v: unknown): string {
  if (v === null || v === undefined) return 'z';
  switch (typeof v) {
    case 'number':
      return `n${v === 0 ? 0 : v}`;
    case 'bigint':
      return `n${v}`;
    case 'string':
      return `s${v}`;
    case 'boolean':
      return v ? 'bt' : 'bf';
    default:
      break;
  }
  if (v instanceof Date) return `d${v.getTime()}`;
  const t = bsonType(v);
  if (t === 'ObjectId' || t === 'ObjectID') return `o${(v as ObjectId).toHexString()}`;
  if (t === 'Long') return `n${BigInt((v as { toString(): string }).toString())}`;
  if (t === 'Int32' || t === 'Double') return `n${Number(v.valueOf())}`;
  if (t === 'Decimal128') return `n${Number(v.toString())}`;
  if (Array.isArray(v)) return `a[${v.map(keyOf).join(',')}]`;
  if (t === 'Binary') {
    const b = v as { sub_type: number; buffer: Uint8Array; position: number };
    return `x${b.sub_type}:${Buffer.from(b.buffer.subarray(0, b.position)).toString('hex')}`;
  }
  if (t !== undefined) return `${t}:${JSON.stringify(v)}`;
  const o = v as Doc;
  return `{${Object.keys(o)
    .map((k) => `${JSON.stringify(k)}:${keyOf(o[k])}`)
    .join(',')}}`;
}

/** MongoDB's canonical type order, enough for range scans and sorts on indexed fields. */
export function typeRank(v: unknown): number {
  if (v === null || v === undefined) return 1;
  if (typeof v === 'number' || typeof v === 'bigint') return 2;
  if (typeof v === 'string') return 3;
  if (typeof v === 'boolean') return 8;
  if (v instanceof Date) return 9;
  if (v instanceof RegExp) return 11;
  const t = bsonType(v);
  if (t === 'Long' || t === 'Int32' || t === 'Double' || t === 'Decimal128') return 2;
  if (t === 'ObjectId') return 7;
  if (t === 'Binary') return 6;
  if (t === 'Timestamp') return 10;
  if (t === 'MinKey') return 0;
  if (t === 'MaxKey') return 12;
  if (Array.isArray(v)) return 5;
  return 4;
}

/** Types whose values the range index orders exactly; others fall back to a scan. */
export function isRangeable(v: unknown): boolean {
  const r = typeRank(v);
  return r === 2 || r === 3 || r === 7 || r === 8 || r === 9;
}

function scalar(v: unknown): number | string {
  if (typeof v === 'number' || typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Date) return v.getTime();
  const t = bsonType(v);
  if (t === 'ObjectId') return (v as ObjectId).toHexString();
  return Number((v as { toString(): string }).toString());
}

export function compareValues(a: unknown, b: unknown): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 1) return 0;
  const sa = isRangeable(a) ? scalar(a) : keyOf(a);
  const sb = isRangeable(a) ? scalar(b) : keyOf(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** The values MongoDB tells apart (by `keyOf`), each at its first occurrence. */
export function distinctValues(values: Iterable<unknown>): unknown[] {
  const seen = new Map<string, unknown>();
  for (const v of values) {
    const k = keyOf(v);
    if (!seen.has(k)) seen.set(k, v);
  }
  return [...seen.values()];
}

export function isPlainObject(v: unknown): v is Doc {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof Date) return false;
  return bsonType(v) === undefined && !(v instanceof RegExp) && !(v instanceof Uint8Array);
}

/** Deep copy of plain objects, arrays and Dates; bson value classes are immutable and shared. */
export function cloneDoc<T>(v: T): T {
  if (Array.isArray(v)) return v.map(cloneDoc) as T;
  if (v instanceof Date) return new Date(v.getTime()) as T;
  if (isPlainObject(v)) {
    const out: Doc = {};
    for (const k of Object.keys(v)) setOwn(out, k, cloneDoc(v[k]));
    return out as T;
  }
  return v;
}

/**
 * `obj[key] = value` as an own property even for '__proto__' (a field name MongoDB allows):
 * plain assignment would replace the object's prototype instead and lose the field.
 */
export function setOwn(obj: Doc, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/** Whether a field named '__proto__' occurs anywhere in `v`. */
export function hasProtoKey(v: unknown): boolean {
  if (Array.isArray(v)) return v.some(hasProtoKey);
  if (!isPlainObject(v)) return false;
  return Object.keys(v).some((k) => k === '__proto__' || hasProtoKey(v[k]));
}

/** Every value an index on `path` would hold for `doc`; arrays contribute their elements. */
export function valuesAtPath(doc: unknown, path: string): { values: unknown[]; multikey: boolean } {
  const parts = path.split('.');
  const out: unknown[] = [];
  let multikey = false;
  const walk = (v: unknown, i: number): void => {
    if (i === parts.length) {
      if (Array.isArray(v)) {
        multikey = true;
        if (v.length === 0) out.push(undefined);
        for (const e of v) out.push(e);
      } else out.push(v);
      return;
    }
    if (Array.isArray(v)) {
      multikey = true;
      const idx = Number(parts[i]);
      if (Number.isInteger(idx) && String(idx) === parts[i]) walk(v[idx], i + 1);
      else for (const e of v) walk(e, i);
      return;
    }
    if (isPlainObject(v)) walk(v[parts[i]], i + 1);
    else out.push(undefined);
  };
  walk(doc, 0);
  return { values: distinctValues(out), multikey };
}

/** Renders a value the way mongod prints it inside an E11000 message. */
export function renderValue(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v instanceof Date) return `new Date(${v.getTime()})`;
  if (v instanceof ObjectId || bsonType(v) === 'ObjectId') return `ObjectId('${(v as ObjectId).toHexString()}')`;
  if (Array.isArray(v)) return `[ ${v.map(renderValue).join(', ')} ]`;
  if (isPlainObject(v)) {
    const keys = Object.keys(v);
    return keys.length === 0 ? '{}' : `{ ${keys.map((k) => `${k}: ${renderValue(v[k])}`).join(', ')} }`;
  }
  return String(v);
}

/**
 * The BSON type name mongod gives a value ($type, $jsonSchema bsonType). A JS number is an int
 * when it is integral and fits 32 bits (as the bson serializer writes it), otherwise a double.
 */
export function bsonTypeName(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  switch (typeof v) {
    case 'number':
      return Number.isInteger(v) && v >= -2147483648 && v <= 2147483647 ? 'int' : 'double';
    case 'bigint':
      return 'long';
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    default:
      break;
  }
  if (v instanceof Date) return 'date';
  if (v instanceof RegExp) return 'regex';
  if (Array.isArray(v)) return 'array';
  if (v instanceof Uint8Array) return 'binData';
  switch (bsonType(v)) {
    case undefined:
      return 'object';
    case 'ObjectId':
    case 'ObjectID':
      return 'objectId';
    case 'Int32':
      return 'int';
    case 'Double':
      return 'double';
    case 'Long':
      return 'long';
    case 'Decimal128':
      return 'decimal';
    case 'Binary':
      return 'binData';
    case 'Timestamp':
      return 'timestamp';
    case 'BSONRegExp':
      return 'regex';
    case 'Code':
      return (v as { scope?: unknown }).scope ? 'javascriptWithScope' : 'javascript';
    case 'BSONSymbol':
      return 'symbol';
    case 'MinKey':
      return 'minKey';
    case 'MaxKey':
      return 'maxKey';
    case 'DBRef':
      return 'object';
    default:
      return 'object';
  }
}

const NUMERIC = new Set(['int', 'long', 'double', 'decimal']);

/** Whether `v` is of the BSON type named (an alias, 'number', or a type number as $type takes). */
export function isBsonType(v: unknown, type: unknown): boolean {
  const name = bsonTypeName(v);
  if (type === 'number') return NUMERIC.has(name);
  if (typeof type === 'number') return BSON_TYPE_NUMBERS[type] === name;
  return name === type;
}

export const BSON_TYPE_NUMBERS: Record<number, string> = {
  1: 'double',
  2: 'string',
  3: 'object',
  4: 'array',
  5: 'binData',
  6: 'undefined',
  7: 'objectId',
  8: 'bool',
  9: 'date',
  10: 'null',
  11: 'regex',
  12: 'dbPointer',
  13: 'javascript',
  14: 'symbol',
  15: 'javascriptWithScope',
  16: 'int',
  17: 'timestamp',
  18: 'long',
  19: 'decimal',
  [-1]: 'minKey',
  127: 'maxKey',
};

export const BSON_TYPE_ALIASES = new Set([...Object.values(BSON_TYPE_NUMBERS), 'number']);
