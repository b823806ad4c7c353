// The store work of intakes running at the same moment on one connection, sent together (see
// batched.ts): the idempotency lookups as one find with `$in`, the new cases as one unordered
// insertMany in which each case succeeds or fails (E11000) on its own. Plain MongoDB commands, so
// a real server behaves the same.
import type { CaseDoc, Models } from '../../models/index.js';
import { batched, eachWritten } from '../batched.js';

export interface IntakeWrites {
  /** The case already registered under this idempotency key, if any. */
  existing(key: string): Promise<CaseDoc | null>;
  /** Inserts a case already cast and validated (the object mongoose would have sent). */
  insert(raw: object): Promise<void>;
}

const byModels = new WeakMap<Models, IntakeWrites>();

export function intakeWrites(models: Models): IntakeWrites {
  let w = byModels.get(models);
  if (!w) {
    w = {
      existing: batched<string, CaseDoc | null>(async (keys) => {
        // `$type` as the partial unique index states it, so that a MongoDB planner may use the index.
        const found = await models.Case.find({ intakeKey: { $in: [...new Set(keys)], $type: 'string' } })
          .lean<CaseDoc[]>()
          .exec();
        const byKey = new Map(found.map((d) => [d.intakeKey, d]));
        return keys.map((k) => byKey.get(k) ?? null);
      }),
      insert: batched<object, void>((raws) => eachWritten(raws, () => models.Case.collection.insertMany(raws as CaseDoc[], { ordered: false }))),
    };
    byModels.set(models, w);
  }
  return w;
}
