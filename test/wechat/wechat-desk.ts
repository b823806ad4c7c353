// The whole WeChat channel as `npm start` runs it: createApp with CHANNELS naming wechat, the
// Official Account against the local WeChat fake, the staff room, staff and liaisons on a
// wechaty-puppet-mock account injected through channelOptions. Citizens push through the fake;
// staff say things into the mock room; what each of them receives is what the tests read.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { PuppetMock, mock } from 'wechaty-puppet-mock';
import { type App, type AppOptions, createApp } from '../../app.js';
import type { OaWebhook } from '../../bots/wechat/official-account/webhook.js';
import type { CaseDoc } from '../../models/case.js';
import { ManualClock } from '../../services/clock.js';
import { type Config, loadConfig } from '../../services/config.js';
import type { DirectoryData } from '../../services/directory/index.js';
import { createLogger } from '../../services/logger.js';
import { useTestDatabase } from '../support/mongo.js';
import { deleteRedisKeys } from '../support/redis.js';
import { type FakeOfficialAccount, startFakeOfficialAccount } from '../support/wechat-oa-fake.js';
import { caseDocOf, deliverAll } from './desk-helpers.js';

export const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The account's templates as an operator would configure them (README, WeChat). */
export const TEMPLATES: Config['WECHAT_OA_TEMPLATES'] = {
  'citizen.follow_up': { templateId: 'tpl-followup', fields: { character_string1: '{number}', thing2: '事项已办结，请回复数字评价', time3: '{time}' } },
  'citizen.*': { templateId: 'tpl-progress', fields: { character_string1: '{number}', thing2: '{text}', time3: '{time}' } },
};

export const ROOM_ID = 'cityroom@chatroom';
/** Staff reached on WeChat in these tests (their WeChat identity first: that is where they are messaged). */
export const ON_WECHAT = ['wangfang', 'liqiang', 'zhangmin', 'liuyang', 'chenjing', 'wuhao', 'fengxue', 'zhouju'];

export function wechatDirectory(): DirectoryData {
  const d = JSON.parse(readFileSync(new URL('../../config/directory.json', import.meta.url), 'utf8')) as DirectoryData & {
    sites: { code: string; staffRooms: unknown[] }[];
    staff: { id: string; identities: { channel: string; id: string }[] }[];
  };
  for (const s of d.sites) if (s.code === 'city') s.staffRooms = [{ channel: 'wechat', id: ROOM_ID }];
  for (const s of d.staff) if (ON_WECHAT.includes(s.id)) s.identities = [{ channel: 'wechat', id: `wx-${s.id}` }, ...s.identities];
  return d;
}

export type Person = ReturnType<mock.Mocker['createContact']>;

export interface WechatDeskOptions {
  /** Environment laid over the harness's, read by loadConfig as `npm start` reads it (CHANNELS defaults to wechat). */
  env?: NodeJS.ProcessEnv;
  /** The data directory (memory card, attachments); a fresh one by default, removed on close unless given. */
  dataDir?: string;
  /** Log in the mock account as this contact id (default `wx-desk`); null leaves it logged out. */
  account?: string | null;
  channelOptions?: AppOptions['channelOptions'];
  deliveryLimits?: AppOptions['deliveryLimits'];
}

export interface WechatDesk {
  app: App;
  clock: ManualClock;
  fake: FakeOfficialAccount;
  mocker: mock.Mocker;
  puppet: PuppetMock;
  hook: OaWebhook;
  dataDir: string;
  /** Every log line, parsed. */
  logs: Record<string, unknown>[];
  /** What the channel drew in the terminal (the login QR code). */
  terminal(): string;
  person(id: string, name?: string): Person;
  /** Logs the mock account in (as `id`) and waits until the desk has seen it. */
  login(id?: string): Promise<Person>;
  /** What the bot said to this contact privately, or into the staff room. */
  heard(who: Person | 'room'): string[];
  /** A staff member (by directory id) or anyone says a line privately to the account (default) or into the staff room; handled and delivered. */
  say(who: Person | string, text: string, where?: 'room' | 'private'): Promise<void>;
  /** A citizen writes to the Official Account; handled and delivered. */
  citizen(openid: string, text: string): Promise<void>;
  push(fields: Record<string, string>): Promise<{ status: number; body: string }>;
  /** What a citizen has read in the Official Account chat (customer-service messages). */
  chatOf(openid: string): string;
  deliver(): Promise<void>;
  caseDoc(number: string): Promise<CaseDoc>;
  waitFor(cond: () => boolean, what: string): Promise<void>;
  close(): Promise<void>;
}

