// Case numbers: optional site prefix + YYYYMMDD (Asia/Shanghai) + a daily sequence of at least
// three digits (20261124001). One atomic $inc upsert on the day's counter, so concurrent intakes
// on any number of processes get distinct, consecutive numbers. Intakes asking in the same moment
// in one process share one `$inc: n` and take the n numbers in the order they asked: nothing is
// reserved ahead for later intakes, so no process holds numbers that others would overtake and a
// restart leaves no hole. A number taken by an intake that then failed is skipped, never reused:
// a gap is honest, a duplicate is not.
import type { Models } from '../../models/index.js';
import { batched } from '../batched.js';

const counters = new WeakMap<Models, (id: string) => Promise<number>>();

function counterOf(models: Models): (id: string) => Promise<number> {
  let take = counters.get(models);
  if (!take) {
    take = batched<string, number>(async (ids) => {
      const wanted = new Map<string, number>();
      for (const id of ids) wanted.set(id, (wanted.get(id) ?? 0) + 1);
      // The first of each counter's n numbers, then the next, in the order the intakes asked.
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
    });
    counters.set(models, take);
  }
  return take;
}

export async function nextCaseNumber(models: Models, site: string, prefix: string, localDate: string): Promise<string> {
  const day = localDate.replaceAll('-', '');
  const seq = await counterOf(models)(`case:${site}:${day}`);
  return `${prefix}${day}${String(seq).padStart(3, '0')}`;
}
