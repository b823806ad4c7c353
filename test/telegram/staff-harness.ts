// A desk whose city staff group, staff and liaisons are on Telegram, over HTTP against the Bot
// API fake: createApp with CHANNELS=telegram as `npm start` builds it, real Redis under a random
// prefix, a fresh database. People are fake users who write and press buttons; what the bot put
// in a chat or topic is read back from the fake. Delivery is driven by the test (deliver()), with
// the platform's rate limits lifted unless a suite is about them.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type App, createApp } from '../../app.js';
import type { CaseDoc } from '../../models/case.js';
import type { TelegramTopicDoc } from '../../models/telegram-topic.js';
import { ManualClock } from '../../services/clock.js';
import type { DirectoryData } from '../../services/directory/index.js';
import type { LimitsPolicy } from '../../services/delivery/index.js';
import { createLogger } from '../../services/logger.js';
import { BotApiFake, type BotApiFakeOptions, type BotMessage, type FakeUser, type TgChat, type TgMessage } from '../support/bot-api-fake/index.js';
import { useTestDatabase } from '../support/mongo.js';
import { deleteRedisKeys } from '../support/redis.js';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const STAFF_GROUP = -1001900000001;
/** Staff on Telegram in these suites, by directory id: their Telegram user id comes first, so private notices reach them there. */
export const TG: Record<string, number> = {
  wangfang: 7001, // duty officer on Tuesdays
  zhangmin: 7002, // window clerk
  liuyang: 7003, // 业务协调科
  chenjing: 7004, // 效能督查科
  wuhao: 7005, // liaison, 市教育局
  fengxue: 7006, // liaison, 市便民服务中心
  liqiang: 7008, // duty officer
  zhaolei: 7009, // 行政审批制度改革科
};
const FIRST_UPDATE_ID = 700_000_001;

function staffDirectory(): DirectoryData {
  const d = JSON.parse(readFileSync(new URL('../../config/directory.json', import.meta.url), 'utf8')) as DirectoryData & {
    sites: { code: string; staffRooms: unknown[] }[];
    staff: { id: string; identities: { channel: string; id: string }[] }[];
  };
  for (const s of d.sites) if (s.code === 'city') s.staffRooms = [{ channel: 'telegram', id: String(STAFF_GROUP) }];
  for (const s of d.staff) if (TG[s.id]) s.identities = [{ channel: 'telegram', id: String(TG[s.id]) }, ...s.identities];
  return d;
}

