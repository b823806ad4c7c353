// The WeChat channel as `npm start` runs it (CHANNELS=wechat, or console,wechat): the settings
// it refuses before anything starts, both halves answering, the Wechaty account's login (QR code
// in the terminal, login/logout/reconnect in the log, a memory card under DATA_DIR that outlives
// a restart), and messages for a logged-out account waiting instead of failing.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../app.js';
import { memoryCardName } from '../../bots/wechat/index.js';
import { ERROR_REPEAT_MS, LAST_ACCOUNT_KEY } from '../../bots/wechat/wechaty/operation.js';
import { NOT_LOGGED_IN_WAIT_MS } from '../../bots/wechat/wechaty/sender.js';
import { postStaffNotice } from '../../services/delivery/index.js';
import { ConfigError, loadConfig } from '../../services/config.js';
import { conversationKeys } from '../../services/conversation/keys.js';
import { createLogger } from '../../services/logger.js';
import { systemClock } from '../../services/clock.js';
import { useTestDatabase } from '../support/mongo.js';
import { freePort } from '../support/net.js';
import { startFakeOfficialAccount } from '../support/wechat-oa-fake.js';
import { type WechatDesk, startWechatDesk } from './wechat-desk.js';

let desk: WechatDesk | undefined;
afterEach(async () => {
  await desk?.close();
  desk = undefined;
});

const OA = { WECHAT_OA_APP_ID: 'wx0123456789abcdef', WECHAT_OA_APP_SECRET: 'fakesecret0123456789', WECHAT_OA_TOKEN: 'fakepushtoken' };

