// Query operators the store defines over mingo's, where mingo does not know BSON types: $type
// by mongod's numbers and aliases (an int is not a double, an ObjectId or binData is recognised),
// $bits* on numbers and on binData, comparisons of binData (length, then subtype, then bytes) and
// of longs against numbers, $all on a field that is not an array, and DBRef fields ($id) in
// conditions on a value.
import { $elemMatch, $eq, $gt, $gte, $in, $lt, $lte, $regex } from 'mingo/operators/query';
import { type Doc, badValue } from './errors.js';
import { BSON_TYPE_ALIASES, BSON_TYPE_NUMBERS, bsonTypeName, compareValues, isBsonType, isPlainObject, keyOf, valuesAtPath } from './values.js';

type Predicate = (doc: unknown) => boolean;
type MingoOp = (selector: string, value: unknown, options: never) => Predicate;

/** The value at `path` itself and, when it is an array, its elements: what $type and comparisons test. */
function leaves(doc: unknown, path: string): unknown[] {
  const out: unknown[] = [];
  const parts = path.split('.');
  const walk = (v: unknown, i: number): void => {
    if (i === parts.length) {
      out.push(v);
      if (Array.isArray(v)) out.push(...v);
      return;
    }
    if (Array.isArray(v)) {
      const idx = Number(parts[i]);
      if (Number.isInteger(idx) && String(idx) === parts[i]) walk(v[idx], i + 1);
      for (const e of v) if (isPlainObject(e)) walk(e, i);
      return;
    }
    if (isPlainObject(v)) walk(v[parts[i]], i + 1);
  };
  walk(doc, 0);
  return out;
}

const $type = (selector: string, value: unknown): Predicate => {
  const types = Array.isArray(value) ? value : [value];
  for (const t of types) {
    const known = typeof t === 'number' ? BSON_TYPE_NUMBERS[t] !== undefined : typeof t === 'string' && BSON_TYPE_ALIASES.has(t);
    if (!known) throw badValue(`Unknown type name alias: ${String(t)}`);
  }
  return (doc) => leaves(doc, selector).some((v) => v !== undefined && types.some((t) => isBsonType(v, t)));
};

// ---- $bits* --------------------------------------------------------------------------------

interface BinaryLike {
  _bsontype: 'Binary';
  buffer: Uint8Array;
  position: number;
}
const isBinary = (v: unknown): v is BinaryLike => (v as { _bsontype?: string } | null)?._bsontype === 'Binary';
const bytesOf = (b: BinaryLike) => b.buffer.subarray(0, b.position);

/** The positions a $bits* mask names: a bitmask number, an array of positions, or binData. */
function maskPositions(mask: unknown): number[] {
  if (Array.isArray(mask)) {
    if (!mask.every((p) => Number.isInteger(p) && p >= 0)) throw badValue('bit positions must be non-negative integers');
    return mask as number[];
  }
  if (isBinary(mask)) {
    const out: number[] = [];
    bytesOf(mask).forEach((byte, i) => {
      for (let b = 0; b < 8; b++) if (byte & (1 << b)) out.push(i * 8 + b);
    });
    return out;
  }
  const n = typeof mask === 'number' ? mask : Number(String(mask));
  if (!Number.isInteger(n) || n < 0) throw badValue(`a $bits* bitmask must be a non-negative integer, got ${String(mask)}`);
  const out: number[] = [];
  let big = BigInt(n);
  for (let i = 0; big > 0n; i++, big >>= 1n) if (big & 1n) out.push(i);
  return out;
}

/** Bit `i` of a value: numbers as 64-bit two's complement (sign-extended), binData little-endian by byte. */
function bitReader(v: unknown): ((i: number) => boolean) | null {
  if (isBinary(v)) {
    const bytes = bytesOf(v);
    return (i) => (i >> 3 < bytes.length ? ((bytes[i >> 3] >> (i & 7)) & 1) === 1 : false);
  }
  const type = bsonTypeName(v);
  if (type !== 'int' && type !== 'long' && type !== 'double') return null;
  const n = typeof v === 'bigint' ? v : Number(typeof v === 'object' ? String(v) : v);
  if (typeof n === 'number' && (!Number.isInteger(n) || !Number.isSafeInteger(n))) return null;
  const big = BigInt.asUintN(64, BigInt(n));
  return (i) => (i >= 64 ? big >> 63n === 1n : ((big >> BigInt(i)) & 1n) === 1n);
}

function bitsOp(test: (bits: boolean[]) => boolean) {
  return (selector: string, value: unknown): Predicate => {
    const positions = maskPositions(value);
    return (doc) =>
      valuesAtPath(doc, selector).values.some((v) => {
        const read = bitReader(v);
        return read !== null && test(positions.map(read));
      });
  };
}

// ---- comparisons -----------------------------------------------------------------------------

/** Values mingo compares wrongly: binData (it compares text), and longs or decimals beside plain numbers. */
function isExotic(v: unknown): boolean {
  const t = bsonTypeName(v);
  return t === 'binData' || t === 'long' || t === 'decimal' || typeof v === 'bigint';
}

const sameBracket = (a: unknown, b: unknown) => {
  const ta = bsonTypeName(a);
  const tb = bsonTypeName(b);
  if (isBsonType(a, 'number') && isBsonType(b, 'number')) return true;
  return ta === tb;
};

