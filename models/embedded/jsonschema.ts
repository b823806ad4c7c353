// $jsonSchema as mongod implements it (draft 4 keywords plus bsonType, no $ref), for validators
// and for queries. Types are BSON types: bsonType takes mongod's aliases, type the JSON ones.
import { badValue } from './errors.js';
import { bsonTypeName, BSON_TYPE_ALIASES, isBsonType, isPlainObject, keyOf } from './values.js';

type Check = (v: unknown) => boolean;
type Schema = Record<string, unknown>;

const JSON_TYPES: Record<string, (v: unknown) => boolean> = {
  object: (v) => bsonTypeName(v) === 'object',
  array: Array.isArray,
  number: (v) => isBsonType(v, 'number'),
  boolean: (v) => typeof v === 'boolean',
  string: (v) => typeof v === 'string',
  null: (v) => v === null,
};

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);

const num = (v: unknown): number => Number(typeof v === 'object' && v !== null ? String(v) : v);

/** Compiles a $jsonSchema document into a predicate; unknown or malformed keywords are refused. */
export function compileJsonSchema(schema: unknown): Check {
  if (!isPlainObject(schema)) throw badValue('$jsonSchema must be an object');
  const s = schema as Schema;
  const checks: Check[] = [];
  for (const [kw, arg] of Object.entries(s)) {
    switch (kw) {
      case 'title':
      case 'description':
        break;
      case 'bsonType': {
        const types = asList(arg);
        for (const t of types) if (typeof t !== 'string' || !BSON_TYPE_ALIASES.has(t)) throw badValue(`Unknown type name alias: ${String(t)}`);
        checks.push((v) => types.some((t) => isBsonType(v, t)));
        break;
      }
      case 'type': {
        const types = asList(arg);
        for (const t of types) if (typeof t !== 'string' || !JSON_TYPES[t]) throw badValue(`$jsonSchema type '${String(t)}' is not supported; use bsonType`);
        checks.push((v) => types.some((t) => JSON_TYPES[t as string](v)));
        break;
      }
      case 'enum': {
        if (!Array.isArray(arg) || arg.length === 0) throw badValue("$jsonSchema keyword 'enum' must be a non-empty array");
        const keys = new Set(arg.map(keyOf));
        checks.push((v) => keys.has(keyOf(v)));
        break;
      }
      case 'required': {
        if (!Array.isArray(arg) || !arg.every((k) => typeof k === 'string')) throw badValue("$jsonSchema keyword 'required' must be an array of strings");
        checks.push((v) => !isPlainObject(v) || arg.every((k) => (v as Schema)[k as string] !== undefined));
        break;
      }
      case 'properties': {
        if (!isPlainObject(arg)) throw badValue("$jsonSchema keyword 'properties' must be an object");
        const props = Object.entries(arg).map(([k, sub]) => [k, compileJsonSchema(sub)] as const);
        checks.push((v) => !isPlainObject(v) || props.every(([k, c]) => v[k] === undefined || c(v[k])));
        break;
      }
      case 'patternProperties':
      case 'additionalProperties':
        break; // handled together below
      case 'minProperties':
      case 'maxProperties': {
        const n = num(arg);
        checks.push((v) => !isPlainObject(v) || (kw === 'minProperties' ? Object.keys(v).length >= n : Object.keys(v).length <= n));
        break;
      }
      case 'items': {
        if (Array.isArray(arg)) {
          const each = arg.map(compileJsonSchema);
          const extra = s.additionalItems;
          const rest = isPlainObject(extra) ? compileJsonSchema(extra) : extra === false ? () => false : () => true;
          checks.push((v) => !Array.isArray(v) || v.every((e, i) => (i < each.length ? each[i](e) : rest(e))));
        } else {
          const each = compileJsonSchema(arg);
          checks.push((v) => !Array.isArray(v) || v.every(each));
        }
        break;
      }
      case 'additionalItems':
        break;
      case 'minItems':
      case 'maxItems': {
        const n = num(arg);
        checks.push((v) => !Array.isArray(v) || (kw === 'minItems' ? v.length >= n : v.length <= n));
        break;
      }
      case 'uniqueItems':
        if (arg === true) checks.push((v) => !Array.isArray(v) || new Set(v.map(keyOf)).size === v.length);
        break;
      case 'minimum':
      case 'maximum': {
        const n = num(arg);
        const exclusive = s[kw === 'minimum' ? 'exclusiveMinimum' : 'exclusiveMaximum'] === true;
        checks.push((v) => {
          if (!isBsonType(v, 'number')) return true;
          const x = num(v);
          if (kw === 'minimum') return exclusive ? x > n : x >= n;
          return exclusive ? x < n : x <= n;
        });
        break;
      }
      case 'exclusiveMinimum':
      case 'exclusiveMaximum':
        break;
      case 'multipleOf': {
        const n = num(arg);
        checks.push((v) => !isBsonType(v, 'number') || num(v) % n === 0);
        break;
      }
      case 'minLength':
      case 'maxLength': {
        const n = num(arg);
        checks.push((v) => typeof v !== 'string' || (kw === 'minLength' ? [...v].length >= n : [...v].length <= n));
        break;
      }
      case 'pattern': {
        if (typeof arg !== 'string') throw badValue("$jsonSchema keyword 'pattern' must be a string");
        const re = new RegExp(arg, 'u');
        checks.push((v) => typeof v !== 'string' || re.test(v));
        break;
      }
      case 'allOf':
      case 'anyOf':
      case 'oneOf': {
        if (!Array.isArray(arg) || arg.length === 0) throw badValue(`$jsonSchema keyword '${kw}' must be a non-empty array`);
        const subs = arg.map(compileJsonSchema);
        if (kw === 'allOf') checks.push((v) => subs.every((c) => c(v)));
        else if (kw === 'anyOf') checks.push((v) => subs.some((c) => c(v)));
        else checks.push((v) => subs.filter((c) => c(v)).length === 1);
        break;
      }
      case 'not': {
        const sub = compileJsonSchema(arg);
        checks.push((v) => !sub(v));
        break;
      }
      case 'dependencies': {
        if (!isPlainObject(arg)) throw badValue("$jsonSchema keyword 'dependencies' must be an object");
        const deps = Object.entries(arg).map(([k, d]) => [k, Array.isArray(d) ? (v: Schema) => d.every((p) => v[p as string] !== undefined) : compileJsonSchema(d)] as const);
        checks.push((v) => !isPlainObject(v) || deps.every(([k, c]) => v[k] === undefined || c(v as Schema)));
        break;
      }
      default:
        throw badValue(`Unknown $jsonSchema keyword: ${kw}`);
    }
  }
  if (s.additionalProperties !== undefined || s.patternProperties !== undefined) {
    const declared = new Set(isPlainObject(s.properties) ? Object.keys(s.properties) : []);
    const patterns = isPlainObject(s.patternProperties)
      ? Object.entries(s.patternProperties).map(([p, sub]) => [new RegExp(p, 'u'), compileJsonSchema(sub)] as const)
      : [];
    const extra = s.additionalProperties;
    const others: Check = isPlainObject(extra) ? compileJsonSchema(extra) : extra === false ? () => false : () => true;
    checks.push((v) => {
      if (!isPlainObject(v)) return true;
      for (const [k, val] of Object.entries(v)) {
        const hits = patterns.filter(([re]) => re.test(k));
        if (!hits.every(([, c]) => c(val))) return false;
        if (!declared.has(k) && hits.length === 0 && !others(val)) return false;
      }
      return true;
    });
  }
  return (v) => checks.every((c) => c(v));
}