export interface StaffDesk {
  app: App;
  fake: BotApiFake;
  clock: ManualClock;
  /** A fake Telegram user: a staff member by directory id, or anyone by number. */
  user(who: string | number): FakeUser;
  /** Someone writes; waits until the bot has handled it and delivered what it caused. */
  say(who: string | number, text: string, where?: { chat?: number; thread?: number; replyTo?: TgMessage }): Promise<TgMessage>;
  /** Someone sends a photo; waits until it was handled and what it caused delivered. */
  photo(who: string | number, bytes: Buffer, o?: { caption?: string; chat?: number; thread?: number }): Promise<TgMessage>;
  /** Someone presses a button (by label) on a message; returns the callback query's id once handled and delivered. */
  press(who: string | number, message: TgMessage, label: string): Promise<string>;
  pressData(who: string | number, message: TgMessage, data: string): Promise<string>;
  /** The citizen's whole report, typed, from the first message to the confirmation. */
  report(citizen: number, matter: string, problem: string, account: string, unit?: string): Promise<string>;
  topic(number: string): Promise<TelegramTopicDoc>;
  /** The case card as the group shows it now. */
  card(number: string): Promise<BotMessage>;
  /** What the bot posted in the case's topic (or, in a plain group, in reply to its card), card first. */
  inTopic(number: string): Promise<BotMessage[]>;
  caseDoc(number: string): Promise<CaseDoc>;
  /** Handles every update made so far, then relays and dispatches until nothing is due. */
  deliver(): Promise<void>;
  /**
   * Like deliver, but also waits (in real time, moving the desk's clock along) for messages the
   * rate limits or a retry_after hold back, up to `holdMs` for any one wait.
   */
  deliverPatiently(holdMs: number): Promise<void>;
  /**
   * Sends a transfer slip from the card: the first press posts the preview of what the unit will
   * read (into the topic), its button sends it. Returns the preview's text.
   */
  transfer(who: string, number: string, label: string): Promise<string>;
  /** Someone adds the bot to a group (a my_chat_member update); waits until it was handled. */
  addBotTo(chat: { id: number; title: string }, by: string | number): Promise<TgChat>;
  /** Starts another bot process beside this one (same database, Redis and Bot API server); closed with the desk. */
  second(): Promise<App>;
  /** Stops this bot process and starts another on the same database, Redis and Bot API server. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startStaffDesk(
  name: string,
  o: { plain?: boolean; botCanManageTopics?: boolean; limits?: LimitsPolicy; fakeOptions?: BotApiFakeOptions; now?: string } = {},
): Promise<StaffDesk> {
  const fake = await new BotApiFake({ groupPerMinute: o.limits ? 20 : 1_000_000, ...o.fakeOptions }).start();
  fake.group({ id: STAFF_GROUP, title: '市政务服务中心·办不成事工作群', ...(o.plain ? { plain: true } : { forum: true }), members: Object.values(TG), botCanManageTopics: o.botCanManageTopics ?? true });
  const db = await useTestDatabase(name);
  const prefix = `test:tg-staff:${randomUUID()}:`;
  const filesDir = mkdtempSync(join(tmpdir(), 'desk-tg-staff-'));
  const clock = new ManualClock(o.now ?? '2026-11-24T10:00:00+08:00');
  const boot = () => createApp({
    config: {
      MONGODB_URI: db.uri,
      MONGODB_DB: db.dbName,
      REDIS_URL: redisUrl,
      REDIS_PREFIX: prefix,
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
    },
    clock,
    logger: createLogger({ level: process.env.TEST_LOG ?? 'silent', pretty: false }),
    directory: staffDirectory(),
    calendarOverrides: {},
    channels: ['telegram'],
    workers: false,
    deliveryLimits: o.limits ?? { telegram: {} },
    channelOptions: { telegram: { attachmentsDir: filesDir, timeoutSeconds: 1, leaseMs: 3_000 } },
  });
  let app = await boot();
  const others: App[] = [];
  let updates = 0;
  let settled = 0;
  const users = new Map<number, FakeUser>();
  const user = (who: string | number) => {
    const id = typeof who === 'number' ? who : TG[who];
    if (!id) throw new Error(`no Telegram user for ${who}`);
    const known = users.get(id);
    if (known) return known;
    const u = fake.user({ id, first_name: typeof who === 'string' ? who : `用户${id}`, language_code: 'zh-hans' });
    users.set(id, u);
    return u;
  };
  const caseDoc = async (number: string) => {
    const d = await app.models.Case.findOne({ number }).lean<CaseDoc>().exec();
    if (!d) throw new Error(`no case ${number}`);
    return d;
  };
  async function settle() {
    const deadline = Date.now() + 30_000;
    for (; settled < updates; settled++) {
      const key = `telegram:update:${fake.bot.id}:${FIRST_UPDATE_ID + settled}`;
      while ((await app.coordination.get(key)) !== 'done') {
        if (Date.now() > deadline)
          throw new Error(`update ${FIRST_UPDATE_ID + settled} not handled; last calls: ${fake.calls.slice(-6).map((c) => `${c.method} ${c.status} ${c.description ?? ''}`).join('; ')}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    }
  }
  async function deliver() {
    for (let i = 0; i < 100; i++) {
      await settle();
      await app.dispatcher.relayOnce();
      if ((await app.dispatcher.dispatchOnce()) > 0) continue;
      if (await app.models.Case.countDocuments({ outboxAt: { $ne: null } })) continue;
      return;
    }
    throw new Error('delivery did not come to rest');
  }
  async function deliverPatiently(holdMs: number) {
    for (let i = 0; i < 500; i++) {
      await deliver();
      const next = await app.models.Message.findOne({ 'to.channel': 'telegram', state: { $in: ['pending', 'sending'] } }).sort({ nextAttemptAt: 1 }).lean().exec();
      if (!next) return;
      const wait = Math.max(0, next.nextAttemptAt.getTime() - clock.now().getTime());
      if (wait > holdMs) throw new Error(`a message waits ${wait} ms, longer than ${holdMs}: ${next.lastError ?? ''}`);
      await new Promise((r) => setTimeout(r, Math.max(50, wait)));
      clock.advance(Math.max(50, wait));
    }
    throw new Error('delivery did not come to rest');
  }
  const topic = async (number: string) => {
    const t = await app.models.TelegramTopic.findOne({ chatId: String(STAFF_GROUP), caseNumber: number }).lean<TelegramTopicDoc>().exec();
    if (!t) throw new Error(`case ${number} has no topic in the staff group`);
    return t;
  };
  const desk: StaffDesk = {
    get app() {
      return app;
    },
    fake,
    clock,
    user,
    async say(who, text, where = {}) {
      const m = user(who).send(text, where);
      updates++;
      await deliver();
      return m;
    },
    async photo(who, bytes, o = {}) {
      const m = user(who).sendPhoto(bytes, o);
      updates++;
      await deliver();
      return m;
    },
    async press(who, message, label) {
      const id = user(who).press(message, label);
      updates++;
      await deliver();
      return id;
    },
    async pressData(who, message, data) {
      const id = user(who).pressData(message, data);
      updates++;
      await deliver();
      return id;
    },
    async report(citizen, matter, problem, account, unit = '不清楚') {
      for (const line of ['你好', '1', '1', '1', matter, problem, account, '说完了', unit, '王小明', '138 1234 5678', '1']) await desk.say(citizen, line);
      const said = fake.sent(citizen).map((m) => m.text ?? '').join('\n');
      const n = /编号：([A-Z]{0,4}\d{11,14})/.exec(said)?.[1];
      if (!n) throw new Error(`the report was not registered; the bot said:\n${said.slice(-600)}`);
      return n;
    },
    topic,
    async card(number) {
      const t = await topic(number);
      const m = fake.sent(STAFF_GROUP).find((x) => x.message_id === t.cardMessageId);
      if (!m) throw new Error(`no card for ${number}`);
      return m;
    },
    async inTopic(number) {
      const t = await topic(number);
      return fake.sent(STAFF_GROUP).filter((m) => (t.threadId ? m.message_thread_id === t.threadId : m.message_id === t.cardMessageId || m.reply_to_message?.message_id === t.cardMessageId));
    },
    caseDoc,
    deliver,
    deliverPatiently,
    async transfer(who, number, label) {
      await desk.press(who, await desk.card(number), label);
      const preview = [...(await desk.inTopic(number))].reverse().find((m) => m.text?.includes('【转办单预览】'));
      if (!preview) throw new Error(`no slip preview in the topic of ${number}; last: ${(await desk.inTopic(number)).at(-1)?.text}`);
      await desk.press(who, preview, '发送转办单');
      return preview.text ?? '';
    },
    async addBotTo(chat, by) {
      const c = fake.addBotTo(chat, user(by).info);
      updates++;
      await deliver();
      return c;
    },
    async second() {
      const other = await boot();
      others.push(other);
      return other;
    },
    async restart() {
      await settle();
      await app.stop();
      app = await boot();
    },
    async close() {
      for (const o of others) await o.stop();
      await app.stop();
      await fake.stop();
      await db.close();
      await deleteRedisKeys(redisUrl, prefix);
      rmSync(filesDir, { recursive: true, force: true });
    },
  };
  // Staff open their private chat with the bot once (Telegram lets a bot write only to people who did).
  for (const id of Object.keys(TG)) await desk.say(id, '/start');
  return desk;
}
