// The Official Account adapter against a local fake of WeChat: signatures on every push, safe
// mode, retries handled once across processes, the 5 s answer, errcodes told apart, one token.
import { randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createOaApi } from '../../bots/wechat/official-account/api.js';
import { OaApiError } from '../../bots/wechat/official-account/errors.js';
import type { OaPush } from '../../bots/wechat/official-account/push.js';
import { type OaWebhook, startOaWebhook } from '../../bots/wechat/official-account/webhook.js';
import { ManualClock } from '../../services/clock.js';
import { type Coordination, createRedisCoordination } from '../../services/coordination/index.js';
import { createLogger } from '../../services/logger.js';
import { deleteRedisKeys } from '../support/redis.js';
import { type FakeOfficialAccount, startFakeOfficialAccount } from '../support/wechat-oa-fake.js';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const runPrefix = `test:${randomUUID()}:`;
const logger = createLogger({ level: 'silent', pretty: false });
const aesKey = randomBytes(32).toString('base64').slice(0, 43);
let admin: Redis;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(() => {
  admin = new Redis(url);
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
afterAll(async () => {
  await deleteRedisKeys(url, runPrefix);
  await admin.quit();
});

interface Rig {
  fake: FakeOfficialAccount;
  clock: ManualClock;
  prefix: string;
  coordination: () => Promise<Coordination>;
  webhook: (o?: { onPush?: (p: OaPush) => Promise<void>; answerWithinMs?: number; safe?: boolean }) => Promise<{ hook: OaWebhook; handled: OaPush[] }>;
}

async function rig(o: { safe?: boolean } = {}): Promise<Rig> {
  const clock = new ManualClock('2026-11-24T10:00:00+08:00');
  const fake = await startFakeOfficialAccount({ clock, ...(o.safe ? { aesKey } : {}), templateIds: ['tpl-progress'] });
  cleanups.push(() => fake.close());
  const prefix = `${runPrefix}${randomUUID()}:`;
  // Each call is another process: its own Redis connection, the same keys.
  const coordination = async () => {
    const c = await createRedisCoordination({ url, prefix });
    cleanups.push(() => c.close());
    return c;
  };
  return {
    fake,
    clock,
    prefix,
    coordination,
    async webhook(w = {}) {
      const handled: OaPush[] = [];
      const hook = await startOaWebhook({
        appId: fake.appId,
        token: fake.token,
        ...((w.safe ?? o.safe) ? { aesKey } : {}),
        host: '127.0.0.1',
        port: 0,
        coordination: await coordination(),
        clock,
        logger,
        answerWithinMs: w.answerWithinMs ?? 4_000,
        onPush: async (p) => {
          handled.push(p);
          await w.onPush?.(p);
        },
      });
      cleanups.push(() => hook.close());
      return { hook, handled };
    },
  };
}

const redisKeys = (prefix: string) => admin.keys(`${prefix}*`);

describe('Official Account webhook: signatures', () => {
  it('should echo the console handshake only when it is signed with our token', async () => {
    const r = await rig();
    const { hook } = await r.webhook();
    expect(await r.fake.handshake(hook.url, 'echo-123')).toEqual({ status: 200, body: 'echo-123' });
    expect((await r.fake.handshake(hook.url, 'echo-123', true)).status).toBe(401);
  });

  it('should refuse a forged push and record nothing of it', async () => {
    const r = await rig();
    const { hook, handled } = await r.webhook();
    const answer = await r.fake.push(hook.url, r.fake.textFrom('o-citizen', '我要投诉'), { forge: true });
    expect(answer.status).toBe(401);
    await hook.idle();
    expect(handled).toEqual([]);
    expect(await redisKeys(r.prefix)).toEqual([]);
  });

  it('should refuse a push that replays an old signed request', async () => {
    const r = await rig();
    const { hook, handled } = await r.webhook();
    const old = String(Math.floor(r.clock.now().getTime() / 1000) - 3600);
    expect((await r.fake.push(hook.url, r.fake.textFrom('o-citizen', 'hi'), { timestamp: old })).status).toBe(401);
    expect(handled).toEqual([]);
  });

  it('should hand on a signed plaintext push with every field, a location included', async () => {
    const r = await rig();
    const { hook, handled } = await r.webhook();
    const answer = await r.fake.push(hook.url, r.fake.locationFrom('o-citizen', 31.3, 120.6, '苏州市便民服务中心'));
    expect(answer).toEqual({ status: 200, body: 'success' });
    expect(handled).toHaveLength(1);
    expect(handled[0]).toMatchObject({ MsgType: 'location', FromUserName: 'o-citizen', Label: '苏州市便民服务中心', Location_X: '31.3' });
  });

  it('should keep a 64-bit MsgId exact', async () => {
    const r = await rig();
    const { hook, handled } = await r.webhook();
    const push = r.fake.textFrom('o-citizen', 'hi');
    await r.fake.push(hook.url, push);
    expect(handled[0].MsgId).toBe(push.MsgId);
  });
});

describe('Official Account webhook: safe mode', () => {
  it('should decrypt an encrypted push and check its msg_signature', async () => {
    const r = await rig({ safe: true });
    const { hook, handled } = await r.webhook();
    expect(await r.fake.push(hook.url, r.fake.textFrom('o-citizen', '办不成事'))).toEqual({ status: 200, body: 'success' });
    expect(handled.map((p) => p.Content)).toEqual(['办不成事']);
  });

  it('should refuse a plaintext push, even one signed correctly', async () => {
    const r = await rig({ safe: true });
    const { hook, handled } = await r.webhook();
    expect((await r.fake.push(hook.url, r.fake.textFrom('o-citizen', 'hi'), { plaintext: true })).status).toBe(401);
    expect((await r.fake.push(hook.url, r.fake.textFrom('o-citizen', 'hi'), { forge: true })).status).toBe(401);
    expect(handled).toEqual([]);
    expect(await redisKeys(r.prefix)).toEqual([]);
  });

  it('should refuse a push encrypted for another account', async () => {
    const r = await rig({ safe: true });
    const clock = r.clock;
    const other = await startFakeOfficialAccount({ clock, appId: 'wxotheraccount0000', aesKey, token: r.fake.token });
    cleanups.push(() => other.close());
    const { hook, handled } = await r.webhook();
    expect((await other.push(hook.url, other.textFrom('o-citizen', 'hi'))).status).toBe(400);
    expect(handled).toEqual([]);
  });
});

describe('Official Account webhook: retries and the 5 s answer', () => {
  it('should handle a retried message once, answering every delivery', async () => {
    const r = await rig({ safe: true });
    const { hook, handled } = await r.webhook();
    const push = r.fake.textFrom('o-citizen', '进度');
    const answers = await r.fake.pushWithRetries(hook.url, push, 3);
    expect(answers.map((a) => a.body)).toEqual(['success', 'success', 'success']);
    expect(handled).toHaveLength(1);
  });

  it('should handle a retried event (no MsgId) once, by sender and CreateTime', async () => {
    const r = await rig();
    const { hook, handled } = await r.webhook();
    const subscribe = r.fake.eventFrom('o-citizen', 'subscribe');
    await r.fake.pushWithRetries(hook.url, subscribe, 2);
    const click = r.fake.eventFrom('o-citizen', 'CLICK', 'PROGRESS');
    await r.fake.push(hook.url, click);
    expect(handled.map((p) => p.Event)).toEqual(['subscribe', 'CLICK']);
  });

  it('should handle a push once when retries reach two processes at the same time', async () => {
    const r = await rig();
    const one = await r.webhook();
    const two = await r.webhook();
    const push = r.fake.textFrom('o-citizen', '你好');
    await Promise.all([r.fake.push(one.hook.url, push), r.fake.push(two.hook.url, push), r.fake.push(one.hook.url, push)]);
    await Promise.all([one.hook.idle(), two.hook.idle()]);
    expect(one.handled.length + two.handled.length).toBe(1);
  });

  it('should answer WeChat while a slow handler is still working, and not start it again on the retry', async () => {
    const r = await rig();
    let release!: () => void;
    const gate = new Promise<void>((res) => {
      release = res;
    });
    const { hook, handled } = await r.webhook({ onPush: () => gate, answerWithinMs: 50 });
    const push = r.fake.textFrom('o-citizen', '慢');
    expect(await r.fake.push(hook.url, push)).toEqual({ status: 200, body: 'success' });
    expect(await r.fake.push(hook.url, push)).toEqual({ status: 200, body: 'success' });
    release();
    await hook.idle();
    expect(handled).toHaveLength(1);
  });

  it('should let WeChat retry a push whose handler failed', async () => {
    const r = await rig();
    let fail = true;
    const { hook, handled } = await r.webhook({
      onPush: async () => {
        if (fail) throw new Error('store down');
      },
    });
    const push = r.fake.textFrom('o-citizen', '再试');
    expect((await r.fake.push(hook.url, push)).status).toBe(500);
    fail = false;
    expect((await r.fake.push(hook.url, push)).body).toBe('success');
    expect(handled).toHaveLength(2);
  });
});

describe('Official Account API client', () => {
  it('should tell a closed 48 h window from a spent quota', async () => {
    const r = await rig();
    const { hook } = await r.webhook();
    const api = createOaApi({ base: r.fake.base, appId: r.fake.appId, secret: r.fake.secret, coordination: await r.coordination(), clock: r.clock });
    await r.fake.push(hook.url, r.fake.textFrom('o-citizen', 'hi'));
    for (let i = 0; i < 5; i++) await api.sendCustom('o-citizen', { msgtype: 'text', text: { content: `第${i + 1}条` } });
    const spent = await api.sendCustom('o-citizen', { msgtype: 'text', text: { content: '第6条' } }).catch((e: unknown) => e);
    expect(spent).toBeInstanceOf(OaApiError);
    expect(spent).toMatchObject({ kind: 'quota_spent', errcode: 45047 });
    r.clock.advance(49 * 3600_000);
    await r.fake.push(hook.url, r.fake.textFrom('o-other', 'hi'));
    r.clock.advance(0);
    const closed = await api.sendCustom('o-citizen', { msgtype: 'text', text: { content: '迟到' } }).catch((e: unknown) => e);
    expect(closed).toMatchObject({ kind: 'window_closed', errcode: 45015 });
    expect(r.fake.custom.map((m) => m.content)).toEqual(['第1条', '第2条', '第3条', '第4条', '第5条']);
  });

  it('should share one access token between processes and fetch it once', async () => {
    const r = await rig();
    const { hook } = await r.webhook();
    await r.fake.push(hook.url, r.fake.textFrom('o-citizen', 'hi'));
    const apis = await Promise.all(
      [1, 2, 3].map(async () => createOaApi({ base: r.fake.base, appId: r.fake.appId, secret: r.fake.secret, coordination: await r.coordination(), clock: r.clock })),
    );
    await Promise.all(apis.map((a, i) => a.sendCustom('o-citizen', { msgtype: 'text', text: { content: `p${i}` } })));
    expect(r.fake.tokensIssued).toBe(1);
    expect(r.fake.custom).toHaveLength(3);
  });

  it('should refresh an expired token once and carry on', async () => {
    const r = await rig();
    const { hook } = await r.webhook();
    const api = createOaApi({ base: r.fake.base, appId: r.fake.appId, secret: r.fake.secret, coordination: await r.coordination(), clock: r.clock });
    await r.fake.push(hook.url, r.fake.textFrom('o-citizen', 'hi'));
    await api.sendCustom('o-citizen', { msgtype: 'text', text: { content: 'a' } });
    r.clock.advance(3 * 3600_000);
    await r.fake.push(hook.url, r.fake.textFrom('o-citizen', 'again'));
    await api.sendCustom('o-citizen', { msgtype: 'text', text: { content: 'b' } });
    expect(r.fake.tokensIssued).toBe(2);
    expect(r.fake.custom.map((m) => m.content)).toEqual(['a', 'b']);
  });

  it('should fetch a citizen image by MediaId, and send template messages', async () => {
    const r = await rig();
    const { hook } = await r.webhook();
    const api = createOaApi({ base: r.fake.base, appId: r.fake.appId, secret: r.fake.secret, coordination: await r.coordination(), clock: r.clock });
    const id = r.fake.addMedia(Buffer.from('jpeg-bytes'), 'image/jpeg', 'photo.jpg');
    const media = await api.getMedia(id);
    expect(media).toMatchObject({ mime: 'image/jpeg', name: 'photo.jpg' });
    expect(media.bytes.toString()).toBe('jpeg-bytes');
    expect(await api.getMedia('nope').catch((e: unknown) => e)).toMatchObject({ errcode: 40007, kind: 'rejected' });
    await r.fake.push(hook.url, r.fake.eventFrom('o-citizen', 'subscribe'));
    await api.sendTemplate('o-citizen', 'tpl-progress', { character_string1: '20261124001' });
    expect(r.fake.templates).toMatchObject([{ openid: 'o-citizen', templateId: 'tpl-progress', data: { character_string1: '20261124001' } }]);
  });
});
