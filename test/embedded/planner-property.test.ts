import fc from 'fast-check';
import { Query } from 'mingo';
import { describe, expect, it } from 'vitest';
import { Collection } from '../../models/embedded/collection.js';
import { selectDocs, sortComparator, sortDocs } from '../../models/embedded/commands/select.js';
import type { Doc } from '../../models/embedded/errors.js';

// Whatever index the planner reads, and whether it trusts the index for the sort order, a query
// must return what a full scan filtered by mingo and sorted by sortDocs returns: arrays, nulls, missing fields,
// mixed types and descending keys included.
const T0 = Date.parse('2025-03-03T01:00:00Z');
const small = fc.integer({ min: 0, max: 4 });
const date = fc.integer({ min: 0, max: 9 }).map((i) => new Date(T0 + i * 1000));
const absent = fc.constant(undefined);
const aValue = fc.oneof(small, fc.constantFrom('x', 'y'), fc.constant(null), absent, fc.array(small, { maxLength: 3 }));
const bValue = fc.oneof(fc.integer({ min: 0, max: 9 }), date, fc.constant(null), absent, fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 2 }));
const cValue = fc.oneof(fc.integer({ min: 0, max: 3 }), absent);

const docArb = fc.record({ a: aValue, b: bValue, c: cValue });

const bound = fc.oneof(fc.integer({ min: 0, max: 9 }), date);
const rangeArb = fc
  .record({ lo: fc.option(fc.tuple(fc.constantFrom('$gt', '$gte'), bound), { nil: undefined }), hi: fc.option(fc.tuple(fc.constantFrom('$lt', '$lte'), bound), { nil: undefined }) })
  .filter((r) => r.lo !== undefined || r.hi !== undefined)
  .map((r) => {
    const cond: Doc = {};
    for (const bound of [r.lo, r.hi]) if (bound) cond[bound[0]] = bound[1];
    return cond;
  });
const aCond = fc.oneof(small, fc.constant('x'), fc.record({ $in: fc.array(fc.oneof(small, fc.constant('y')), { minLength: 1, maxLength: 3 }) }), rangeArb);
const bCond = fc.oneof(fc.integer({ min: 0, max: 9 }), date, rangeArb, fc.record({ $in: fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 3 }) }));
const cCond = fc.oneof(fc.integer({ min: 0, max: 3 }), fc.record({ $in: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 2 }) }));
const filterArb = fc
  .record({ a: fc.option(aCond, { nil: undefined }), b: fc.option(bCond, { nil: undefined }), c: fc.option(cCond, { nil: undefined }) })
  .map((f) => Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)) as Doc);
const sortArb = fc.constantFrom<Doc | undefined>(undefined, { b: 1 }, { b: -1 }, { c: 1, b: -1 }, { c: -1, b: 1 }, { a: 1, b: 1 }, { a: -1 }, { c: 1 });

function build(docs: Doc[]): Collection {
  const coll = new Collection('db', 'prop');
  coll.addIndex({ key: { a: 1, b: 1 }, name: 'a_1_b_1' }, false);
  coll.addIndex({ key: { c: 1, b: -1 }, name: 'c_1_b_-1' }, false);
  coll.addIndex({ key: { b: 1 }, name: 'b_1' }, false);
  coll.addIndex({ key: { a: 1 }, name: 'a_sparse', sparse: true }, false);
  docs.forEach((d, i) => {
    const doc: Doc = { _id: i };
    for (const [k, v] of Object.entries(d)) if (v !== undefined) doc[k] = v;
    coll.put(doc);
  });
  return coll;
}

describe('planner', () => {
  it('returns exactly what a full scan returns, in the same sort order', () => {
    fc.assert(
      fc.property(fc.array(docArb, { maxLength: 40 }), fc.boolean(), filterArb, sortArb, fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }), (raw, flat, filter, sort, limit) => {
        // Without arrays the indexes are not multikey, and the planner may trust them for order.
        const coll = build(flat ? raw.map((d) => Object.fromEntries(Object.entries(d).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]))) : raw);
        const all = [...coll.docs.values()];
        const q = new Query(filter);
        let expected = all.filter((d) => q.test(d));
        if (sort) expected = sortDocs(expected, sort);
        const compare = sortComparator(sort ?? {});
        const got = selectDocs(coll, filter, { sort, limit });
        const wanted = limit ? expected.slice(0, limit) : expected;
        expect(got).toHaveLength(wanted.length);
        // Ties (equal sort keys, e.g. null and a missing field) may come in either order.
        if (sort) expect(got.map((d, i) => compare(d, wanted[i]))).toEqual(got.map(() => 0));
        const ids = new Set(expected.map((d) => d._id));
        for (const d of got) expect(ids.has(d._id)).toBe(true);
        if (!limit) expect(got.map((d) => d._id).sort()).toEqual(expected.map((d) => d._id).sort());
      }),
      { numRuns: 1000 },
    );
  });
});
