// A message to a site's staff rooms that belongs to no case (the calendar lacks next year's
// holidays, …). Its id is derived from `key`, so several processes posting the same notice, or
// one process restarting, deliver it once.
import type { Models } from '../../models/index.js';
import type { Directory } from '../directory/index.js';
import { OutboxBatch } from '../recipients.js';
import { onlyDuplicates, toMessage } from './relay.js';

export async function postStaffNotice(
  deps: { models: Models; directory: Directory },
  notice: { site: string; key: string; text: string; reason: string; now: Date },
): Promise<number> {
  const batch = new OutboxBatch(deps.directory, `notice:${notice.site}:${notice.key}`, { site: notice.site, createdAt: notice.now });
  await batch.add({ kind: 'staffRoom', site: notice.site }, { kind: 'text', text: notice.text }, { reason: notice.reason });
  if (!batch.entries.length) return 0;
  try {
    await deps.models.Message.insertMany(batch.entries.map(toMessage), { ordered: false });
  } catch (err) {
    if (!onlyDuplicates(err)) throw err;
  }
  return batch.entries.length;
}
