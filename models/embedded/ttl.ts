// TTL indexes: documents whose indexed date is older than expireAfterSeconds are deleted by a
// periodic sweep, as mongod's TTL monitor does (also roughly once a minute); so are the measurements
// of a timeseries collection with expireAfterSeconds, by their timeField.
import type { Catalog } from './catalog.js';
import type { JournalOp } from './journal-ops.js';
import { valuesAtPath } from './values.js';

export function sweepExpired(catalog: Catalog, now: Date): JournalOp[] {
  const log: JournalOp[] = [];
  for (const colls of catalog.dbs.values()) {
    for (const coll of colls.values()) {
      // A timeseries collection's own expireAfterSeconds applies to its timeField.
      const ts = coll.options.timeseries as { timeField?: string } | undefined;
      const collTtl = coll.options.expireAfterSeconds;
      if (ts?.timeField && typeof collTtl === 'number') {
        const cutoff = now.getTime() - collTtl * 1000;
        for (const doc of [...coll.docs.values()]) {
          const t = doc[ts.timeField];
          if (t instanceof Date && t.getTime() <= cutoff) coll.remove(doc, log);
        }
      }
      for (const index of coll.indexes.values()) {
        const ttl = index.spec.expireAfterSeconds;
        if (typeof ttl !== 'number' || index.fields.length !== 1) continue;
        const cutoff = now.getTime() - ttl * 1000;
        for (const doc of [...coll.docs.values()]) {
          const dates = valuesAtPath(doc, index.fields[0]).values.filter((v): v is Date => v instanceof Date);
          if (dates.length > 0 && Math.min(...dates.map((d) => d.getTime())) <= cutoff) coll.remove(doc, log);
        }
      }
    }
  }
  return log;
}
