// `npm run poster -- <site>` writes a printable PNG whose QR code opens the bot with the report
// addressed to that window: decoded here from the pixels, as a phone camera would.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadImage, createCanvas } from '@napi-rs/canvas';
import jsQR from 'jsqr';
import { afterAll, describe, expect, it } from 'vitest';
import { POSTER_SIZE } from '../../bots/telegram/poster.js';
import { BotApiFake } from '../support/bot-api-fake/index.js';

const root = new URL('../../', import.meta.url).pathname;
const tsx = join(root, 'node_modules/.bin/tsx');
const dir = mkdtempSync(join(tmpdir(), 'desk-poster-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function poster(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn(tsx, ['bin/poster.ts', ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    child.on('exit', (code) => resolve({ code, out }));
  });
}

async function qrOf(file: string): Promise<{ width: number; height: number; text: string | undefined }> {
  const img = await loadImage(readFileSync(file));
  const canvas = createCanvas(img.width, img.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(img, 0, 0);
  const { data } = ctx.getImageData(0, 0, img.width, img.height);
  return { width: img.width, height: img.height, text: jsQR(new Uint8ClampedArray(data), img.width, img.height)?.data };
}

describe('npm run poster', () => {
  it('asks Telegram for the bot’s username and encodes the site’s start link', async () => {
    const fake = await new BotApiFake({ username: 'changshu_desk_bot' }).start();
    try {
      const file = join(dir, 'yushan.png');
      const r = await poster(['yushan', '--out', file], { TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot });
      expect(r.code, r.out).toBe(0);
      expect(r.out).toContain('虞山街道为民服务中心');
      const png = await qrOf(file);
      expect([png.width, png.height]).toEqual([POSTER_SIZE.width, POSTER_SIZE.height]);
      expect(png.text).toBe('https://t.me/changshu_desk_bot?start=s_yushan');
    } finally {
      await fake.stop();
    }
  }, 60_000);

  it('takes the username from --bot, and refuses an unknown site in one line', async () => {
    const file = join(dir, 'city.png');
    const r = await poster(['city', '--out', file, '--bot', '@banbucheng_bot']);
    expect(r.code, r.out).toBe(0);
    expect((await qrOf(file)).text).toBe('https://t.me/banbucheng_bot?start=s_city');
    const bad = await poster(['nowhere', '--bot', 'banbucheng_bot']);
    expect(bad.code).toBe(2);
    expect(bad.out.trim().split('\n')).toHaveLength(1);
    expect(bad.out).toMatch(/no site "nowhere".*city, .*yushan/);
  }, 60_000);
});
