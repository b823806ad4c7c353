// A desk whose staff room, staff and liaisons are on a Wechaty account, driven through
// wechaty-puppet-mock: people are mock contacts who say things to the bot or into the room,
// and what the bot says back is what they receive.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Message, WechatyBuilder } from 'wechaty';
import { PuppetMock, mock } from 'wechaty-puppet-mock';
import { type App, createApp } from '../../app.js';
import { createPushedMenus } from '../../bots/text-menus.js';
import { createWechatyMessages } from '../../bots/wechat/wechaty/messages.js';
import { createWechatySender } from '../../bots/wechat/wechaty/sender.js';
import type { CaseDoc } from '../../models/case.js';
import { createFileAttachmentStore } from '../../services/attachments.js';
import { ManualClock } from '../../services/clock.js';
import type { DirectoryData } from '../../services/directory/index.js';
import { createLogger } from '../../services/logger.js';
import { engineFor } from '../conversation/harness.js';
import { caseDocOf, deliverAll } from './desk-helpers.js';
import { useTestDatabase } from '../support/mongo.js';
import { deleteRedisKeys } from '../support/redis.js';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
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

export interface WechatyDesk {
  app: App;
  clock: ManualClock;
  mocker: mock.Mocker;
  me: Person;
  room: ReturnType<mock.Mocker['createRoom']>;
  person(id: string, name: string): Person;
  /** What the bot said to this contact privately, or into the room. */
  heard(who: Person | 'room'): string[];
  /** Someone says something (privately, or into the room); waits until the desk has handled it and delivered what it caused. */
  say(who: Person, text: string, where?: 'room' | 'private'): Promise<void>;
  caseDoc(number: string): Promise<CaseDoc>;
  close(): Promise<void>;
}

export async function startWechatyDesk(name: string): Promise<WechatyDesk> {
  const db = await useTestDatabase(name);
  const clock = new ManualClock('2026-11-24T10:00:00+08:00');
  const prefix = `test:wechaty:${randomUUID()}:`;
  const filesDir = mkdtempSync(join(tmpdir(), 'desk-wechaty-files-'));
  const logger = createLogger({ level: 'silent', pretty: false });
  const mocker = new mock.Mocker();
  const bot = WechatyBuilder.build({ puppet: new PuppetMock({ mocker }) });
  let sender: ReturnType<typeof createWechatySender> | undefined;
  const app = await createApp({
    config: { MONGODB_URI: db.uri, MONGODB_DB: db.dbName, REDIS_URL: redisUrl, REDIS_PREFIX: prefix },
    clock,
    logger,
    directory: wechatDirectory(),
    calendarOverrides: {},
    channels: [],
    workers: false,
    senders: [{ channel: 'wechat', send: (to, m, meta) => sender!.send(to, m, meta) }],
  });
  const menus = createPushedMenus(app.coordination);
  sender = createWechatySender(bot, menus);
  const handlers = createWechatyMessages({
    directory: app.directory,
    sites: await app.directory.sites(),
    staffCommand: app.staffCommand,
    conversation: engineFor({ app }, app.coordination),
    menus,
    coordination: app.coordination,
    attachments: createFileAttachmentStore(filesDir),
    locale: 'zh',
    logger,
  });
  let handled = 0;
  const failures: unknown[] = [];
  bot.on('message', (m: Message) => {
    handlers
      .onMessage(m)
      .catch((e: unknown) => failures.push(e))
      .finally(() => {
        handled += 1;
      });
  });
  await bot.start();
  const me = mocker.createContact({ name: '办不成事窗口' });
  mocker.login(me);
  const heard = new Map<string, string[]>();
  const listen = (key: string, emitter: { on(e: 'message', f: (m: InstanceType<typeof mocker.MessageMock>) => void): unknown }) =>
    emitter.on('message', (m) => {
      if (m.talker().id !== me.id) return;
      heard.set(key, [...(heard.get(key) ?? []), m.text() ?? `[file]`]);
    });
  const people = new Map<string, Person>();
  const person = (id: string, personName: string) => {
    const p = people.get(id) ?? mocker.createContact({ id, name: personName });
    if (!people.has(id)) {
      people.set(id, p);
      listen(id, p as never);
    }
    return p;
  };
  for (const id of ON_WECHAT) person(`wx-${id}`, id);
  const room = mocker.createRoom({ id: ROOM_ID, topic: '市中心办不成事工作群', memberIdList: [me.id, ...ON_WECHAT.map((id) => `wx-${id}`), 'wx-stranger'] });
  person('wx-stranger', '路人');
  listen('room', room as never);

  const waitFor = async (cond: () => boolean) => {
    for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
    if (!cond()) throw new Error('the desk never handled the message');
  };
  const deliver = () => deliverAll(app, clock, 4_000);


  return {
    app,
    clock,
    mocker,
    me,
    room,
    person,
    heard: (who) => heard.get(who === 'room' ? 'room' : who.id) ?? [],
    async say(who, text, where = 'private') {
      const before = handled;
      who.say(text).to(where === 'room' ? room : me);
      await waitFor(() => handled > before);
      if (failures.length) throw failures[0];
      await deliver();
    },
    caseDoc: (number) => caseDocOf(app, number),
    async close() {
      await bot.stop();
      await app.stop();
      await db.close();
      await deleteRedisKeys(redisUrl, prefix);
      rmSync(filesDir, { recursive: true, force: true });
    },
  };
}
