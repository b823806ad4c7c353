// A desk whose citizens write through the Official Account, as the wechat channel plug-in runs
// it (startWechatDesk): the local WeChat fake on one side, the desk's webhook on the other, staff
// acting through the one staff-command parser.
import { join } from 'node:path';
import type { App } from '../../app.js';
import type { OaWebhook } from '../../bots/wechat/official-account/webhook.js';
import type { CaseDoc } from '../../models/case.js';
import type { ManualClock } from '../../services/clock.js';
import type { FakeOfficialAccount } from '../support/wechat-oa-fake.js';
import { startWechatDesk } from './wechat-desk.js';

export interface OaDesk {
  app: App;
  clock: ManualClock;
  fake: FakeOfficialAccount;
  hook: OaWebhook;
  /** Where the desk keeps citizens' files (DATA_DIR/attachments). */
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

/** `env` is read as `npm start` reads the environment (e.g. WECHAT_OA_TEMPLATES: '{}'). */
export async function startOaDesk(name: string, env: NodeJS.ProcessEnv = {}): Promise<OaDesk> {
  // The citizen's side, not the pace: WeChat's limits are lifted (pacing.test.ts keeps them).
  const d = await startWechatDesk(name, { env, deliveryLimits: { wechat: {}, 'wechat-oa': {} } });
  return {
    app: d.app,
    clock: d.clock,
    fake: d.fake,
    hook: d.hook,
    filesDir: join(d.dataDir, 'attachments'),
    say: (openid, text) => d.citizen(openid, text),
    push: d.push,
    deliver: d.deliver,
    async staff(id, line) {
      const out = await d.app.staffCommand(await d.app.directory.staff(id), line);
      await d.deliver();
      return out.map((s) => (s.kind === 'file' ? s.name : s.text)).join('\n');
    },
    caseDoc: d.caseDoc,
    close: d.close,
  };
}
