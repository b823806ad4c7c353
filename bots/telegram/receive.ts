// How updates reach the bot. Long polling (the default): Telegram serves one getUpdates at a
// time per bot, so of several bot processes behind one Redis one polls — whoever holds the
// poller lease — and the others stand by to take over within a lease if it dies; all of them
// deliver the dispatcher's messages. Webhook mode: every process listens and Telegram (or a
// load balancer in front) may hand any of them an update, retried to another after a failure;
// a request without the configured secret token is refused with 401 before grammy sees it.
import { timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type RunnerHandle, run } from '@grammyjs/runner';
import { type Bot, webhookCallback } from 'grammy';
import { type Coordination, LockTimeoutError } from '../../services/coordination/index.js';
import type { Logger } from '../../services/logger.js';

/** The update kinds the desk handles; anything else Telegram need not send. */
export const ALLOWED_UPDATES = ['message', 'edited_message', 'callback_query', 'my_chat_member'] as const;

export interface Receiver {
  stop(): Promise<void>;
  /** Webhook mode: where the server listens (for tests that start it on port 0). */
  address?: AddressInfo;
}

export interface PollingOptions {
  /** getUpdates long-poll timeout, seconds. Default 25 (below the client's request timeout). */
  timeoutSeconds?: number;
  /** How long the poller's lease lasts without renewal: a dead poller is replaced after this. Default 15 s. */
  leaseMs?: number;
}

export function startPolling(bot: Bot, o: { coordination: Coordination; logger: Logger } & PollingOptions): Receiver {
  const leaseMs = o.leaseMs ?? 15_000;
  const key = `telegram:poller:${bot.botInfo.id}`;
  let stopped = false;
  let handle: RunnerHandle | undefined;
  let wakeStop: () => void = () => {};
  const stopRequested = new Promise<void>((r) => {
    wakeStop = r;
  });
  const loop = (async () => {
    while (!stopped) {
      try {
        await o.coordination.withLock(
          key,
          leaseMs,
          async (signal) => {
            if (stopped) return;
            // A webhook left from an earlier deployment would make every getUpdates a 409.
            await bot.api.deleteWebhook();
            o.logger.info('polling Telegram for updates');
            handle = run(bot, { runner: { fetch: { timeout: o.timeoutSeconds ?? 25, allowed_updates: [...ALLOWED_UPDATES] }, silent: true } });
            // Lost lease (Redis unreachable longer than the lease): another process may poll now.
            const lost = new Promise<void>((r) => signal.addEventListener('abort', () => r(), { once: true }));
            await Promise.race([lost, stopRequested, handle.task()]);
            if (handle.isRunning()) await handle.stop();
            handle = undefined;
          },
          // Standing by in short waits, so that stopping a standby process is quick.
          { waitMs: Math.min(leaseMs, 1_000) },
        );
      } catch (e) {
        if (!(e instanceof LockTimeoutError)) {
          o.logger.error({ err: e }, 'telegram polling stopped with an error; trying again');
          await new Promise((r) => setTimeout(r, 1000));
        }
        // LockTimeoutError: another process polls; keep standing by.
      }
    }
  })();
  return {
    async stop() {
      stopped = true;
      wakeStop();
      await loop;
    },
  };
}

export interface WebhookOptions {
  url: string;
  secret: string;
  host: string;
  port: number;
}

export async function startWebhook(bot: Bot, o: { logger: Logger } & WebhookOptions): Promise<Receiver> {
  const path = new URL(o.url).pathname || '/';
  // Answer Telegram within its patience; the update is finished in the background if it takes longer.
  const handle = webhookCallback(bot, 'http', { onTimeout: 'return', timeoutMilliseconds: 9_000 });
  const expected = Buffer.from(o.secret);
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://webhook');
    if (req.method !== 'POST' || url.pathname !== path) {
      res.writeHead(404).end();
      return;
    }
    const given = Buffer.from(String(req.headers['x-telegram-bot-api-secret-token'] ?? ''));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      o.logger.warn({ from: req.socket.remoteAddress }, 'webhook request without the secret token refused');
      req.resume();
      res.writeHead(401, { 'content-type': 'text/plain' }).end('secret token required');
      return;
    }
    handle(req, res).catch((err: unknown) => {
      o.logger.error({ err }, 'webhook update failed');
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve());
  });
  // Only now that we listen does Telegram get the address (every process sets the same one).
  await bot.api.setWebhook(o.url, { secret_token: o.secret, allowed_updates: [...ALLOWED_UPDATES] });
  o.logger.info({ host: o.host, port: (server.address() as AddressInfo).port, path }, 'telegram webhook listening');
  return {
    address: server.address() as AddressInfo,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
