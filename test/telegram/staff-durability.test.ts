// What the staff side keeps across processes and across the case's life: the topic and card of a
// case survive a restart (the next process edits the same card, opens no second topic), a
// reopened case reopens its topic, and the bot leaves groups the desk was not configured for.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAFF_GROUP, type StaffDesk, startStaffDesk } from './staff-harness.js';

const CITIZEN = 9301;
let d: StaffDesk;
let n: string;
beforeAll(async () => {
  d = await startStaffDesk('tg_staff_durable');
  n = await d.report(CITIZEN, '社保参保登记', '1', '网上说可以办，到了窗口说不行，来回跑了两次。');
}, 60_000);
afterAll(() => d?.close());

const texts = (ms: { text?: string }[]) => ms.map((m) => m.text ?? '').join('\n');

describe('Telegram staff topics over restarts and reopening', { timeout: 60_000 }, () => {
  it('should keep using the same topic and card after the bot process restarts', async () => {
    const before = await d.card(n);
    await d.restart();
    await d.press('wangfang', before, '分类：一般性情形');
    expect((await d.caseDoc(n)).category).toBe('GENERAL');
    expect(d.fake.topics(STAFF_GROUP)).toHaveLength(1);
    const after = await d.card(n);
    expect(after.message_id).toBe(before.message_id);
    expect(after.text).toContain('类别：一般性情形');
    expect(d.fake.calls.filter((c) => c.method === 'createForumTopic')).toHaveLength(1);
  });

  it('should close the topic when the case is withdrawn and reopen it when the case comes back', async () => {
    const t = await d.topic(n);
    await d.say('zhangmin', '#撤回 诉求人到窗口说不用办了', { chat: STAFF_GROUP, thread: t.threadId });
    expect((await d.caseDoc(n)).status).toBe('withdrawn');
    expect(d.fake.topics(STAFF_GROUP)[0].closed).toBe(true);
    // No command reopens a case today; a reopening (an operator's correction) is a case back in an open status.
    await d.app.models.Case.updateOne({ number: n }, { $set: { status: 'handling' } });
    await d.say('zhangmin', '#备注 已更正：事项继续办理', { chat: STAFF_GROUP, thread: t.threadId });
    expect(d.fake.topics(STAFF_GROUP)[0].closed).toBe(false);
    expect((await d.card(n)).text).toContain('处办中');
  });

  it('should open one topic and one card per case when two bot processes deliver at once', async () => {
    const other = await d.second();
    const duty = { kind: 'staff' as const, staff: await d.app.directory.staff('wangfang') };
    const numbers: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await d.app.cases.register(
        { site: 'city', channel: 'window', reporter: { name: '赵六', phone: '13700002222' }, matter: `医保异地备案${i}`, account: '网上和窗口说法不一致，来回跑了两次。' },
        duty,
      );
      if (!r.registered) throw new Error('not registered');
      numbers.push(r.number);
      await d.app.cases.classify(r.number, 'GENERAL', duty);
      await d.app.cases.record(r.number, { kind: 'note', text: `已电话联系${i}` }, duty);
    }
    await d.app.dispatcher.relayOnce();
    await Promise.all([d.app.dispatcher.dispatchOnce(), other.dispatcher.dispatchOnce()]);
    await d.deliver();
    for (const n of numbers) {
      const t = await d.topic(n);
      expect(d.fake.topics(STAFF_GROUP).filter((x) => x.name.startsWith(n))).toHaveLength(1);
      expect((await d.inTopic(n)).filter((m) => m.text?.startsWith(`【事项 ${n}】`))).toHaveLength(1);
      expect((await d.card(n)).message_thread_id).toBe(t.threadId);
      expect(texts(await d.inTopic(n))).toContain('分类为“一般性情形”');
    }
  }, 60_000);

  it('should leave a group it was added to that is not a staff room, and say nothing there', async () => {
    const other = await d.addBotTo({ id: -1009999, title: '别的群' }, 8101);
    expect(d.fake.isMember(other.id)).toBe(false);
    await d.say(8101, '#列表', { chat: other.id });
    expect(d.fake.sent(other.id)).toEqual([]);
  });
});
