// Several bot processes behind one Redis and one database, on one Bot API server: in polling
// mode one polls and the others stand by (Telegram serves one getUpdates at a time) and take
// over when it stops; in webhook mode an update handed to two processes (Telegram retrying to
// another instance) is handled once; a webhook request without the secret token is refused.
import { afterEach, describe, expect, it } from 'vitest';
import { BotApiFake, type FakeUser } from '../support/bot-api-fake/index.js';
import { type TelegramDesk, startTelegramDesk } from '../support/bot-api-fake/telegram-desk.js';
import { freePort } from '../support/net.js';

const open: (TelegramDesk | BotApiFake)[] = [];
afterEach(async () => {
  for (const x of open.splice(0).reverse()) await (x instanceof BotApiFake ? x.stop() : x.close());
});

const SECRET = 'test-webhook-secret-0123456789';

async function pair(name: string, webhook: boolean): Promise<{ fake: BotApiFake; a: TelegramDesk; b: TelegramDesk; urls: string[] }> {
  const fake = await new BotApiFake().start();
  open.push(fake);
  const urls: string[] = [];
  const config = async () => {
    if (!webhook) return {};
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/telegram/hook`;
    urls.push(url);
    return { TELEGRAM_WEBHOOK_URL: url, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_WEBHOOK_PORT: port };
  };
  const a = await startTelegramDesk(name, { fake, config: await config() });
  open.push(a);
  const b = await startTelegramDesk(name, { fake, shared: a.shared, clock: a.clock, config: await config() });
  open.push(b);
  return { fake, a, b, urls };
}

const settleBoth = async (a: TelegramDesk, b: TelegramDesk, fake: BotApiFake) => {
  // Each update is done once, by whichever process took it: either desk's view of Redis says so.
  await fake.waitForUpdatesTaken();
  await a.settle();
};

describe('several bot processes', () => {
  it('polling: one process polls at a time and every update is handled once', async () => {
    const { fake, a, b } = await pair('tg-two-pollers', false);
    const users: FakeUser[] = Array.from({ length: 6 }, (_, i) => fake.user({ id: 7700 + i }));
    for (const u of users) u.send('/start');
    await settleBoth(a, b, fake);
    for (const u of users) expect(fake.sent(u.id).filter((m) => m.reply_markup)).toHaveLength(1);
    // Telegram would have answered a second concurrent getUpdates with 409: there was none.
    expect(fake.calls.filter((c) => c.method === 'getUpdates' && c.status === 409)).toEqual([]);
  });

  it('polling: after the poller stops, the standby process takes over', async () => {
    const { fake, a, b } = await pair('tg-takeover', false);
    const u = fake.user({ id: 7800 });
    u.send('/start');
    await a.settle();
    // The first process started first and took the poller lease; it stops (a deploy, a restart).
    await a.app.stop();
    u.send('反映问题');
    await b.settle();
    expect(fake.sent(u.id).map((m) => m.text).join('\n')).toMatch(/登记前请您了解/);
  });

  it('webhook: the same update handed to both processes is handled once', async () => {
    const { fake, a, b, urls } = await pair('tg-two-webhooks', true);
    // setWebhook was called by both; Telegram posts to the one set last, and we post to the other too.
    expect(fake.webhook()?.url).toBe(urls[1]);
    const u = fake.user({ id: 7900 });
    const steps = ['/start', '反映问题', '同意', '都不涉及', '义务教育入学', '找不到部门', '教育局不在中心办公。', '说完了', '不清楚', '钱七', '13812345678', '提交'];
    for (const line of steps) {
      u.send(line);
      const update = fake.history.at(-1)!;
      const status = await fake.postUpdate(urls[0], update, SECRET);
      expect(status).toBe(200);
      await settleBoth(a, b, fake);
    }
    const shown = fake.sent(u.id).map((m) => m.text ?? '');
    // No reply twice: every message differs from the one before it.
    for (let i = 1; i < shown.length; i++) expect(shown[i], `message ${i} repeated`).not.toBe(shown[i - 1]);
    expect(shown.filter((t) => /编号：/.test(t))).toHaveLength(1);
    expect(await a.app.models.Case.countDocuments({ 'reporter.identity.id': String(u.id) })).toBe(1);
  });

  it('webhook: an update that failed is not marked handled, so Telegram’s redelivery is handled', async () => {
    const { fake, a, urls } = await pair('tg-webhook-retry', true);
    const u = fake.user({ id: 7960 });
    u.send('/new');
    await a.settle();
    // Telegram fails to hand out the file: the turn fails and the citizen is asked to send again.
    fake.fail('getFile', { kind: 'server' });
    u.sendPhoto(Buffer.from('photo bytes'));
    const update = fake.history.at(-1)!;
    const key = `telegram:update:${fake.bot.id}:${update.update_id}`;
    await fake.waitFor(() => fake.sent(u.id).some((m) => /稍后再发/.test(m.text ?? '')), 'the busy answer');
    expect(await a.app.coordination.get(key)).toBeNull();
    // Redelivered (to either process): handled this time, the photo kept.
    expect(await fake.postUpdate(urls[0], update, SECRET)).toBe(200);
    await a.settle();
    expect(fake.calls.filter((c) => c.method === 'getFile').map((c) => c.status)).toEqual([500, 200]);
    expect(await a.app.coordination.get(key)).toBe('done');
  });

  it('webhook: a request without the configured secret token is refused with 401 and changes nothing', async () => {
    const { fake, a, urls } = await pair('tg-webhook-secret', true);
    const u = fake.user({ id: 7950 });
    // Someone who found the URL posts a citizen's message.
    const forged = { update_id: 1, message: { message_id: 1, date: 1, chat: { id: u.id, type: 'private', first_name: 'x' }, from: { id: u.id, is_bot: false, first_name: 'x' }, text: '/start' } };
    expect(await fake.postUpdate(urls[0], forged)).toBe(401);
    expect(await fake.postUpdate(urls[0], forged, 'wrong-secret-wrong-secret-00')).toBe(401);
    expect(await fake.postUpdate(urls[1], forged, '')).toBe(401);
    expect(await a.app.coordination.get(`telegram:update:${fake.bot.id}:1`)).toBeNull();
    expect(fake.sent(u.id)).toEqual([]);
    // With the secret it is taken and handled.
    expect(await fake.postUpdate(urls[0], forged, SECRET)).toBe(200);
    const key = `telegram:update:${fake.bot.id}:1`;
    for (let i = 0; i < 500 && (await a.app.coordination.get(key)) !== 'done'; i++) await new Promise((r) => setTimeout(r, 10));
    expect(await a.app.coordination.get(key)).toBe('done');
  });
});
