// WeChat as a channel plug-in: citizens through the Official Account (our adapter, bots/wechat/
// official-account), staff rooms, staff and liaisons through a Wechaty puppet (bots/wechat/wechaty).
// Either half may run alone; both share the `wechat` channel and one sender, which tells them
// apart by address (`oa:<openid>` is the Official Account's).
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { MemoryCard } from 'memory-card';
import { type Message, type OfficialPuppetNpmName, WechatyBuilder, type WechatyOptions } from 'wechaty';
import type { WechatyInterface } from 'wechaty/impls';
import { createFileAttachmentStore } from '../../services/attachments.js';
import { type Config, ConfigError } from '../../services/config.js';
import type { Sender } from '../../services/delivery/index.js';
import { wechatZh } from '../../services/locales/zh/wechat.js';
import { defineChannel } from '../channel.js';
import { type OfficialAccount, createOfficialAccount, officialAccountConfigured } from './official-account/index.js';
import { isOaAddress } from './official-account/sender.js';
import type { OaWebhook } from './official-account/webhook.js';
import { createWechatyMessages } from './wechaty/messages.js';
import { watchWechatyAccount } from './wechaty/operation.js';
import { createWechatySender } from './wechaty/sender.js';

/** A puppet instance, as Wechaty takes it (tests inject wechaty-puppet-mock). */
export type WechatyPuppet = Extract<NonNullable<WechatyOptions['puppet']>, object>;

export interface WechatOptions {
  /** A puppet instance instead of the WECHATY_PUPPET package. */
  puppet?: WechatyPuppet;
  /** Where the login QR code is drawn; defaults to stderr (beside the console's stdout, and out of the JSON log). */
  qrOutput?: NodeJS.WritableStream;
  /** The Official Account API calls go through this (defaults to global fetch). */
  fetch?: typeof fetch;
  /** Told what the channel is doing, for tests that wait on it. */
  observer?: {
    /** The Official Account webhook is listening (its URL, and a way to wait for its pushes). */
    webhook?(hook: OaWebhook): void;
    /** One Wechaty message has been handled (with the error if it failed). */
    handled?(error?: unknown): void;
  };
}

/** The file Wechaty keeps its memory card in (the puppet's session, the account last logged in). */
export const memoryCardName = (config: Pick<Config, 'DATA_DIR'>) => join(config.DATA_DIR, 'wechaty');

/** Puppets that cannot log in without a token from their provider. */
const NEEDS_TOKEN = new Set(['wechaty-puppet-service', 'wechaty-puppet-padlocal']);

function installed(name: string): boolean {
  const paths = createRequire(import.meta.url).resolve.paths(name) ?? [];
  return paths.some((p) => existsSync(join(p, name, 'package.json')));
}

function checkPuppet(config: Config): void {
  const name = config.WECHATY_PUPPET;
  if (!name) {
    if (config.WECHATY_PUPPET_SERVICE_TOKEN)
      throw new ConfigError('WECHATY_PUPPET_SERVICE_TOKEN', 'is set but WECHATY_PUPPET is not; set WECHATY_PUPPET=wechaty-puppet-service (or the puppet the token is for)');
    return;
  }
  if (name === 'wechaty-puppet-official-account')
    throw new ConfigError(
      'WECHATY_PUPPET',
      'wechaty-puppet-official-account is not used: it checks no signature on pushes and has no safe mode. Set WECHAT_OA_APP_ID, WECHAT_OA_APP_SECRET and WECHAT_OA_TOKEN for the desk’s own Official Account adapter, and WECHATY_PUPPET only for a puppet with rooms (README, WeChat)',
    );
  if (name === 'wechaty-puppet-mock')
    throw new ConfigError('WECHATY_PUPPET', 'wechaty-puppet-mock is for tests (they pass a PuppetMock instance to createApp); use wechaty-puppet-service or, for development, wechaty-puppet-wechat4u');
  if (NEEDS_TOKEN.has(name) && !config.WECHATY_PUPPET_SERVICE_TOKEN)
    throw new ConfigError('WECHATY_PUPPET_SERVICE_TOKEN', `needed by ${name}: the token from your puppet service provider (README, WeChat)`);
  if (!installed(name)) throw new ConfigError('WECHATY_PUPPET', `${name} is not installed; run npm install ${name}, or choose another puppet (README, WeChat)`);
}

