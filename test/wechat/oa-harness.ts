// A desk whose citizens write through the Official Account: createApp over a fresh database and
// real Redis, the local WeChat fake on one side, the desk's webhook on the other.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type App, createApp } from '../../app.js';
import { createPushedMenus } from '../../bots/text-menus.js';
import { type OfficialAccount, createOfficialAccount } from '../../bots/wechat/official-account/index.js';
import type { OaWebhook } from '../../bots/wechat/official-account/webhook.js';
import type { CaseDoc } from '../../models/case.js';
import { createFileAttachmentStore } from '../../services/attachments.js';
import { ManualClock } from '../../services/clock.js';
import type { Config } from '../../services/config.js';
import type { Sender } from '../../services/delivery/index.js';
import { createLogger } from '../../services/logger.js';
import { engineFor } from '../conversation/harness.js';
import { caseDocOf, deliverAll } from './desk-helpers.js';
import { useTestDatabase } from '../support/mongo.js';
import { deleteRedisKeys } from '../support/redis.js';
import { type FakeOfficialAccount, startFakeOfficialAccount } from '../support/wechat-oa-fake.js';

export const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export const TEMPLATES: Config['WECHAT_OA_TEMPLATES'] = {
  'citizen.follow_up': { templateId: 'tpl-followup', fields: { character_string1: '{number}', thing2: '事项已办结，请回复数字评价', time3: '{time}' } },
  'citizen.*': { templateId: 'tpl-progress', fields: { character_string1: '{number}', thing2: '{text}', time3: '{time}' } },
};

export interface OaDesk {
  app: App;
  clock: ManualClock;
  fake: FakeOfficialAccount;
  oa: OfficialAccount;
  hook: OaWebhook;
  filesDir: string;
  /** A citizen's push through WeChat, then everything it caused delivered. */
  say(openid: string, text: string): Promise<void>;
  push(fields: Record<string, string>): Promise<{ status: number; body: string }>;
  /** Relays and delivers every message due now (the dispatcher, driven by hand). */
  deliver(): Promise<void>;
  staff(id: string, line: string): Promise<string>;
  caseDoc(number: string): Promise<CaseDoc>;
  close(): Promise<void>;
}

export async function startOaDesk(name: string, over: Partial<Config> = {}): Promise<OaDesk> {
  const db = await useTestDatabase(name);
  const clock = new ManualClock('2026-11-24T10:00:00+08:00');
  const aesKey = randomBytes(32).toString('base64').slice(0, 43);
  const fake = await startFakeOfficialAccount({ clock, aesKey, templateIds: ['tpl-followup', 'tpl-progress'] });
  const prefix = `test:oa:${randomUUID()}:`;
  const filesDir = mkdtempSync(join(tmpdir(), 'desk-oa-files-'));
  const logger = createLogger({ level: 'silent', pretty: false });
  let sender: Sender | undefined;
  const app = await createApp({
    config: {
      MONGODB_URI: db.uri,
      MONGODB_DB: db.dbName,
      REDIS_URL: redisUrl,
      REDIS_PREFIX: prefix,
      WECHAT_OA_APP_ID: fake.appId,
      WECHAT_OA_APP_SECRET: fake.secret,
      WECHAT_OA_TOKEN: fake.token,
      WECHAT_OA_AES_KEY: aesKey,
      WECHAT_OA_PORT: 0,
      WECHAT_API_BASE: fake.base,
      WECHAT_OA_TEMPLATES: TEMPLATES,
      ...over,
    },
    clock,
    logger,
    calendarOverrides: {},
    channels: [],
    workers: false,
    senders: [{ channel: 'wechat', send: (to, m, meta) => sender!.send(to, m, meta) }],
  });
  const oa = createOfficialAccount({
    config: app.config,
    clock,
    coordination: app.coordination,
    logger,
    menus: createPushedMenus(app.coordination),
    conversation: engineFor({ app }, app.coordination),
    attachments: createFileAttachmentStore(filesDir),
  });
  sender = oa.sender;
  const hook = await oa.start();
  const deliver = () => deliverAll(app, clock, 2_000);

  const push = async (fields: Record<string, string>) => {
    const res = await fake.push(hook.url, fields);
    await hook.idle();
    return res;
  };
  return {
    app,
    clock,
    fake,
    oa,
    hook,
    filesDir,
    push,
    async say(openid, text) {
      await push(fake.textFrom(openid, text));
      await deliver();
    },
    deliver,
    async staff(id, line) {
      const out = await app.staffCommand(await app.directory.staff(id), line);
      await deliver();
      return out.map((s) => (s.kind === 'file' ? s.name : s.text)).join('\n');
    },
    caseDoc: (number) => caseDocOf(app, number),
    async close() {
      await oa.stop();
      await app.stop();
      await fake.close();
      await db.close();
      await deleteRedisKeys(redisUrl, prefix);
      rmSync(filesDir, { recursive: true, force: true });
    },
  };
}
