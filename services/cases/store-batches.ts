// The store commands of case work running at the same moment in this process, sent together
// (see batched.ts): the idempotency lookups as one find with `$in`, the new cases as one unordered
// insertMany in which each case succeeds or fails (E11000) on its own, the audit entries likewise,
// and one `$inc: n` on a day's case-number counter. Plain MongoDB commands, so a real server
// behaves the same. One set per composition root (createCaseServices makes it): two desks in one
// process never share a batch.
import type { AuditDoc } from '../../models/audit.js';
import type { CaseDoc, Models } from '../../models/index.js';
import { Failed, batched, eachWritten } from '../batched.js';

export type AuditEntry = Omit<AuditDoc, '_id'> & { _id: string };

export interface StoreBatches {
  /** The case already registered under this idempotency key, if any. */
  existingIntake(key: string): Promise<CaseDoc | null>;
  /** Inserts a case already cast and validated (the object mongoose would have sent). */
  insertCase(raw: object): Promise<void>;
  /**
   * Writes an audit entry once. Its id is deterministic, so one already there (a change retried)
   * answers E11000: written once, as an upsert with $setOnInsert would, for a plain insert's cost.
   */
  writeAudit(entry: AuditEntry): Promise<void>;
  /**
   * The next number of a counter. Callers asking in the same moment share one `$inc: n` and take
   * the n numbers in the order they asked; nothing is reserved ahead, so numbers stay consecutive
   * across processes and a restart leaves no hole.
   */
  takeNumber(counter: string): Promise<number>;
}

export function createStoreBatches(models: Models): StoreBatches {
  return {
    existingIntake: batched<string, CaseDoc | null>(async (keys) => {
      // `$type` as the partial unique index states it, so that a MongoDB planner may use the index.
      const found = await models.Case.find({ intakeKey: { $in: [...new Set(keys)], $type: 'string' } })
        .lean<CaseDoc[]>()
        .exec();
      const byKey = new Map(found.map((d) => [d.intakeKey, d]));
      return keys.map((k) => byKey.get(k) ?? null);
    }),
    insertCase: batched<object, void>((raws) => eachWritten(raws, () => models.Case.collection.insertMany(raws as CaseDoc[], { ordered: false }))),
    writeAudit: batched<AuditEntry, void>(async (entries) => {
      const written = await eachWritten(entries, () => models.Audit.insertMany(entries, { ordered: false, throwOnValidationError: true }));
      return written.map((r) => (r instanceof Failed && (r.error as { code?: number }).code === 11000 ? undefined : r));
    }),
    takeNumber: batched<string, number>(async (ids) => {
      const wanted = new Map<string, number>();
      for (const id of ids) wanted.set(id, (wanted.get(id) ?? 0) + 1);
      // The first of each counter's n numbers, then the next, in the order the callers asked.
      const next = new Map<string, number>();
      await Promise.all(
        [...wanted].map(async ([id, n]) => {
          const c = await models.Counter.findOneAndUpdate({ _id: id }, { $inc: { seq: n } }, { upsert: true, returnDocument: 'after', lean: true }).exec();
          next.set(id, (c?.seq ?? n) - n + 1);
        }),
      );
      return ids.map((id) => {
        const seq = next.get(id) ?? 1;
        next.set(id, seq + 1);
        return seq;
      });
    }),
  };
}

/** The deps' batches, or a set of its own for a caller that built its deps by hand (a lone call). */
export const batchesOf = (deps: { models: Models; batches?: StoreBatches }): StoreBatches => deps.batches ?? createStoreBatches(deps.models);
