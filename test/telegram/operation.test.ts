// Running the Telegram channel: Telegram refusing (429, 5xx) is the delivery layer's to retry,
// and everything arrives afterwards; a citizen who blocked the bot is reported to staff; a reply
// the bot could not send at once still arrives, as the live menu.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toMessage } from '../../services/delivery/index.js';
import type { FakeUser } from '../support/bot-api-fake/index.js';
import { STAFF_GROUP, type TelegramDesk, startTelegramDesk } from '../support/bot-api-fake/telegram-desk.js';

let desk: TelegramDesk;
beforeAll(async () => {
  desk = await startTelegramDesk('tg-operation');
});
afterAll(() => desk?.close());

let nextUser = 7500;
const person = () => desk.fake.user({ id: ++nextUser, first_name: '赵六', language_code: 'zh-hans' });
const sent = (u: FakeUser) => desk.fake.sent(u.id);
const text = (u: FakeUser) => sent(u).map((m) => m.text ?? m.caption ?? '').join('\n---\n');
const say = async (u: FakeUser, t: string) => {
  u.send(t);
  await desk.settle();
};
async function fileCase(u: FakeUser): Promise<string> {
  for (const line of ['/new', '同意', '都不涉及', '义务教育入学', '找不到部门', '教育局不在中心办公，找不到人。', '说完了', '不清楚', '赵六', '138 1234 5678', '提交']) await say(u, line);
  const n = /编号：([A-Z]*\d{11,14})/.exec(text(u))?.[1];
  if (!n) throw new Error(`no case number:\n${text(u)}`);
  return n;
}
const toCitizen = (u: FakeUser) => desk.app.models.Message.find({ 'to.channel': 'telegram', 'to.id': String(u.id) }).sort({ createdAt: 1 }).lean();

describe('Telegram in operation', () => {
  it('delivers every push in full after a storm of 429s and 5xx', async () => {
    const u = person();
    const number = await fileCase(u);
    const storm = desk.fake.calls.length;
    desk.fake.fail('sendMessage', { kind: 'retry_after', seconds: 1 }, { times: 4, chatId: u.id });
    desk.fake.fail('sendMessage', { kind: 'server', status: 502 }, { times: 2, chatId: u.id });
    await desk.handleToResult(number);
    await desk.deliver({ chat: u.id, holdMs: 120_000 });
    const refused = desk.fake.calls.slice(storm).filter((c) => c.method === 'sendMessage' && Number(c.params.chat_id) === u.id && c.status !== 200);
    expect(refused.map((c) => c.status)).toEqual([429, 429, 429, 429, 502, 502]);
    const msgs = await toCitizen(u);
    expect(msgs.filter((m) => m.state !== 'sent').map((m) => `${m.reason}: ${m.state} ${m.lastError}`)).toEqual([]);
    // Every push is in the chat once, none lost and none twice.
    const shown = sent(u).map((m) => m.text ?? '');
    for (const m of msgs.filter((x) => x.caseNumber === number && x.sayable.kind !== 'file')) {
      const t = (m.sayable as { text: string }).text;
      expect(shown.filter((s) => s === t), t).toHaveLength(1);
    }
    expect(text(u)).toContain('办理结果');
  }, 60_000);

  it('a send Telegram leaves hanging times out and is delivered on a retry', async () => {
    const u = person();
    const number = await fileCase(u);
    desk.fake.fail('sendMessage', { kind: 'hang', ms: 8_000 }, { chatId: u.id });
    await desk.staff('wangfang', `${number} 分类 未进驻`);
    await desk.deliver({ chat: u.id, holdMs: 60_000 });
    expect(desk.fake.calls.some((c) => c.method === 'sendMessage' && Number(c.params.chat_id) === u.id && c.description === 'hung')).toBe(true);
    const msgs = await toCitizen(u);
    expect(msgs.filter((m) => m.reason === 'citizen.classified').map((m) => [m.state, m.attempts])).toEqual([['sent', 2]]); // one timed out, one delivered
    expect(sent(u).filter((m) => m.text === (msgs.find((x) => x.reason === 'citizen.classified')!.sayable as { text: string }).text)).toHaveLength(1);
  }, 60_000);

  it('a dialogue reply Telegram refused arrives through delivery, and its menu works', async () => {
    const u = person();
    desk.fake.fail('sendMessage', { kind: 'retry_after', seconds: 3 }, { times: 1, chatId: u.id });
    await say(u, '/start');
    // Nothing is sent again before Telegram's retry_after has passed.
    expect(sent(u)).toHaveLength(0);
    await desk.deliver({ chat: u.id, holdMs: 10_000 });
    const menus = sent(u).filter((m) => m.reply_markup);
    expect(menus).toHaveLength(1);
    const q = u.pressData(menus[0], 'start:report');
    await desk.settle();
    expect(desk.fake.callbacks.get(q)?.answer?.text).toBeUndefined(); // answered, not as stale
    expect(text(u)).toMatch(/登记前请您了解/);
  });

  it('a long text refused halfway is resumed after the parts already sent, none twice', async () => {
    const u = person();
    await say(u, '/start');
    const long = Array.from({ length: 400 }, (_, i) => `第${i + 1}行 ${'进度'.repeat(10)}`).join('\n');
    desk.fake.fail('sendMessage', { kind: 'retry_after', seconds: 1 }, { chatId: u.id, skip: 1 });
    const before = sent(u).length;
    await desk.app.models.Message.insertMany([
      toMessage({ _id: `t-resume-${u.id}`, audience: 'citizen', to: { channel: 'telegram', id: String(u.id) }, site: 'city', reply: true, reason: 'test.push', sayable: { kind: 'text', text: long }, createdAt: desk.clock.now() }),
    ]);
    await desk.deliver({ chat: u.id, holdMs: 10_000 });
    const parts = sent(u).slice(before).map((m) => m.text);
    expect(desk.fake.calls.some((c) => c.status === 429 && Number(c.params.chat_id) === u.id)).toBe(true);
    expect(parts.length).toBeGreaterThan(2);
    expect(parts.join('\n')).toBe(long);
  }, 30_000);

  it('a citizen who blocked the bot is reported to the staff room, and the case says so', async () => {
    const u = person();
    const number = await fileCase(u);
    desk.fake.blockBot(u.id);
    await desk.staff('wangfang', `${number} 分类 未进驻`);
    await desk.deliver({ chat: u.id });
    const msgs = await toCitizen(u);
    const dead = msgs.filter((m) => m.state === 'dead');
    expect(dead.length).toBeGreaterThan(0);
    expect(dead[0].lastError).toMatch(/屏蔽/);
    expect((await desk.caseDoc(number)).citizenUnreachable?.reason).toMatch(/屏蔽/);
    // The alert reaches the staff group (at the group's 20 a minute).
    await desk.deliver({ chat: STAFF_GROUP, holdMs: 10_000 });
    const alert = desk.fake.sent(STAFF_GROUP).find((m) => m.text?.includes(number) && /屏蔽/.test(m.text));
    expect(alert?.text).toBeDefined();
  }, 90_000);
});