export const wechatChannel = defineChannel({
  name: 'wechat',
  check(config, options: WechatOptions | undefined) {
    const oa = officialAccountConfigured(config); // throws for an Official Account set up in part
    if (!options?.puppet) checkPuppet(config);
    if (!oa && !options?.puppet && !config.WECHATY_PUPPET)
      throw new ConfigError(
        'CHANNELS',
        'wechat needs the Official Account (WECHAT_OA_APP_ID, WECHAT_OA_APP_SECRET, WECHAT_OA_TOKEN) for citizens, WECHATY_PUPPET for staff rooms and liaisons, or both (README, WeChat)',
      );
  },
  async create(deps, options: WechatOptions | undefined) {
    const { config, clock, logger, coordination, menus } = deps;
    const attachments = createFileAttachmentStore(join(config.DATA_DIR, 'attachments'));
    const conversation = deps.conversationEngine();

    const oa: OfficialAccount | undefined = officialAccountConfigured(config)
      ? createOfficialAccount({
          config,
          clock,
          coordination,
          logger: logger.child({ side: 'official-account' }),
          menus,
          conversation,
          attachments,
          ...(options?.fetch ? { fetch: options.fetch } : {}),
        })
      : undefined;

    let bot: WechatyInterface | undefined;
    const wechatyLog = logger.child({ side: 'wechaty' });
    const inFlight = new Set<Promise<void>>();
    if (options?.puppet || config.WECHATY_PUPPET) {
      mkdirSync(config.DATA_DIR, { recursive: true });
      // Loaded here: Wechaty loads only a memory card it made itself.
      const memory = new MemoryCard({ name: memoryCardName(config) });
      await memory.load();
      bot = options?.puppet
        ? WechatyBuilder.build({ memory, puppet: options.puppet })
        : WechatyBuilder.build({
            memory,
            puppet: config.WECHATY_PUPPET as OfficialPuppetNpmName,
            ...(config.WECHATY_PUPPET_SERVICE_TOKEN ? { puppetOptions: { token: config.WECHATY_PUPPET_SERVICE_TOKEN } } : {}),
          });
      watchWechatyAccount({ bot, memory, clock, logger: wechatyLog, qrOutput: options?.qrOutput ?? process.stderr });
      const messages = createWechatyMessages({
        directory: deps.directory,
        sites: deps.sites,
        staffCommand: deps.staffCommand,
        conversation,
        menus,
        coordination,
        attachments,
        locale: config.LOCALE,
        logger: wechatyLog,
      });
      bot.on('message', (m: Message) => {
        // The ids the directory needs (staffRooms, staff identities) are read from here (README, WeChat).
        wechatyLog.debug({ from: m.talker().id, room: m.room()?.id, self: m.self() }, 'WeChat message');
        const work = messages.onMessage(m).then(
          () => options?.observer?.handled?.(),
          (err: unknown) => {
            wechatyLog.error({ err, type: m.type() }, 'a WeChat message could not be handled');
            options?.observer?.handled?.(err);
          },
        );
        inFlight.add(work);
        void work.finally(() => inFlight.delete(work));
      });
    } else if (deps.sites.some((s) => s.staffRooms.some((r) => r.channel === 'wechat')))
      logger.warn('the directory names WeChat staff rooms but WECHATY_PUPPET is not set: notices for them wait until a Wechaty account runs');

    const wechaty = bot ? createWechatySender(bot, menus) : undefined;
    const unavailable = (reason: string) => ({ ok: false as const, kind: 'permanent' as const, reason });
    const sender: Sender = {
      channel: 'wechat',
      send(to, message, meta) {
        if (isOaAddress(to.id)) return oa ? oa.sender.send(to, message, meta) : Promise.resolve(unavailable(wechatZh.noOfficialAccount));
        return wechaty ? wechaty.send(to, message, meta) : Promise.resolve(unavailable(wechatZh.noWechaty));
      },
    };

    return {
      sender,
      async start() {
        if (oa) {
          const hook = await oa.start();
          options?.observer?.webhook?.(hook);
        }
        // Start, not login: a puppet that needs a QR code logs in whenever someone scans it.
        if (bot) await bot.start();
      },
      async stop() {
        await oa?.stop();
        // Messages in hand finish first: their replies go out through the running puppet.
        while (inFlight.size) await Promise.allSettled([...inFlight]);
        await bot?.stop();
      },
    };
  },
});
