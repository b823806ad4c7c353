// Case numbers: optional site prefix + YYYYMMDD (Asia/Shanghai) + a daily sequence of at least
// three digits (20261124001). One atomic $inc upsert per number, so concurrent intakes on any
// number of processes get distinct, consecutive numbers. A number taken by an intake that then
// failed is skipped, never reused: a gap is honest, a duplicate is not.
import type { Models } from '../../models/index.js';

export async function nextCaseNumber(models: Models, site: string, prefix: string, localDate: string): Promise<string> {
  const day = localDate.replaceAll('-', '');
  const counter = await models.Counter.findOneAndUpdate(
    { _id: `case:${site}:${day}` },
    { $inc: { seq: 1 } },
    { upsert: true, returnDocument: 'after', lean: true },
  ).exec();
  const seq = counter?.seq ?? 1;
  return `${prefix}${day}${String(seq).padStart(3, '0')}`;
}
