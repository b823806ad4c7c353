// A local stand-in for the Telegram Bot API's sendMessage that enforces Telegram's flood limits:
// 30 messages/s per bot, 1 message/s per private chat, 20 messages/min per group (negative ids).
// Over a limit it answers 429 with retry_after in whole seconds, as Telegram does. It records
// every accepted message so the bench can count duplicates and losses.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeBotApiLimits {
  botPerSecond: number;
  privatePerSecond: number;
  groupPerMinute: number;
}

export interface FakeBotApi {
  /** Base URL; POST {url}/bot{token}/sendMessage. */
  url: string;
  accepted: number;
  tooMany: number;
  /** Times each text was accepted. */
  texts: Map<string, number>;
  firstAt: number | null;
  lastAt: number | null;
  close(): Promise<void>;
}

export const TELEGRAM_LIMITS: FakeBotApiLimits = { botPerSecond: 30, privatePerSecond: 1, groupPerMinute: 20 };

/** Timestamps within a sliding window; `admit` says how long to wait when full. */
class Window {
  #times: number[] = [];
  constructor(
    private readonly size: number,
    private readonly ms: number,
  ) {}
  waitMs(now: number): number {
    while (this.#times.length && this.#times[0] <= now - this.ms) this.#times.shift();
    return this.#times.length < this.size ? 0 : this.#times[0] + this.ms - now;
  }
  add(now: number): void {
    this.#times.push(now);
  }
}

export async function startFakeBotApi(limits: FakeBotApiLimits = TELEGRAM_LIMITS): Promise<FakeBotApi> {
  const bots = new Map<string, Window>();
  const chats = new Map<string, Window>();
  let messageId = 0;
  const api: FakeBotApi = {
    url: '',
    accepted: 0,
    tooMany: 0,
    texts: new Map(),
    firstAt: null,
    lastAt: null,
    close: async () => undefined,
  };

  const reply = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const m = /^\/bot([^/]+)\/sendMessage$/.exec(req.url ?? '');
    if (req.method !== 'POST' || !m) return reply(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const body = JSON.parse(raw) as { chat_id: string | number; text: string };
    const chat = String(body.chat_id);
    const now = Date.now();
    const bot = bots.get(m[1]) ?? bots.set(m[1], new Window(limits.botPerSecond, 1000)).get(m[1])!;
    const group = chat.startsWith('-');
    const perChat =
      chats.get(chat) ??
      chats.set(chat, group ? new Window(limits.groupPerMinute, 60_000) : new Window(limits.privatePerSecond, 1000)).get(chat)!;
    const wait = Math.max(bot.waitMs(now), perChat.waitMs(now));
    if (wait > 0) {
      api.tooMany++;
      const s = Math.max(1, Math.ceil(wait / 1000));
      return reply(res, 429, { ok: false, error_code: 429, description: `Too Many Requests: retry after ${s}`, parameters: { retry_after: s } });
    }
    bot.add(now);
    perChat.add(now);
    api.accepted++;
    api.firstAt ??= now;
    api.lastAt = now;
    api.texts.set(body.text, (api.texts.get(body.text) ?? 0) + 1);
    reply(res, 200, { ok: true, result: { message_id: ++messageId, chat: { id: Number(chat) }, date: Math.floor(now / 1000), text: body.text } });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => reply(res, 400, { ok: false, error_code: 400, description: 'Bad Request' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  api.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  api.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return api;
}
