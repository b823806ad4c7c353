// What the operator sees of the Wechaty account: the login QR code in the terminal for puppets
// that log in by scanning, and login, logout and logging in again in the log. The account the
// desk last logged in as is kept in the memory card (under DATA_DIR, beside the puppet's own
// session), so after a restart the log says whether the same account came back: the directory's
// room and contact ids were read from that account, and another one would not find them.
import type { MemoryCard } from 'memory-card';
import QRCode from 'qrcode';
import { types } from 'wechaty';
import type { WechatyInterface } from 'wechaty/impls';
import type { Clock } from '../../../services/clock.js';
import type { Logger } from '../../../services/logger.js';

/** The memory-card key of the account last logged in. */
export const LAST_ACCOUNT_KEY = 'desk:last-account';

/** The same Wechaty error is logged at most once in this long. */
export const ERROR_REPEAT_MS = 60_000;

export interface LastAccount {
  id: string;
  name: string;
  at: string;
}

export interface WechatyOperationOptions {
  bot: WechatyInterface;
  /** The bot's memory card (already loaded). */
  memory: MemoryCard;
  clock: Clock;
  logger: Logger;
  /** Where the login QR code is drawn (the operator's terminal). */
  qrOutput: NodeJS.WritableStream;
}

export function watchWechatyAccount(o: WechatyOperationOptions): void {
  const { bot, memory, logger: log } = o;
  let loggedOutAt: number | undefined;

  bot.on('scan', (qrcode: string, status: types.ScanStatus) => {
    if ((status === types.ScanStatus.Waiting || status === types.ScanStatus.Timeout) && qrcode) {
      // Drawn here rather than sent to a QR web service: whoever holds this code holds the account.
      void QRCode.toString(qrcode, { type: 'terminal', small: true })
        .then((art) => {
          o.qrOutput.write(`\n用微信扫描下方二维码登录办不成事工作号 / scan with WeChat to log in:\n${art}\n${qrcode}\n`);
          log.info({ status: types.ScanStatus[status] }, 'login QR code printed in the terminal; scan it with the WeChat app');
        })
        .catch((err: unknown) => log.error({ err }, 'could not draw the login QR code'));
      return;
    }
    log.info({ status: types.ScanStatus[status] }, 'login QR code scanned');
  });

  bot.on('login', (user) => {
    void (async () => {
      const now = o.clock.now();
      const account = { id: user.id, name: user.name() };
      const last = (await memory.get(LAST_ACCOUNT_KEY)) as LastAccount | undefined;
      // Recorded before the login is logged, so a restart right after the line finds it.
      await memory.set(LAST_ACCOUNT_KEY, { ...account, at: now.toISOString() } satisfies LastAccount);
      await memory.save();
      if (last && last.id !== account.id)
        log.warn(
          { last, now: account },
          'a different WeChat account logged in than last time: staff rooms and contacts in the directory were set up for the last one',
        );
      if (loggedOutAt !== undefined) {
        log.info({ ...account, awayMs: now.getTime() - loggedOutAt }, 'WeChat account logged in again; waiting messages go out now');
        loggedOutAt = undefined;
      } else log.info({ ...account, ...(last ? { lastLoginAt: last.at } : {}) }, 'WeChat account logged in');
    })().catch((err: unknown) => log.error({ err }, 'could not record the login in the memory card'));
  });

  bot.on('logout', (user, reason?: string) => {
    loggedOutAt = o.clock.now().getTime();
    log.warn({ id: user.id, name: user.name(), reason }, 'WeChat account logged out; messages to rooms and contacts wait until it logs in again');
  });

  // A puppet that cannot reach its server retries many times a second, each retry an error:
  // one line per distinct error a minute, with how many were left out, keeps the log readable.
  const lastLogged = new Map<string, { at: number; left: number }>();
  bot.on('error', (err) => {
    const key = err.message;
    const now = o.clock.now().getTime();
    const seen = lastLogged.get(key);
    if (seen && now - seen.at < ERROR_REPEAT_MS) {
      seen.left += 1;
      return;
    }
    lastLogged.set(key, { at: now, left: 0 });
    log.error({ err, ...(seen?.left ? { repeatedSinceLast: seen.left } : {}) }, 'Wechaty error');
  });
}
