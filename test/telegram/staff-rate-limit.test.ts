// The staff group under Telegram's 20 messages a minute, shared by all its topics, with the
// platform's real limits in the dispatcher and in the Bot API fake: a burst of notices about
// several cases is delivered in full, each case's queued notices coalesced into one post, the
// cards edited rather than posted again; a 429 from Telegram delays, never drops.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageDoc } from '../../models/message.js';
import { STAFF_GROUP, type StaffDesk, startStaffDesk } from './staff-harness.js';

let d: StaffDesk;
beforeAll(async () => {
  d = await startStaffDesk('tg_staff_limit', { limits: {} });
}, 60_000);
afterAll(() => d?.close());

const groupSends = () => d.fake.calls.filter((c) => ['sendMessage', 'sendDocument'].includes(c.method) && Number(c.params.chat_id) === STAFF_GROUP);
const toGroup = () => d.app.models.Message.find({ 'to.id': String(STAFF_GROUP) }).lean<MessageDoc[]>().exec();
const shown = () => d.fake.sent(STAFF_GROUP).map((m) => m.text ?? '').join('\n');

async function burst(count: number): Promise<string[]> {
  const { cases, directory } = d.app;
  const duty = { kind: 'staff' as const, staff: await directory.staff('wangfang') };
  const numbers: string[] = [];
  for (let i = 0; i < count; i++) {
    const r = await cases.register(
      { site: 'city', channel: 'window', reporter: { name: '李四', phone: '13900001111' }, matter: `建设工程规划许可${i + 1}`, account: '涉及规划、住建、消防三个窗口，各说各的，不知道先办哪个。' },
      duty,
    );
    if (!r.registered) throw new Error('not registered');
    numbers.push(r.number);
    await cases.classify(r.number, 'COMPLEX', duty);
    await cases.record(r.number, { kind: 'meeting', text: `第一次会商纪要${i + 1}`, attendees: ['业务协调科'], measures: [] }, duty);
    await cases.record(r.number, { kind: 'meeting', text: `第二次会商纪要${i + 1}`, attendees: ['政策法规科'], measures: ['accept_with_gaps'] }, duty);
  }
  return numbers;
}

describe('the staff group’s 20 messages a minute', () => {
  it('should deliver a burst of notices in full, coalesced per topic, without one 429', async () => {
    const numbers = await burst(4);
    await d.deliverPatiently(10_000);
    const msgs = await toGroup();
    expect(msgs.length).toBeGreaterThanOrEqual(4 * 5);
    expect(msgs.filter((m) => m.state !== 'sent')).toEqual([]);
    for (const m of msgs) if (m.reason !== 'case.registered' && m.sayable.kind === 'text') expect(shown()).toContain(m.sayable.text);
    for (const n of numbers) expect((await d.card(n)).text).toContain('类别：较复杂情形');
    expect(d.fake.topics(STAFF_GROUP)).toHaveLength(4);
    // One card and one post per case instead of one post per notice (five each here).
    const inTopics = groupSends().filter((c) => c.params.message_thread_id !== undefined);
    expect(inTopics.length).toBeLessThanOrEqual(2 * numbers.length);
    // In the order things happened, whichever notice the dispatcher picked first.
    for (const [i, n] of numbers.entries()) {
      const post = (await d.inTopic(n)).map((m) => m.text ?? '').find((t) => t.includes(`第二次会商纪要${i + 1}`)) ?? '';
      expect(post.indexOf(`第一次会商纪要${i + 1}`)).toBeGreaterThan(-1);
      expect(post.indexOf(`第一次会商纪要${i + 1}`)).toBeLessThan(post.indexOf(`第二次会商纪要${i + 1}`));
      if (post.includes('【新事项】')) expect(post.indexOf('【新事项】')).toBeLessThan(post.indexOf(`第一次会商纪要${i + 1}`));
    }
    expect(groupSends().filter((c) => c.status === 429)).toEqual([]);
  }, 120_000);

  it('should hold messages back through a 429 and deliver every one afterwards', async () => {
    d.fake.fail('sendMessage', { kind: 'retry_after', seconds: 2 }, { chatId: STAFF_GROUP, times: 2 });
    const numbers = await burst(2);
    await d.deliverPatiently(10_000);
    expect(groupSends().filter((c) => c.status === 429)).toHaveLength(2);
    const msgs = await toGroup();
    expect(msgs.filter((m) => m.state !== 'sent')).toEqual([]);
    for (const m of msgs) if (m.reason !== 'case.registered' && m.sayable.kind === 'text') expect(shown()).toContain(m.sayable.text);
    for (const n of numbers) expect((await d.inTopic(n)).length).toBeGreaterThanOrEqual(2);
    // Within any minute the group never got more than Telegram allows.
    const ok = groupSends().filter((c) => c.status === 200).map((c) => c.at);
    for (const t of ok) expect(ok.filter((x) => x >= t && x < t + 60_000).length).toBeLessThanOrEqual(20);
  }, 120_000);
});
