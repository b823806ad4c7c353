// What both WeChat desks (Official Account, Wechaty) need from the app in their tests.
import type { App } from '../../app.js';
import type { CaseDoc } from '../../models/case.js';
import type { ManualClock } from '../../services/clock.js';

/**
 * Relays and delivers everything due now. The WeChat buckets (timed by Redis) hold a second
 * message to the same chat, or any message once the account's own bucket is empty, back for a
 * while: let that pass in real time and move the desk's clock with it, up to `holdMs` (quiet
 * hours and backoff are the test's to move).
 */
export async function deliverAll(app: App, clock: ManualClock, holdMs: number): Promise<void> {
  for (let i = 0; i < 80; i++) {
    await app.dispatcher.relayOnce();
    if ((await app.dispatcher.dispatchOnce()) > 0) continue;
    if (await app.models.Case.countDocuments({ outboxAt: { $ne: null } })) continue;
    const next = await app.models.Message.findOne({ 'to.channel': 'wechat', state: 'pending' }).sort({ nextAttemptAt: 1 }).lean();
    if (!next) return;
    const wait = next.nextAttemptAt.getTime() - clock.now().getTime();
    if (wait > holdMs) return;
    // Due but not sent: its account's bucket is empty and the dispatcher paused that line.
    const step = Math.max(wait, 200);
    await new Promise((r) => setTimeout(r, step));
    clock.advance(step);
  }
}

export async function caseDocOf(app: App, number: string): Promise<CaseDoc> {
  const d = await app.models.Case.findOne({ number }).lean<CaseDoc>().exec();
  if (!d) throw new Error(`no case ${number}`);
  return d;
}