/** What createApp says about CHANNELS=wechat with these settings, before any store or server starts. */
async function refusal(env: NodeJS.ProcessEnv): Promise<ConfigError> {
  const err = await createApp({
    config: loadConfig({ CHANNELS: 'wechat', MONGODB_URI: 'mongodb://127.0.0.1:1/never-reached', ...env }),
    logger: createLogger({ level: 'silent', pretty: false }),
    directory: {} as never, // never read: the channel's check comes first
  }).then(
    () => {
      throw new Error('started');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConfigError);
  return err as ConfigError;
}

describe('CHANNELS=wechat: settings refused before anything starts', () => {
  it.each([
    [{}, 'CHANNELS', /WECHAT_OA_APP_ID.*WECHATY_PUPPET/],
    [{ WECHAT_OA_APP_ID: OA.WECHAT_OA_APP_ID }, 'WECHAT_OA_APP_SECRET', /Official Account/],
    [{ ...OA, WECHAT_OA_TOKEN: undefined }, 'WECHAT_OA_TOKEN', /Official Account/],
    [{ WECHATY_PUPPET: 'wechaty-puppet-service' }, 'WECHATY_PUPPET_SERVICE_TOKEN', /puppet service provider/],
    [{ WECHATY_PUPPET: 'wechaty-puppet-official-account' }, 'WECHATY_PUPPET', /checks no signature/],
    [{ WECHATY_PUPPET: 'wechaty-puppet-mock' }, 'WECHATY_PUPPET', /for tests/],
    [{ WECHATY_PUPPET: 'wechaty-puppet-nosuchthing' }, 'WECHATY_PUPPET', /not installed; run npm install wechaty-puppet-nosuchthing/],
    [{ WECHATY_PUPPET_SERVICE_TOKEN: 'puppet_x_123', ...OA }, 'WECHATY_PUPPET_SERVICE_TOKEN', /WECHATY_PUPPET is not/],
  ])('%j → %s', async (env, variable, problem) => {
    const err = await refusal(env);
    expect(err.variable).toBe(variable);
    expect(err.message).toMatch(problem);
  });

  it('should refuse a bad EncodingAESKey and a bad AppID in the environment itself', () => {
    expect(() => loadConfig({ ...OA, WECHAT_OA_AES_KEY: 'too-short' })).toThrow(/WECHAT_OA_AES_KEY: expected the 43-character EncodingAESKey/);
    expect(() => loadConfig({ ...OA, WECHAT_OA_APP_ID: 'gh_123' })).toThrow(/WECHAT_OA_APP_ID: expected the AppID/);
  });
});

describe('CHANNELS=wechat as npm start runs it, with nothing but the environment', () => {
  it('should answer WeChat’s server-configuration handshake on WECHAT_OA_HOST:WECHAT_OA_PORT/WECHAT_OA_PATH', async () => {
    const db = await useTestDatabase('wechat-channel-env-only');
    const fake = await startFakeOfficialAccount({ clock: systemClock });
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'desk-wechat-env-'));
    const app = await createApp({
      config: loadConfig({
        CHANNELS: 'wechat',
        MONGODB_URI: db.uri,
        MONGODB_DB: db.dbName,
        DATA_DIR: dataDir,
        WECHAT_OA_APP_ID: fake.appId,
        WECHAT_OA_APP_SECRET: fake.secret,
        WECHAT_OA_TOKEN: fake.token,
        WECHAT_OA_PORT: String(port),
        WECHAT_OA_PATH: '/wx/push',
        WECHAT_API_BASE: fake.base,
      }),
      logger: createLogger({ level: 'silent', pretty: false }),
      calendarOverrides: {},
    });
    try {
      expect(await fake.handshake(`http://127.0.0.1:${port}/wx/push`, 'echo-42')).toEqual({ status: 200, body: 'echo-42' });
      expect((await fake.handshake(`http://127.0.0.1:${port}/wx/push`, 'echo-42', true)).status).toBe(401);
    } finally {
      await app.stop();
      await fake.close();
      await db.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('CHANNELS=console,wechat against the WeChat fake and wechaty-puppet-mock', () => {
  it('should answer a citizen on the Official Account and staff in the WeChat room, beside the console', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = '';
    output.on('data', (c: Buffer) => {
      printed += c.toString('utf8');
    });
    desk = await startWechatDesk('wechat-channel-both', {
      env: { CHANNELS: 'console,wechat' },
      channelOptions: { console: { input, output, interactive: false } },
    });
    expect(desk.app.info.channels).toEqual(['console', 'wechat']);
    await desk.push(desk.fake.eventFrom('o-first', 'subscribe'));
    expect(desk.chatOf('o-first')).toMatch(/1\. .+\n2\. /);
    await desk.say('wangfang', '#列表', 'room');
    expect(desk.heard('room').join('\n')).toMatch(/事项|没有/);
    input.write('#帮助\n');
    await desk.waitFor(() => printed.includes('#'), 'the console to answer');
  });

  it('should record nothing of a forged push and take a retried one once, through the whole app', async () => {
    desk = await startWechatDesk('wechat-channel-pushes');
    const d = desk;
    const forged = await d.fake.push(d.hook.url, d.fake.textFrom('o-victim', '我要投诉'), { forge: true });
    expect(forged.status).toBe(401);
    await d.hook.idle();
    expect(d.fake.custom).toEqual([]);
    expect(await d.app.models.Message.countDocuments({ 'to.id': 'oa:o-victim' })).toBe(0);
    // No dialogue was ever started for the citizen the forger posed as.
    expect(await d.app.coordination.get(conversationKeys({ channel: 'wechat', id: 'oa:o-victim' }).known)).toBeNull();

    await d.push(d.fake.eventFrom('o-retried', 'subscribe'));
    const greeted = d.chatOf('o-retried');
    // 反映问题, answered once however often WeChat delivers it: one consent question, not three.
    const answers = await d.fake.pushWithRetries(d.hook.url, d.fake.textFrom('o-retried', '1'), 3);
    await d.hook.idle();
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(d.chatOf('o-retried').slice(greeted.length).match(/同意并继续/g)).toHaveLength(1);
    expect(await d.app.coordination.get(conversationKeys({ channel: 'wechat', id: 'oa:o-retried' }).known)).not.toBeNull();
  });
});

const logged = (d: WechatDesk, msg: string) => d.logs.filter((l) => String(l.msg).startsWith(msg));

describe('the Wechaty account: login, logout and restarts', () => {
  it('should print the login QR code in the terminal, log the login, and keep messages for a logged-out account waiting until it is back', async () => {
    desk = await startWechatDesk('wechat-channel-login', { account: null });
    const d = desk;
    d.mocker.scan('https://login.weixin.qq.com/l/desk-test-code');
    await d.waitFor(() => d.terminal().includes('desk-test-code'), 'the QR code');
    // Drawn in block characters, so it scans from the terminal itself.
    expect(d.terminal()).toMatch(/[▀▄█]{10,}/);
    expect(d.terminal()).toContain('用微信扫描下方二维码登录');
    await d.login();
    expect(logged(d, 'WeChat account logged in')[0]).toMatchObject({ id: 'wx-desk', level: 30 });

    await d.puppet.logout('kicked out');
    await d.waitFor(() => logged(d, 'WeChat account logged out').length > 0, 'the logout line');
    expect(logged(d, 'WeChat account logged out')[0]).toMatchObject({ level: 40, reason: 'kicked out' });
    await postStaffNotice(d.app, { site: 'city', key: 'logged-out', text: '【系统提示】测试通知', reason: 'notice.test', now: d.clock.now() });
    await d.app.dispatcher.dispatchOnce();
    await d.app.dispatcher.dispatchOnce();
    // Waiting, not failing: no attempt spent, nothing dead-lettered, nobody alerted.
    const waiting = await d.app.models.Message.find({ 'to.channel': 'wechat' }).lean();
    expect(waiting.map((m) => [m.state, m.attempts])).toEqual(waiting.map(() => ['pending', 0]));
    expect(waiting.some((m) => m.lastError === 'WeChat account not logged in')).toBe(true);
    expect(await d.app.models.Message.countDocuments({ reason: 'delivery.dead_letter' })).toBe(0);

    await d.login();
    expect(logged(d, 'WeChat account logged in again')).toHaveLength(1);
    await new Promise((r) => setTimeout(r, NOT_LOGGED_IN_WAIT_MS));
    d.clock.advance(NOT_LOGGED_IN_WAIT_MS);
    await d.deliver();
    expect(d.heard('room')).toContain('【系统提示】测试通知');
  });

  it('should log a puppet’s repeated error once a minute, with how many were left out', async () => {
    desk = await startWechatDesk('wechat-channel-errors');
    const d = desk;
    for (let i = 0; i < 3; i++) d.puppet.emit('error', { data: 'getaddrinfo ENOTFOUND login.wx.qq.com' });
    await d.waitFor(() => logged(d, 'Wechaty error').length > 0, 'the error line');
    d.clock.advance(ERROR_REPEAT_MS);
    d.puppet.emit('error', { data: 'getaddrinfo ENOTFOUND login.wx.qq.com' });
    await d.waitFor(() => logged(d, 'Wechaty error').length > 1, 'the second error line');
    const lines = logged(d, 'Wechaty error');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatchObject({ level: 50, repeatedSinceLast: 2 });
  });

  it('should keep the memory card under DATA_DIR and tell, after a restart, whether the same account came back', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'desk-wechat-restart-'));
    try {
      const file = `${memoryCardName({ DATA_DIR: dataDir })}.memory-card.json`;
      desk = await startWechatDesk('wechat-channel-restart-1', { dataDir });
      await desk.close();
      desk = undefined;
      expect(existsSync(file)).toBe(true);
      expect(JSON.parse(readFileSync(file, 'utf8'))[LAST_ACCOUNT_KEY]).toMatchObject({ id: 'wx-desk' });

      desk = await startWechatDesk('wechat-channel-restart-2', { dataDir });
      expect(logged(desk, 'WeChat account logged in')[0]).toMatchObject({ id: 'wx-desk', lastLoginAt: expect.any(String) });
      expect(logged(desk, 'a different WeChat account')).toEqual([]);
      await desk.close();
      desk = undefined;

      desk = await startWechatDesk('wechat-channel-restart-3', { dataDir, account: 'wx-another' });
      expect(logged(desk, 'a different WeChat account')[0]).toMatchObject({ level: 40, last: { id: 'wx-desk' }, now: { id: 'wx-another' } });
      expect(JSON.parse(readFileSync(file, 'utf8'))[LAST_ACCOUNT_KEY]).toMatchObject({ id: 'wx-another' });
    } finally {
      await desk?.close();
      desk = undefined;
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
