// The grammy Bot of the desk: pointed at the configured Bot API server, one update per chat at a
// time in this process, each update claimed in the coordination layer so that several bot
// processes (a webhook retried to another instance, a poller taking over) handle it once, and
// the features' Composers behind one error boundary that logs, frees the claim for a retry and
// tells the person to send again.
import { sequentialize } from '@grammyjs/runner';
import { Bot, type BotError, type Context } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import { createFileAttachmentStore } from '../../services/attachments.js';
import { engineText } from '../../services/conversation/index.js';
import type { Sender } from '../../services/delivery/index.js';
import type { ChannelDeps, ChannelRuntime } from '../channel.js';
import { localeOf } from './citizen/index.js';
import { DIALOGUE_REPLY, menuKey } from './citizen/turn.js';
import type { TelegramFeature, TelegramFeatureContext } from './feature.js';
import { TELEGRAM_FEATURES } from './features.js';
import { createFileKeeper } from './files.js';
import { callbackCodec } from './render.js';
import { createTelegramSender } from './sender.js';
import { join } from 'node:path';

/** While an update is being handled no other process takes it; after a crash it may be retried. */
const CLAIM_LEASE_MS = 60_000;
/** A handled update is remembered this long (Telegram redelivers within hours, not days). */
const HANDLED_TTL_MS = 24 * 3600 * 1000;

export interface TelegramBot {
  bot: Bot;
  sender: Sender;
  features: TelegramFeature[];
  /** Set once the desk runs. */
  setRuntime(r: ChannelRuntime): void;
  me(): UserFromGetMe;
}

export async function createTelegramBot(
  deps: ChannelDeps,
  o: { token: string; apiRoot: string; attachmentsDir?: string; requestTimeoutSeconds?: number },
): Promise<TelegramBot> {
  const { coordination, logger } = deps;
  // A request Telegram leaves hanging fails well within the dispatcher's lease (30 s) and is retried;
  // long polls ask for less than this (see receive.ts).
  const bot = new Bot(o.token, { client: { apiRoot: o.apiRoot, timeoutSeconds: o.requestTimeoutSeconds ?? 28 } });
  let runtime: ChannelRuntime | undefined;
  const codec = callbackCodec(coordination);
  const attachments = createFileAttachmentStore(o.attachmentsDir ?? join(deps.config.DATA_DIR, 'attachments'));
  const context: TelegramFeatureContext = {
    deps,
    api: bot.api,
    me: () => bot.botInfo,
    codec,
    attachments,
    keepFile: createFileKeeper({ api: bot.api, apiRoot: o.apiRoot, token: o.token, attachments, logger }),
    runtime: () => runtime,
  };
  const features: TelegramFeature[] = [];
  for (const make of TELEGRAM_FEATURES) features.push(await make(context));

  const claims = new WeakMap<Context, string>();
  const failed = new WeakSet<Context>();
  // Updates of one chat in order, different chats in parallel (the runner hands them in concurrently).
  bot.use(sequentialize((ctx: Context) => (ctx.chat?.id ?? ctx.from?.id)?.toString()));
  bot.use(async (ctx, next) => {
    const key = `telegram:update:${bot.botInfo.id}:${ctx.update.update_id}`;
    if (!(await coordination.setIfAbsent(key, 'handling', CLAIM_LEASE_MS))) {
      logger.debug({ update: ctx.update.update_id }, 'update already taken by another process');
      return;
    }
    claims.set(ctx, key);
    await next();
    // A failed update's claim was freed by the error boundary, so a redelivery can try again.
    if (!failed.has(ctx)) await coordination.set(key, 'done', { ttlMs: HANDLED_TTL_MS });
  });
  bot.errorBoundary(async (err: BotError) => {
    const ctx = err.ctx;
    logger.error({ err: err.error, update: ctx.update.update_id }, 'telegram update failed');
    failed.add(ctx);
    const key = claims.get(ctx);
    if (key) await coordination.del(key).catch(() => undefined);
    if (ctx.callbackQuery) await ctx.answerCallbackQuery().catch(() => undefined);
    if (ctx.chat?.type === 'private') await ctx.reply(engineText('busy', localeOf(ctx.from?.language_code))).catch(() => undefined);
  }, ...features.map((f) => f.composer));
  bot.catch((err) => logger.error({ err: err.error, update: err.ctx.update.update_id }, 'telegram update failed outside the features'));

  const sender = createTelegramSender({
    api: bot.api,
    codec,
    coordination,
    features: () => features,
    // A dialogue reply delivery had to retry is that chat's current menu once it arrives.
    async onPushedMenu(to, messageId, reason) {
      if (reason === DIALOGUE_REPLY) await coordination.set(menuKey(to.id), String(messageId), { ttlMs: 30 * 24 * 3600 * 1000 });
    },
  });
  return {
    bot,
    sender,
    features,
    setRuntime: (r) => {
      runtime = r;
    },
    me: () => bot.botInfo,
  };
}
