// `npm start` with TELEGRAM_BOT_TOKEN and TELEGRAM_API_ROOT pointing at a Bot API server runs
// the desk on Telegram: a citizen writing to the bot gets the dialogue, and SIGTERM stops it.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BotApiFake } from '../support/bot-api-fake/index.js';

const root = new URL('../../', import.meta.url).pathname;
const tsx = join(root, 'node_modules/.bin/tsx');
const dir = mkdtempSync(join(tmpdir(), 'desk-tg-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm start on Telegram', () => {
  it('runs the telegram channel from TELEGRAM_BOT_TOKEN alone and answers a citizen', async () => {
    const fake = await new BotApiFake().start();
    try {
      const env: Record<string, string> = { ...(process.env as Record<string, string>), TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot, DATA_DIR: dir, EMBEDDED_IN_MEMORY: '1', LOG_LEVEL: 'info' };
      for (const k of ['CHANNELS', 'MONGODB_URI', 'REDIS_URL']) delete env[k];
      const child = spawn(tsx, ['bin/start.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
      });
      child.stderr.on('data', (d) => {
        out += d;
      });
      const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
      await fake.waitFor(() => /channels: telegram/.test(out), 'the desk to say it serves telegram', 30_000);
      const u = fake.user({ id: 8100, language_code: 'zh-hans' });
      u.send('/start');
      const [menu] = await fake.waitForSent(u.id, 2, { ms: 15_000 }).then((s) => s.filter((m) => m.reply_markup));
      expect(menu.reply_markup?.inline_keyboard.flat().map((b) => b.callback_data)).toContain('start:report');
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      await fake.stop();
    }
  }, 60_000);

  it('refuses a webhook without a secret token in one line, before anything starts', async () => {
    const env: Record<string, string> = { ...(process.env as Record<string, string>), TELEGRAM_BOT_TOKEN: '123456789:AAFakeTokenFakeTokenFakeTokenFake12', TELEGRAM_WEBHOOK_URL: 'https://desk.example.gov.cn/telegram', DATA_DIR: dir };
    delete env.TELEGRAM_WEBHOOK_SECRET;
    const child = spawn(tsx, ['bin/start.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
    });
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(code).toBe(2);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toContain('TELEGRAM_WEBHOOK_SECRET');
  }, 60_000);
});
