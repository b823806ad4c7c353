// The Official Account side of the WeChat channel, assembled from its parts: the webhook that
// receives citizens' pushes, the API client (one shared token), the sender with its template
// fallback, and the translation into the dialogue.
import type { Clock } from '../../../services/clock.js';
import { type Config, ConfigError } from '../../../services/config.js';
import type { Coordination } from '../../../services/coordination/index.js';
import type { ConversationEngine } from '../../../services/conversation/index.js';
import type { AttachmentStore } from '../../../services/attachments.js';
import type { Logger } from '../../../services/logger.js';
import type { PushedMenus } from '../../text-menus.js';
import { type OaApi, createOaApi } from './api.js';
import { aesKeyFrom } from './crypto.js';
import { createOaCitizens } from './citizen.js';
import { type OaSender, createOaSender } from './sender.js';
import { type OaWebhook, startOaWebhook } from './webhook.js';

const REQUIRED = ['WECHAT_OA_APP_ID', 'WECHAT_OA_APP_SECRET', 'WECHAT_OA_TOKEN'] as const;

/** True when the Official Account is configured; throws when it is configured only in part. */
export function officialAccountConfigured(config: Config): boolean {
  const given = REQUIRED.filter((k) => config[k]);
  if (!given.length && !config.WECHAT_OA_AES_KEY) return false;
  const missing = REQUIRED.find((k) => !config[k]);
  if (missing) throw new ConfigError(missing, `needed with ${given[0] ?? 'WECHAT_OA_AES_KEY'} for the Official Account (see the README, WeChat)`);
  if (config.WECHAT_OA_AES_KEY) aesKeyFrom(config.WECHAT_OA_AES_KEY);
  return true;
}

export interface OfficialAccountDeps {
  config: Config;
  clock: Clock;
  coordination: Coordination;
  logger: Logger;
  menus: PushedMenus;
  conversation: Pick<ConversationEngine, 'handle'>;
  attachments: AttachmentStore;
  /** Tests and proxies may route the API calls (defaults to global fetch). */
  fetch?: typeof fetch;
}

export interface OfficialAccount {
  api: OaApi;
  sender: OaSender;
  /** Starts the webhook; its URL is what 服务器配置 (through the HTTPS proxy) points at. */
  start(): Promise<OaWebhook>;
  stop(): Promise<void>;
}

export function createOfficialAccount(d: OfficialAccountDeps): OfficialAccount {
  const c = d.config;
  const api = createOaApi({
    base: c.WECHAT_API_BASE,
    appId: c.WECHAT_OA_APP_ID!,
    secret: c.WECHAT_OA_APP_SECRET!,
    coordination: d.coordination,
    clock: d.clock,
    ...(d.fetch ? { fetch: d.fetch } : {}),
  });
  const sender = createOaSender({ api, templates: c.WECHAT_OA_TEMPLATES, menus: d.menus, clock: d.clock, logger: d.logger });
  const citizens = createOaCitizens({
    api,
    sender,
    conversation: d.conversation,
    menus: d.menus,
    attachments: d.attachments,
    locale: c.LOCALE,
    logger: d.logger,
  });
  let webhook: OaWebhook | undefined;
  return {
    api,
    sender,
    async start() {
      webhook = await startOaWebhook({
        appId: c.WECHAT_OA_APP_ID!,
        token: c.WECHAT_OA_TOKEN!,
        ...(c.WECHAT_OA_AES_KEY ? { aesKey: c.WECHAT_OA_AES_KEY } : {}),
        host: c.WECHAT_OA_HOST,
        port: c.WECHAT_OA_PORT,
        path: c.WECHAT_OA_PATH,
        coordination: d.coordination,
        clock: d.clock,
        logger: d.logger,
        onPush: citizens.onPush,
      });
      return webhook;
    },
    async stop() {
      await webhook?.close();
    },
  };
}
