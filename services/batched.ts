// Requests made in one turn of the event loop, sent to the store as one command. A crowd
// submitting at once made each registration wait behind the others' round trips: the bot and the
// store spent more CPU on each command's journey than on its work. A lone call still goes at once
// (the next turn of the loop), so nothing waits for company.
import { mongo } from 'mongoose';

/** One call's own failure inside a batch that otherwise went through. */
export class Failed {
  constructor(readonly error: unknown) {}
}

/** Collects calls made before the next turn of the event loop and runs them as one. */
export function batched<I, O>(run: (items: I[]) => Promise<(O | Failed)[]>): (item: I) => Promise<O> {
  let pending: { item: I; resolve: (o: O) => void; reject: (e: unknown) => void }[] | null = null;
  const flush = async () => {
    const calls = pending ?? [];
    pending = null;
    try {
      const results = await run(calls.map((c) => c.item));
      calls.forEach((c, i) => {
        const r = results[i];
        if (r instanceof Failed) c.reject(r.error);
        else c.resolve(r as O);
      });
    } catch (e) {
      for (const c of calls) c.reject(e);
    }
  };
  return (item) =>
    new Promise<O>((resolve, reject) => {
      if (!pending) {
        pending = [];
        setImmediate(flush);
      }
      pending.push({ item, resolve, reject });
    });
}

/**
 * Runs an unordered bulk write of one document or operation per call: each call gets its own
 * write error (E11000, as the single-document command would have answered), the others succeed.
 */
export async function eachWritten<I>(items: I[], write: () => Promise<unknown>): Promise<(undefined | Failed)[]> {
  try {
    await write();
    return items.map(() => undefined);
  } catch (e) {
    // A write concern error, or no answer at all, leaves every document's fate unknown.
    if (!(e instanceof mongo.MongoBulkWriteError) || e.result?.getWriteConcernError?.()) throw e;
    const list = Array.isArray(e.writeErrors) ? e.writeErrors : [e.writeErrors];
    const byIndex = new Map<number, unknown>();
    for (const w of list) {
      if (!w) continue;
      // The shape a single insert or update rejects with, so callers tell E11000 by its code as before.
      byIndex.set(w.index, new mongo.MongoServerError({ ...w.err, message: w.errmsg ?? 'write error', errmsg: w.errmsg, code: w.code }));
    }
    return items.map((_, i) => (byIndex.has(i) ? new Failed(byIndex.get(i)) : undefined));
  }
}
