// A citizen files a case in a private chat with the bot, over HTTP against the Bot API fake:
// by pressing the inline keyboards (each edited in place once answered), by typing the answers
// instead, and with a stale or forged press along the way.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BotMessage, FakeUser } from '../support/bot-api-fake/index.js';
import { type TelegramDesk, startTelegramDesk } from '../support/bot-api-fake/telegram-desk.js';

let desk: TelegramDesk;
beforeAll(async () => {
  desk = await startTelegramDesk('tg-citizen-intake');
});
afterAll(() => desk?.close());

let nextUser = 7100;
const person = (language_code = 'zh-hans') => desk.fake.user({ id: ++nextUser, first_name: '张三', language_code });

const sent = (u: FakeUser) => desk.fake.sent(u.id);
const text = (u: FakeUser) => sent(u).map((m) => m.text ?? m.caption ?? '').join('\n---\n');
/** The one message of the chat that still has buttons. */
const liveMenus = (u: FakeUser) => sent(u).filter((m) => m.reply_markup?.inline_keyboard.length);
const menu = (u: FakeUser): BotMessage => {
  const live = liveMenus(u);
  expect(live, 'exactly one live keyboard in the chat').toHaveLength(1);
  return live[0];
};
const say = async (u: FakeUser, t: string) => {
  u.send(t);
  await desk.settle();
};
const press = async (u: FakeUser, data: string) => {
  const q = u.pressData(menu(u), data);
  await desk.settle();
  return q;
};

describe('a citizen on Telegram', () => {
  it('files a case by pressing buttons; each answered menu is edited to show the choice', async () => {
    const u = person();
    await say(u, '/start');
    expect(menu(u).reply_markup!.inline_keyboard.flat().map((b) => b.callback_data)).toContain('start:report');
    const startMenu = menu(u);
    const q = await press(u, 'start:report');
    // The press was answered, and the menu it was on now shows the choice and no buttons.
    expect(desk.fake.callbacks.get(q)?.answer).toBeDefined();
    const edited = sent(u).find((m) => m.message_id === startMenu.message_id)!;
    expect(edited.reply_markup).toBeUndefined();
    expect(edited.text).toMatch(/✔ /);
    await press(u, 'privacy:agree');
    await press(u, 'scope:none');
    await say(u, '营业执照变更');
    await press(u, 'problem:complex');
    await say(u, '窗口让我先去3号窗口盖章，3号窗口又让我回来，来回跑了三趟。');
    await press(u, 'account:done');
    await say(u, '市场准入综合窗口');
    await say(u, '张三');
    await say(u, '138 1234 5678');
    await press(u, 'summary:submit');
    const number = /编号：([A-Z]*\d{11,14})/.exec(text(u))?.[1];
    expect(number, text(u)).toBeDefined();
    const c = await desk.caseDoc(number!);
    expect(c.reporter.identity).toEqual({ channel: 'telegram', id: String(u.id) });
    expect(c.site).toBe('city');
  });

  it('files a case by typing every answer instead of pressing', async () => {
    const u = person();
    for (const line of ['你好', '反映问题', '同意', '都不涉及', '不动产转移登记', '材料', '要我补一份证明，可是上次没说。', '说完了', '不动产登记窗口', '李四', '13912345678', '提交']) await say(u, line);
    const number = /编号：([A-Z]*\d{11,14})/.exec(text(u))?.[1];
    expect(number, text(u)).toBeDefined();
    expect((await desk.caseDoc(number!)).reporter.identity?.id).toBe(String(u.id));
  });

  it('answers a press on a keyboard the conversation has moved past, and changes nothing', async () => {
    const u = person();
    await say(u, '/start');
    const old = menu(u);
    await press(u, 'start:report');
    const before = sent(u).length;
    // A second phone still showing the old menu presses it.
    const q = u.pressData(old, 'start:progress');
    await desk.settle();
    expect(desk.fake.callbacks.get(q)?.answer?.text).toMatch(/菜单已过时/);
    expect(sent(u)).toHaveLength(before);
    // The dialogue is still at the privacy question.
    expect(menu(u).reply_markup!.inline_keyboard.flat().map((b) => b.callback_data)).toContain('privacy:agree');
  });

  it('answers a press on an old keyboard whose buttons could not be taken away', async () => {
    const u = person();
    await say(u, '/start');
    const first = menu(u);
    // Tidying the answered menu fails (Telegram 500): its buttons stay on screen.
    desk.fake.fail('editMessageText', { kind: 'server' });
    await press(u, 'start:report');
    const stillShown = sent(u).find((m) => m.message_id === first.message_id)!;
    expect(stillShown.reply_markup).toBeDefined();
    const before = sent(u).length;
    const q = u.pressData(stillShown, 'start:report');
    await desk.settle();
    expect(desk.fake.callbacks.get(q)?.answer?.text).toMatch(/菜单已过时/);
    // Nothing was said, and now that keyboard is gone too.
    expect(sent(u)).toHaveLength(before);
    expect(liveMenus(u).map((m) => m.message_id)).not.toContain(first.message_id);
  });

  it('refuses callback data that is not one of the message’s buttons, with an answer', async () => {
    const u = person();
    await say(u, '/start');
    const m = menu(u);
    const before = sent(u).map((x) => x.history.length);
    const q = u.pressData(m, 'summary:submit');
    await desk.settle();
    const answer = desk.fake.callbacks.get(q)?.answer;
    expect(answer?.text).toMatch(/无法识别的按钮/);
    expect(answer?.show_alert).toBe(true);
    expect(sent(u).map((x) => x.history.length)).toEqual(before);
    expect(menu(u).message_id).toBe(m.message_id);
  });

  it('escapes what the citizen wrote when it is echoed back', async () => {
    const u = person();
    const odd = '<b>营业执照</b> & 变更 <script>';
    for (const line of ['/new', '同意', '都不涉及', odd, '材料', `经过：${odd}`, '说完了', '不知道', '王五', '13712345678']) await say(u, line);
    // The fake refuses unescaped HTML with 400, so the summary arriving at all shows it was escaped.
    expect(menu(u).text).toContain(odd);
    expect(menu(u).source).toContain('&lt;b&gt;营业执照&lt;/b&gt; &amp; 变更 &lt;script&gt;');
    expect(desk.fake.calls.filter((c) => c.status === 400 && /parse entities/.test(c.description ?? ''))).toEqual([]);
  });

  it('registers the command menu in Chinese and in English', async () => {
    expect(desk.fake.commands({ scope: 'all_private_chats' }).map((c) => c.command)).toEqual(['start', 'new', 'status', 'cancel', 'help']);
    expect(desk.fake.commands({ scope: 'all_private_chats' })[1].description).toMatch(/反映/);
    expect(desk.fake.commands({ scope: 'all_private_chats', language_code: 'en' })[1].description).toMatch(/Report/);
  });
});
