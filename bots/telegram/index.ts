// Telegram as a channel plug-in: citizens in private chats (and, through the staff features,
// the staff group and liaisons), on any Bot API server (TELEGRAM_API_ROOT), by long polling or
// a webhook. Delivery goes through the sender the dispatcher drives; nothing else throttles.
import { ConfigError } from '../../services/config.js';
import { telegramEn } from '../../services/locales/en/telegram.js';
import { telegramZh } from '../../services/locales/zh/telegram.js';
import { defineChannel } from '../channel.js';
import { createTelegramBot } from './bot.js';
import { type PollingOptions, type Receiver, startPolling, startWebhook } from './receive.js';

export interface TelegramOptions extends PollingOptions {
  /** Where files people send are kept; defaults to DATA_DIR/attachments. */
  attachmentsDir?: string;
  /** How long one Bot API request may take before it fails (and is retried). Default 28 s. */
  requestTimeoutSeconds?: number;
  /** Called once receiving started (the webhook's address when listening on port 0). */
  onListening?(r: Receiver): void;
}

export const telegramChannel = defineChannel({
  name: 'telegram',
  check(config) {
    if (!config.TELEGRAM_BOT_TOKEN) throw new ConfigError('TELEGRAM_BOT_TOKEN', 'required when CHANNELS includes telegram: the token @BotFather gave for the desk\'s bot');
    if (config.TELEGRAM_WEBHOOK_URL && !config.TELEGRAM_WEBHOOK_SECRET)
      throw new ConfigError('TELEGRAM_WEBHOOK_SECRET', 'required with TELEGRAM_WEBHOOK_URL: without it anyone who finds the URL could post updates as any citizen');
  },
  async create(deps, options: TelegramOptions | undefined) {
    const { config, logger, coordination } = deps;
    const token = config.TELEGRAM_BOT_TOKEN!;
    const tg = await createTelegramBot(deps, {
      token,
      apiRoot: config.TELEGRAM_API_ROOT,
      ...(options?.attachmentsDir ? { attachmentsDir: options.attachmentsDir } : {}),
      ...(options?.requestTimeoutSeconds ? { requestTimeoutSeconds: options.requestTimeoutSeconds } : {}),
    });
    let receiver: Receiver | undefined;
    return {
      sender: tg.sender,
      async start(runtime) {
        tg.setRuntime(runtime);
        await tg.bot.init();
        // The command menu in Chinese, and in English for users whose Telegram is in English.
        const scope = { type: 'all_private_chats' as const };
        try {
          await tg.bot.api.setMyCommands(telegramZh.commands, { scope });
          await tg.bot.api.setMyCommands(telegramEn.commands, { scope, language_code: 'en' });
        } catch (err) {
          logger.warn({ err }, 'could not register the command menu; commands still work when typed');
        }
        for (const f of tg.features) await f.start?.();
        receiver = config.TELEGRAM_WEBHOOK_URL
          ? await startWebhook(tg.bot, {
              logger,
              url: config.TELEGRAM_WEBHOOK_URL,
              secret: config.TELEGRAM_WEBHOOK_SECRET!,
              host: config.TELEGRAM_WEBHOOK_HOST,
              port: config.TELEGRAM_WEBHOOK_PORT,
            })
          : startPolling(tg.bot, { coordination, logger, ...options });
        options?.onListening?.(receiver);
        logger.info({ bot: tg.me().username, mode: config.TELEGRAM_WEBHOOK_URL ? 'webhook' : 'polling' }, 'telegram channel started');
      },
      async stop() {
        await receiver?.stop();
        for (const f of [...tg.features].reverse()) await f.stop?.();
      },
    };
  },
});