function exoticEquals(doc: unknown, selector: string, value: unknown): boolean {
  const key = isBinary(value) ? `bin:${value.position}:${(value as unknown as { sub_type: number }).sub_type}:${Buffer.from(bytesOf(value)).toString('hex')}` : keyOf(value);
  return leaves(doc, selector).some((v) => {
    if (isBinary(v)) return `bin:${v.position}:${(v as unknown as { sub_type: number }).sub_type}:${Buffer.from(bytesOf(v)).toString('hex')}` === key;
    return v !== undefined && keyOf(v) === key;
  });
}

/** mongod orders binData by length, then subtype, then bytes. */
function compareBson(a: unknown, b: unknown): number {
  if (isBinary(a) && isBinary(b)) {
    if (a.position !== b.position) return a.position - b.position;
    const sa = (a as unknown as { sub_type: number }).sub_type;
    const sb = (b as unknown as { sub_type: number }).sub_type;
    if (sa !== sb) return sa - sb;
    return Buffer.compare(Buffer.from(bytesOf(a)), Buffer.from(bytesOf(b)));
  }
  return compareValues(a, b);
}

function rangeOp(mingoOp: unknown, ok: (c: number) => boolean): MingoOp {
  const base = mingoOp as MingoOp;
  return (selector, value, options) => {
    const numeric = isBsonType(value, 'number');
    if (!isExotic(value) && !numeric) return base(selector, value, options);
    const fallback = isExotic(value) ? null : base(selector, value, options);
    return (doc) =>
      fallback?.(doc) ||
      leaves(doc, selector).some((v) => v !== undefined && (isExotic(v) || isExotic(value)) && sameBracket(v, value) && ok(compareBson(v, value)));
  };
}

/** Equality: mingo's, plus binData by subtype and bytes, and longs equal to plain numbers. */
function equalsOp(selector: string, value: unknown, options: never): Predicate {
  if (isBinary(value)) return (doc) => exoticEquals(doc, selector, value);
  const base = ($eq as unknown as MingoOp)(selector, value, options);
  if (!isBsonType(value, 'number')) return base;
  return (doc) => base(doc) || leaves(doc, selector).some((v) => isExotic(v) && keyOf(v) === keyOf(value));
}

function inOp(selector: string, value: unknown, options: never): Predicate {
  if (!Array.isArray(value)) throw badValue('$in needs an array');
  if (!value.some((v) => isBinary(v) || isExotic(v) || isBsonType(v, 'number'))) return ($in as unknown as MingoOp)(selector, value, options);
  const plain = value.filter((v) => !isBinary(v));
  const base = plain.length > 0 ? ($in as unknown as MingoOp)(selector, plain, options) : () => false;
  const others = value.filter((v) => isBinary(v) || isExotic(v) || isBsonType(v, 'number')).map((v) => equalsOp(selector, v, options));
  return (doc) => base(doc) || others.some((p) => p(doc));
}

// ---- $all ------------------------------------------------------------------------------------

/** $all: every listed value is at the path, which may hold an array or a single value (mingo wants an array). */
const $all = (selector: string, value: unknown, options: never): Predicate => {
  if (!Array.isArray(value)) throw badValue('$all needs an array');
  if (value.length === 0) return () => false;
  const parts = value.map((v) => {
    if (isPlainObject(v) && '$elemMatch' in v) return ($elemMatch as unknown as MingoOp)(selector, v.$elemMatch, options);
    if (v instanceof RegExp) return ($regex as unknown as MingoOp)(selector, v, options);
    return equalsOp(selector, v, options);
  });
  return (doc) => parts.every((p) => p(doc));
};

/**
 * DBRef field names ($ref, $id, $db) in a condition on a value, as in
 * { members: { $elemMatch: { $id: id } } }: mongod reads them as fields of that value.
 */
const DBREF_PARTS: Record<string, string> = { $ref: 'collection', $id: 'oid', $db: 'db' };
const dbRefField =
  (name: string): MingoOp =>
  (selector, value) => {
    const key = keyOf(value);
    // The bson parser turns a stored { $ref, $id } into a DBRef, whose parts have other names.
    const part = (v: unknown) =>
      (v as { _bsontype?: string } | null)?._bsontype === 'DBRef' ? (v as unknown as Doc)[DBREF_PARTS[name]] : isPlainObject(v) ? v[name] : undefined;
    return (doc) => leaves(doc, selector).some((v) => {
      const p = part(v);
      return p !== undefined && keyOf(p) === key;
    });
  };

export const bsonQueryOperators: Record<string, MingoOp> = {
  $ref: dbRefField('$ref'),
  $id: dbRefField('$id'),
  $db: dbRefField('$db'),
  $type: $type as MingoOp,
  $bitsAllSet: bitsOp((bits) => bits.every(Boolean)) as MingoOp,
  $bitsAnySet: bitsOp((bits) => bits.some(Boolean)) as MingoOp,
  $bitsAllClear: bitsOp((bits) => bits.every((b) => !b)) as MingoOp,
  $bitsAnyClear: bitsOp((bits) => bits.some((b) => !b)) as MingoOp,
  $eq: equalsOp,
  $ne: (selector, value, options) => {
    const eq = equalsOp(selector, value, options);
    return (doc) => !eq(doc);
  },
  $in: inOp,
  $nin: (selector, value, options) => {
    const inn = inOp(selector, value, options);
    return (doc) => !inn(doc);
  },
  $gt: rangeOp($gt, (c) => c > 0),
  $gte: rangeOp($gte, (c) => c >= 0),
  $lt: rangeOp($lt, (c) => c < 0),
  $lte: rangeOp($lte, (c) => c <= 0),
  $all,
};
