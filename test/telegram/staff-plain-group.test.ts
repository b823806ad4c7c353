// A staff group without topics: the case card is a plain message, everything about the case is
// posted as a reply to it, and a reply to the card addresses its case.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAFF_GROUP, type StaffDesk, startStaffDesk } from './staff-harness.js';

const CITIZEN = 9201;
let d: StaffDesk;
let n: string;
beforeAll(async () => {
  d = await startStaffDesk('tg_staff_plain', { plain: true });
  n = await d.report(CITIZEN, '食品经营许可', '1', '窗口说我的材料不全，但没有告诉我缺什么。');
}, 60_000);
afterAll(() => d?.close());

describe('Telegram staff group without topics', { timeout: 60_000 }, () => {
  it('should post the case card in the group itself, with no topic', async () => {
    expect(d.fake.topics(STAFF_GROUP)).toEqual([]);
    expect((await d.topic(n)).threadId).toBeUndefined();
    const card = await d.card(n);
    expect(card.text).toContain(`【事项 ${n}】`);
    expect(card.text).toContain('回复本卡片');
  });

  it('should take a command replying to the card as about its case, and post the answer as a reply to the card', async () => {
    const card = await d.card(n);
    await d.say('wangfang', '#分类 一般', { chat: STAFF_GROUP, replyTo: card });
    expect((await d.caseDoc(n)).category).toBe('GENERAL');
    expect((await d.card(n)).text).toContain('类别：一般性情形');
    const replies = d.fake.sent(STAFF_GROUP).filter((m) => m.reply_to_message?.message_id === card.message_id);
    expect(replies.map((m) => m.text).join('\n')).toContain('分类为“一般性情形”');
  });

  it('should relay a plain reply to the card to the citizen, and leave other chatter alone', async () => {
    const card = await d.card(n);
    await d.say('zhangmin', '大家中午好', { chat: STAFF_GROUP });
    expect(d.fake.sent(CITIZEN).some((m) => m.text?.includes('大家中午好'))).toBe(false);
    await d.say('zhangmin', '您好，请带上营业场所使用证明再来窗口。', { chat: STAFF_GROUP, replyTo: card });
    expect(d.fake.sent(CITIZEN).at(-1)?.text).toContain('请带上营业场所使用证明再来窗口');
  });

  it('should take the card buttons as in a forum', async () => {
    const card = await d.card(n);
    await d.say('zhangmin', '#办结 办理 已当场受理', { chat: STAFF_GROUP, replyTo: card });
    await d.press('zhangmin', await d.card(n), '向诉求人反馈办理结果');
    expect((await d.caseDoc(n)).status).toBe('replied');
  });
});

describe('a forum where the bot may not manage topics', () => {
  it('should still bring the case to staff as a card in the group, worked by replies', async () => {
    const f = await startStaffDesk('tg_staff_no_rights', { botCanManageTopics: false });
    try {
      const m = await f.report(9202, '食品经营许可', '1', '窗口说我的材料不全。');
      expect(f.fake.topics(STAFF_GROUP)).toEqual([]);
      const card = await f.card(m);
      expect(card.message_thread_id).toBeUndefined();
      await f.say('wangfang', '#分类 一般', { chat: STAFF_GROUP, replyTo: card });
      expect((await f.caseDoc(m)).category).toBe('GENERAL');
      expect((await f.card(m)).text).toContain('回复本卡片');
    } finally {
      await f.close();
    }
  }, 60_000);
});
