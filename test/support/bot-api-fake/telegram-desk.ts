// A whole desk with the Telegram channel on, talking over HTTP to a BotApiFake: createApp as
// `npm start` builds it (CHANNELS=telegram, TELEGRAM_BOT_TOKEN, TELEGRAM_API_ROOT), real Redis
// under a random prefix, a fresh database, the sample directory with the city's staff room on
// Telegram, and the dispatcher running so pushes reach the chats.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type App, createApp } from '../../../app.js';
import type { TelegramOptions } from '../../../bots/telegram/index.js';
import type { CaseDoc } from '../../../models/case.js';
import { ManualClock } from '../../../services/clock.js';
import type { Config } from '../../../services/config.js';
import type { DirectoryData } from '../../../services/directory/index.js';
import { createLogger } from '../../../services/logger.js';
import { useTestDatabase } from '../mongo.js';
import { deleteRedisKeys } from '../redis.js';
import { BotApiFake, type BotApiFakeOptions } from './index.js';

export const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** The city's staff supergroup in these suites. */
export const STAFF_GROUP = -1001234567890;

export function telegramDirectory(): DirectoryData {
  const d = JSON.parse(readFileSync(new URL('../../../config/directory.json', import.meta.url), 'utf8')) as DirectoryData & {
    sites: { code: string; staffRooms: unknown[] }[];
  };
  for (const s of d.sites) if (s.code === 'city') s.staffRooms = [{ channel: 'telegram', id: String(STAFF_GROUP) }];
  return d;
}

export interface TelegramDeskOptions {
  fake?: BotApiFake;
  fakeOptions?: BotApiFakeOptions;
  /** Share one database and Redis prefix between several desks (several bot processes). */
  shared?: { uri: string; dbName: string; prefix: string; filesDir: string };
  config?: Partial<Config>;
  telegram?: TelegramOptions;
  now?: string;
  clock?: ManualClock;
}

export interface TelegramDesk {
  app: App;
  fake: BotApiFake;
  clock: ManualClock;
  filesDir: string;
  shared: { uri: string; dbName: string; prefix: string; filesDir: string };
  caseDoc(number: string): Promise<CaseDoc>;
  cases(): Promise<CaseDoc[]>;
  /** Waits until the bot has finished every update made so far (its claim marked done). */
  settle(): Promise<void>;
  /**
   * Relays and delivers everything due now. Telegram's per-chat buckets (timed by Redis) hold a
   * second message to one chat back about a second: that passes in real time and the desk's
   * clock moves with it, up to `holdMs` (quiet hours and long backoffs are the test's to move).
   */
  deliver(o?: { holdMs?: number; chat?: number }): Promise<void>;
  /** A staff command line as `staffId` (the one parser every channel shares); its answer as text. */
  staff(staffId: string, line: string): Promise<string>;
  /** Staff take a NOT_STATIONED case from classification to the result sent to the citizen (市教育局 answers). */
  handleToResult(number: string): Promise<void>;
  close(): Promise<void>;
}

