// The Bot API fake answers as Telegram does, checked through grammy's own client: if the fake
// were lenient where Telegram is strict, the channel's suites would pass against a server that
// does not exist.
import { Api, GrammyError, InputFile } from 'grammy';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BotApiFake } from '../support/bot-api-fake/index.js';

let fake: BotApiFake;
let api: Api;
let now = 1_790_000_000_000;

beforeEach(async () => {
  fake = await new BotApiFake({ now: () => now }).start();
  api = new Api(fake.token, { apiRoot: fake.apiRoot });
});
afterEach(() => fake.stop());

const refused = async (p: Promise<unknown>) => {
  const e = await p.then(() => null, (x: unknown) => x);
  expect(e).toBeInstanceOf(GrammyError);
  return e as GrammyError;
};

describe('Bot API fake', () => {
  it('knows the bot and refuses a wrong token with 401', async () => {
    expect((await api.getMe()).username).toBe(fake.bot.username);
    const e = await refused(new Api('1:wrong', { apiRoot: fake.apiRoot }).getMe());
    expect(e.error_code).toBe(401);
  });

  it('validates HTML and the 4096-character limit like Telegram', async () => {
    const u = fake.user({ id: 501 });
    u.send('hi');
    await api.sendMessage(501, '<b>好</b> &lt;x&gt;', { parse_mode: 'HTML' });
    expect(fake.sent(501)[0].text).toBe('好 <x>');
    expect((await refused(api.sendMessage(501, 'a <script> b', { parse_mode: 'HTML' }))).description).toMatch(/can't parse entities: Unsupported start tag "script"/);
    expect((await refused(api.sendMessage(501, 'Tom & Jerry', { parse_mode: 'HTML' }))).description).toMatch(/can't parse entities/);
    expect((await refused(api.sendMessage(501, 'x'.repeat(4097)))).description).toBe('Bad Request: message is too long');
    await api.sendMessage(501, 'x'.repeat(4096));
  });

  it('holds getUpdates for its timeout and answers as soon as an update arrives', async () => {
    const u = fake.user({ id: 502 });
    const started = performance.now();
    const poll = api.getUpdates({ timeout: 30 });
    setTimeout(() => u.send('晚到的消息'), 100);
    const got = await poll;
    expect(got.map((x) => x.message?.text)).toEqual(['晚到的消息']);
    expect(performance.now() - started).toBeLessThan(20_000);
    // Confirmed by the next offset, never given again.
    expect(await api.getUpdates({ offset: got[0].update_id + 1, timeout: 0 })).toEqual([]);
  });

  it('takes multipart uploads and serves them back through getFile', async () => {
    fake.user({ id: 503 }).send('hi');
    const bytes = Buffer.from('%PDF-1.4 转办单');
    const m = await api.sendDocument(503, new InputFile(bytes, '转办单.pdf'), { caption: '<i>附件</i>', parse_mode: 'HTML' });
    expect(m.document?.file_name).toBe('转办单.pdf');
    expect(fake.sent(503)[0].caption).toBe('附件');
    const f = await api.getFile(m.document!.file_id);
    const r = await fetch(`${fake.apiRoot}/file/bot${fake.token}/${f.file_path}`);
    expect(Buffer.from(await r.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('models forum topics: threads exist, closed topics refuse messages', async () => {
    fake.group({ id: -1001, title: '窗口', forum: true });
    const t = await api.createForumTopic(-1001, '#2026 材料');
    await api.sendMessage(-1001, '卡片', { message_thread_id: t.message_thread_id });
    expect(fake.sent(-1001, t.message_thread_id)).toHaveLength(1);
    await api.closeForumTopic(-1001, t.message_thread_id);
    expect((await refused(api.sendMessage(-1001, 'x', { message_thread_id: t.message_thread_id }))).description).toBe('Bad Request: TOPIC_CLOSED');
    fake.group({ id: -1002, title: '普通群', plain: true });
    expect((await refused(api.createForumTopic(-1002, 'x'))).description).toBe('Bad Request: the chat is not a forum');
  });

  it('limits a group to 20 messages a minute with retry_after', async () => {
    fake.group({ id: -1003, title: '群' });
    for (let i = 0; i < 20; i++) await api.sendMessage(-1003, `m${i}`);
    const e = await refused(api.sendMessage(-1003, 'one too many'));
    expect(e.error_code).toBe(429);
    expect(e.parameters.retry_after).toBeGreaterThan(0);
    now += 61_000;
    await api.sendMessage(-1003, 'after the minute');
  });

  it('injects 429, 5xx and answers 403 for a user who blocked the bot', async () => {
    fake.user({ id: 504 }).send('hi');
    fake.fail('sendMessage', { kind: 'retry_after', seconds: 7 });
    const e = await refused(api.sendMessage(504, 'x'));
    expect([e.error_code, e.parameters.retry_after]).toEqual([429, 7]);
    fake.fail('sendMessage', { kind: 'server' });
    expect((await refused(api.sendMessage(504, 'x'))).error_code).toBe(500);
    fake.blockBot(504);
    expect((await refused(api.sendMessage(504, 'x'))).description).toBe('Forbidden: bot was blocked by the user');
  });

  it('expires callback queries and refuses a second answer', async () => {
    const u = fake.user({ id: 505 });
    u.send('hi');
    const m = await api.sendMessage(505, '选', { reply_markup: { inline_keyboard: [[{ text: 'A', callback_data: 'a' }]] } });
    const q1 = u.press(fake.sent(505)[0], 'A');
    await api.answerCallbackQuery(q1, { text: '好' });
    expect(fake.callbacks.get(q1)?.answer?.text).toBe('好');
    await refused(api.answerCallbackQuery(q1));
    const q2 = u.pressData(fake.sent(505)[0], 'a');
    expect(m.message_id).toBe(fake.sent(505)[0].message_id);
    now += 16_000;
    expect((await refused(api.answerCallbackQuery(q2))).description).toMatch(/query is too old/);
  });

  it('keeps commands per language and refuses getUpdates while a webhook is set', async () => {
    await api.setMyCommands([{ command: 'new', description: '新反映' }]);
    await api.setMyCommands([{ command: 'new', description: 'New report' }], { language_code: 'en' });
    expect((await api.getMyCommands({ language_code: 'en' }))[0].description).toBe('New report');
    expect(fake.commands()[0].description).toBe('新反映');
    await api.setWebhook('http://127.0.0.1:9/hook', { secret_token: 's3cret' });
    expect((await refused(api.getUpdates())).error_code).toBe(409);
  });
});