export async function startWechatDesk(name: string, o: WechatDeskOptions = {}): Promise<WechatDesk> {
  const db = await useTestDatabase(name);
  const clock = new ManualClock('2026-11-24T10:00:00+08:00');
  // An EncodingAESKey is 43 letters and digits, as the console generates it.
  const aesKey = randomBytes(43).toString('base64').replace(/[^A-Za-z0-9]/g, 'A').slice(0, 43);
  const fake = await startFakeOfficialAccount({ clock, aesKey, templateIds: ['tpl-followup', 'tpl-progress'] });
  const prefix = `test:wechat:${randomUUID()}:`;
  const dataDir = o.dataDir ?? mkdtempSync(join(tmpdir(), 'desk-wechat-'));
  const logs: Record<string, unknown>[] = [];
  const logSink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const logger = createLogger({ level: 'info', pretty: false, destination: logSink });
  const mocker = new mock.Mocker();
  const puppet = new PuppetMock({ mocker });
  const qr = new PassThrough();
  let drawn = '';
  qr.on('data', (c: Buffer) => {
    drawn += c.toString('utf8');
  });
  let hook: OaWebhook | undefined;
  let handled = 0;
  const failures: unknown[] = [];
  const app = await createApp({
    config: loadConfig({
      MONGODB_URI: db.uri,
      MONGODB_DB: db.dbName,
      REDIS_URL: redisUrl,
      REDIS_PREFIX: prefix,
      DATA_DIR: dataDir,
      CHANNELS: 'wechat',
      WECHAT_OA_APP_ID: fake.appId,
      WECHAT_OA_APP_SECRET: fake.secret,
      WECHAT_OA_TOKEN: fake.token,
      WECHAT_OA_AES_KEY: aesKey,
      WECHAT_OA_HOST: '127.0.0.1',
      WECHAT_OA_PORT: '0',
      WECHAT_API_BASE: fake.base,
      WECHAT_OA_TEMPLATES: JSON.stringify(TEMPLATES),
      ...o.env,
    }),
    clock,
    logger,
    directory: wechatDirectory(),
    calendarOverrides: {},
    workers: false,
    ...(o.deliveryLimits ? { deliveryLimits: o.deliveryLimits } : {}),
    channelOptions: {
      ...o.channelOptions,
      wechat: {
        puppet,
        qrOutput: qr,
        observer: {
          webhook: (h) => {
            hook = h;
          },
          handled: (err) => {
            if (err) failures.push(err);
            handled += 1;
          },
        },
      },
    },
  });

  const waitFor = async (cond: () => boolean, what: string) => {
    for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
    if (!cond()) throw new Error(`timed out waiting for ${what}`);
  };
  const heard = new Map<string, string[]>();
  let me: Person | undefined;
  const listen = (key: string, emitter: { on(e: 'message', f: (m: InstanceType<typeof mocker.MessageMock>) => void): unknown }) =>
    emitter.on('message', (m) => {
      if (m.talker().id !== me?.id) return;
      heard.set(key, [...(heard.get(key) ?? []), m.text() ?? '[file]']);
    });
  const people = new Map<string, Person>();
  const person = (id: string, personName = id) => {
    let p = people.get(id);
    if (!p) {
      p = mocker.createContact({ id, name: personName });
      people.set(id, p);
      listen(id, p as never);
    }
    return p;
  };
  const login = async (id = 'wx-desk') => {
    me = person(id, '办不成事窗口');
    const before = logs.filter((l) => String(l.msg).startsWith('WeChat account logged in')).length;
    mocker.login(me);
    await waitFor(() => logs.filter((l) => String(l.msg).startsWith('WeChat account logged in')).length > before, 'the login');
    return me;
  };
  for (const id of ON_WECHAT) person(`wx-${id}`, id);
  person('wx-stranger', '路人');
  const room = mocker.createRoom({ id: ROOM_ID, topic: '市中心办不成事工作群', memberIdList: ['wx-desk', ...ON_WECHAT.map((id) => `wx-${id}`), 'wx-stranger'] });
  listen('room', room as never);
  if (o.account !== null) await login(o.account);
  if (!hook) throw new Error('the Official Account webhook did not start');
  const webhook = hook;

  const deliver = () => deliverAll(app, clock, 4_000);
  const push = async (fields: Record<string, string>) => {
    const res = await fake.push(webhook.url, fields);
    await webhook.idle();
    return res;
  };
  return {
    app,
    clock,
    fake,
    mocker,
    puppet,
    hook: webhook,
    dataDir,
    logs,
    terminal: () => drawn,
    person,
    login,
    heard: (who) => heard.get(who === 'room' ? 'room' : who.id) ?? [],
    async say(who, text, where = 'private') {
      const p = typeof who === 'string' ? person(`wx-${who}`, who) : who;
      if (!me) throw new Error('log the account in first');
      const before = handled;
      p.say(text).to(where === 'room' ? room : me);
      await waitFor(() => handled > before, `the desk to handle “${text}”`);
      if (failures.length) throw failures[0];
      await deliver();
    },
    async citizen(openid, text) {
      await push(fake.textFrom(openid, text));
      await deliver();
    },
    push,
    chatOf: (openid) =>
      fake.custom
        .filter((m) => m.openid === openid)
        .map((m) => m.content ?? '')
        .join('\n---\n'),
    deliver,
    caseDoc: (number) => caseDocOf(app, number),
    waitFor,
    async close() {
      await app.stop();
      await fake.close();
      await db.close();
      await deleteRedisKeys(redisUrl, prefix);
      if (!o.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