export async function startTelegramDesk(name: string, o: TelegramDeskOptions = {}): Promise<TelegramDesk> {
  const fake = o.fake ?? (await new BotApiFake(o.fakeOptions).start());
  const own = !o.shared;
  const db = own ? await useTestDatabase(name) : undefined;
  const shared = o.shared ?? {
    uri: db!.uri,
    dbName: db!.dbName,
    prefix: `test:telegram:${randomUUID()}:`,
    filesDir: mkdtempSync(join(tmpdir(), 'desk-telegram-files-')),
  };
  if (!fake.chat(STAFF_GROUP)) fake.group({ id: STAFF_GROUP, title: '常熟市政务服务中心 办不成事 工作群', forum: true });
  const clock = o.clock ?? new ManualClock(o.now ?? '2026-11-24T10:00:00+08:00');
  const app = await createApp({
    config: {
      MONGODB_URI: shared.uri,
      MONGODB_DB: shared.dbName,
      REDIS_URL: redisUrl,
      REDIS_PREFIX: shared.prefix,
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      ...o.config,
    },
    clock,
    logger: createLogger({ level: process.env.TEST_LOG ?? 'silent', pretty: false }),
    directory: telegramDirectory(),
    calendarOverrides: {},
    channels: ['telegram'],
    channelOptions: { telegram: { attachmentsDir: shared.filesDir, timeoutSeconds: 2, leaseMs: 3_000, requestTimeoutSeconds: 4, ...o.telegram } },
  });
  let settledUpTo = fake.lastUpdateId;
  const staff = async (staffId: string, line: string) => {
    const out = await app.staffCommand(await app.directory.staff(staffId), line);
    return out.map((x) => (x.kind === 'file' ? x.name : x.text)).join('\n');
  };
  const caseDoc = async (number: string) => {
    const d = await app.models.Case.findOne({ number }).lean<CaseDoc>().exec();
    if (!d) throw new Error(`no case ${number}`);
    return d;
  };
  return {
    app,
    fake,
    clock,
    filesDir: shared.filesDir,
    shared,
    caseDoc,
    cases: () => app.models.Case.find({}).sort({ number: 1 }).lean<CaseDoc[]>().exec(),
    async settle() {
      const upto = fake.lastUpdateId;
      const deadline = Date.now() + 15_000;
      for (let id = settledUpTo + 1; id <= upto; id++) {
        const key = `telegram:update:${fake.bot.id}:${id}`;
        while ((await app.coordination.get(key)) !== 'done') {
          if (Date.now() > deadline) throw new Error(`update ${id} was not handled; last calls: ${fake.calls.slice(-6).map((c) => `${c.method} ${c.status} ${c.description ?? ''}`).join('; ')}`);
          await new Promise((r) => setTimeout(r, 10));
        }
      }
      settledUpTo = Math.max(settledUpTo, upto);
    },
    async deliver({ holdMs = 3_000, chat }: { holdMs?: number; chat?: number } = {}) {
      // A retry_after pauses the channel in real time while the message stays due: keep trying until it passes.
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        await app.dispatcher.relayOnce();
        if ((await app.dispatcher.dispatchOnce()) > 0) continue;
        if (await app.models.Case.countDocuments({ outboxAt: { $ne: null } })) continue;
        // The staff group's 20 a minute would make every suite wait minutes: a citizen suite waits for its chat only.
        const next = await app.models.Message.findOne({ 'to.channel': 'telegram', ...(chat !== undefined ? { 'to.id': String(chat) } : {}), state: { $in: ['pending', 'sending'] } }).sort({ nextAttemptAt: 1 }).lean();
        if (!next) return;
        const wait = Math.max(50, next.nextAttemptAt.getTime() - clock.now().getTime());
        if (process.env.TEST_DELIVER_TRACE) console.log('deliver wait', wait, next.state, next.reason, next.attempts, next.lastError);
        if (wait > holdMs) return;
        await new Promise((r) => setTimeout(r, wait));
        clock.advance(wait);
      }
    },
    staff,
    async handleToResult(number) {
      await staff('wangfang', `${number} 分类 未进驻`);
      await staff('liuyang', `${number} 转办 jyj`); // the preview
      await staff('liuyang', `${number} 转办 jyj`); // sent
      await staff('wuhao', `${number} 签收`);
      await staff('wuhao', `${number} 答复 已电话联系家长，资格审核通过`);
      await staff('zhangmin', `${number} 办结 单位已处办 教育局已处理，资格审核通过`);
      await staff('zhangmin', `${number} 回复`);
    },
    async close() {
      await app.stop();
      if (!o.fake) await fake.stop();
      if (own) {
        await db!.close();
        await deleteRedisKeys(redisUrl, shared.prefix);
        rmSync(shared.filesDir, { recursive: true, force: true });
      }
    },
  };
}
