// Case numbers: optional site prefix + YYYYMMDD (Asia/Shanghai) + a daily sequence of at least
// three digits (20261124001). One atomic $inc upsert on the day's counter (shared by the intakes
// of the same moment, see store-batches.ts), so concurrent intakes on any number of processes get
// distinct, consecutive numbers. A number taken by an intake that then failed is skipped, never
// reused: a gap is honest, a duplicate is not.
import type { StoreBatches } from './store-batches.js';

export async function nextCaseNumber(batches: StoreBatches, site: string, prefix: string, localDate: string): Promise<string> {
  const day = localDate.replaceAll('-', '');
  const seq = await batches.takeNumber(`case:${site}:${day}`);
  return `${prefix}${day}${String(seq).padStart(3, '0')}`;
}
