// A Bot API server of our own for the Telegram suites: exactly the methods the desk's bot calls,
// answering with Telegram's shapes (`ok`, `result`, `error_code`, `description`,
// `parameters.retry_after`) and Telegram's limits (4,096 characters a message, 1,024 a caption,
// 64 bytes of callback data, 20 messages a minute into one group, callback queries that expire,
// one getUpdates at a time, no getUpdates while a webhook is set). Tests drive it as people do:
// a user writes, sends a photo, presses a button; the test reads what the bot put in a chat or
// topic. Faults (429, 5xx, timeouts, a user who blocked the bot) are injected per method.
//
// The published telegram-test-api lacks files, forum topics, commands and long-poll timeouts.
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseTelegramHtml } from './html.js';
import { type FilePart, parseMultipart } from './multipart.js';

// ---- Bot API objects (the fields this fake fills) ----------------------------------------------

export interface TgUser {
  id: number;
  is_bot: boolean;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

export type ChatType = 'private' | 'group' | 'supergroup';

export interface TgChat {
  id: number;
  type: ChatType;
  title?: string;
  first_name?: string;
  username?: string;
  is_forum?: true;
}

export interface InlineButton {
  text: string;
  callback_data?: string;
  url?: string;
}

export interface TgMessage {
  message_id: number;
  date: number;
  chat: TgChat;
  from?: TgUser;
  message_thread_id?: number;
  is_topic_message?: true;
  text?: string;
  caption?: string;
  entities?: { type: string; offset: number; length: number }[];
  reply_markup?: { inline_keyboard: InlineButton[][] };
  reply_to_message?: TgMessage;
  photo?: { file_id: string; file_unique_id: string; width: number; height: number; file_size: number }[];
  document?: { file_id: string; file_unique_id: string; file_name?: string; mime_type?: string; file_size: number };
  voice?: { file_id: string; file_unique_id: string; duration: number; mime_type: string; file_size: number };
  forum_topic_created?: { name: string; icon_color: number };
  edit_date?: number;
}

/** A message the bot sent, as the chat shows it now (after edits), with what was sent to make it. */
export interface BotMessage extends TgMessage {
  /** The text as sent (HTML source when parse_mode was HTML). */
  source?: string;
  parse_mode?: string;
  /** Every text it showed, first to last (edits append). */
  history: string[];
  deleted?: boolean;
}

export interface Topic {
  message_thread_id: number;
  name: string;
  icon_color: number;
  closed: boolean;
}

export interface CallbackAnswer {
  text?: string;
  show_alert?: boolean;
  at: number;
}

export interface StoredFile {
  file_id: string;
  file_unique_id: string;
  file_path: string;
  bytes: Buffer;
  mime: string;
  name?: string;
}

export type Fault =
  | { kind: 'retry_after'; seconds: number }
  | { kind: 'server'; status?: 500 | 502 | 503 | 504 }
  /** Holds the request this long, then answers it normally (a slow Telegram). */
  | { kind: 'slow'; ms: number }
  /** Never answers; the socket is destroyed after `ms` (a timeout on the bot's side). */
  | { kind: 'hang'; ms: number };

interface FaultRule {
  method: string;
  fault: Fault;
  times: number;
  chatId?: number;
  /** Matching calls to let through before the fault starts. */
  skip: number;
}

export interface ApiCall {
  method: string;
  params: Record<string, unknown>;
  status: number;
  description?: string;
  at: number;
}

interface Chat {
  chat: TgChat;
  members: Set<number>;
  botMember: boolean;
  /** In a supergroup, may the bot create and manage topics. */
  botCanManageTopics: boolean;
  nextMessageId: number;
  messages: Map<number, TgMessage | BotMessage>;
  topics: Map<number, Topic>;
  /** When the bot's last messages into this group were sent, for the 20-a-minute limit. */
  groupSends: number[];
}

class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly parameters?: Record<string, unknown>,
  ) {
    super(description);
  }
}

const badRequest = (what: string) => new ApiError(400, `Bad Request: ${what}`);

export interface BotApiFakeOptions {
  token?: string;
  username?: string;
  /** The fake's clock in ms (message dates, callback expiry, group rate window). Default Date.now. */
  now?: () => number;
  /** How long a callback query can still be answered. Telegram's is about 15 s. */
  callbackTtlMs?: number;
  /** Messages a minute the bot may send into one group (Telegram: 20). */
  groupPerMinute?: number;
  /** How long the fake waits between webhook delivery attempts. */
  webhookRetryMs?: number;
}

const TEXT_MAX = 4096;
const CAPTION_MAX = 1024;
const CALLBACK_DATA_MAX = 64;
const FILE_DOWNLOAD_MAX = 20 * 1024 * 1024;

/** Length as Telegram counts it: UTF-16 code units. */
const units = (s: string) => s.length;

export class BotApiFake {
  readonly token: string;
  readonly bot: TgUser;
  readonly calls: ApiCall[] = [];
  /** Every callback query asked, by id; `answer` once the bot answered it. */
  readonly callbacks = new Map<string, { from: number; data: string; at: number; answer?: CallbackAnswer }>();
  readonly events = new EventEmitter();
  /** Every update made, in order (to hand one to a webhook again, as Telegram's retries do). */
  readonly history: { update_id: number; [k: string]: unknown }[] = [];
  apiRoot = '';
  #server: Server | undefined;
  #now: () => number;
  #callbackTtlMs: number;
  #groupPerMinute: number;
  #webhookRetryMs: number;
  #chats = new Map<number, Chat>();
  #users = new Map<number, TgUser>();
  #blockedBy = new Set<number>();
  #updates: { update_id: number; [k: string]: unknown }[] = [];
  #nextUpdateId = 700_000_001;
  #pendingPoll: { res: ServerResponse; timer: NodeJS.Timeout; wake: () => void } | undefined;
  #webhook: { url: string; secret?: string; allowed?: string[] } | undefined;
  #webhookBusy = false;
  #files = new Map<string, StoredFile>();
  #filesByPath = new Map<string, StoredFile>();
  #commands = new Map<string, { command: string; description: string }[]>();
  #faults: FaultRule[] = [];
  #nextCallback = 1;
  #sockets = new Set<import('node:net').Socket>();

  constructor(o: BotApiFakeOptions = {}) {
    this.token = o.token ?? `${4_000_000_000 + Math.floor(Math.random() * 1e8)}:AA${randomBytes(16).toString('hex')}`;
    const id = Number(this.token.split(':')[0]);
    this.bot = { id, is_bot: true, first_name: '办不成事窗口', username: o.username ?? 'banbucheng_test_bot' };
    this.#now = o.now ?? Date.now;
    this.#callbackTtlMs = o.callbackTtlMs ?? 15_000;
    this.#groupPerMinute = o.groupPerMinute ?? 20;
    this.#webhookRetryMs = o.webhookRetryMs ?? 50;
    this.events.setMaxListeners(100);
  }

  async start(): Promise<this> {
    this.#server = createServer((req, res) => {
      this.#route(req, res).catch((err) => {
        if (!res.headersSent) this.#reply(res, 500, { ok: false, error_code: 500, description: `Internal Server Error: ${String(err)}` });
      });
    });
    this.#server.on('connection', (s) => {
      this.#sockets.add(s);
      s.on('close', () => this.#sockets.delete(s));
    });
    await new Promise<void>((r) => this.#server!.listen(0, '127.0.0.1', () => r()));
    this.apiRoot = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    if (this.#pendingPoll) {
      clearTimeout(this.#pendingPoll.timer);
      this.#pendingPoll.res.destroy();
    }
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((r) => (this.#server ? this.#server.close(() => r()) : r()));
  }

  // ---- the world -------------------------------------------------------------------------------

  /** A Telegram user (a citizen, a staff member); their private chat with the bot exists once they write. */
  user(u: { id: number; first_name?: string; last_name?: string; username?: string; language_code?: string }): FakeUser {
    const user: TgUser = { is_bot: false, first_name: u.first_name ?? `用户${u.id}`, ...u };
    this.#users.set(u.id, user);
    return new FakeUser(this, user);
  }

  /** A supergroup (with topics when `forum`) or a plain group, with the bot already in it as an admin. */
  group(o: { id: number; title: string; forum?: boolean; plain?: boolean; members?: number[]; botCanManageTopics?: boolean }): TgChat {
    if (o.id >= 0) throw new Error('group ids are negative');
    const chat: TgChat = { id: o.id, type: o.plain ? 'group' : 'supergroup', title: o.title, ...(o.forum && !o.plain ? { is_forum: true as const } : {}) };
    this.#chats.set(o.id, this.#newChat(chat, o.members ?? [], o.botCanManageTopics ?? true));
    return chat;
  }

  /** Makes `user` block the bot: every send to their chat answers 403 from now on. */
  blockBot(userId: number): void {
    this.#blockedBy.add(userId);
  }

  unblockBot(userId: number): void {
    this.#blockedBy.delete(userId);
  }

  /** Injects `fault` into the next `times` calls of `method` ('*' for any), optionally only for one chat, after letting `skip` through. */
  fail(method: string, fault: Fault, opts: { times?: number; chatId?: number; skip?: number } = {}): void {
    this.#faults.push({ method, fault, times: opts.times ?? 1, skip: opts.skip ?? 0, ...(opts.chatId !== undefined ? { chatId: opts.chatId } : {}) });
  }

  clearFaults(): void {
    this.#faults = [];
  }

  /** What the bot has put in a chat (or one topic of it), oldest first, as it stands now. */
  sent(chatId: number, thread?: number): BotMessage[] {
    const c = this.#chats.get(chatId);
    if (!c) return [];
    return [...c.messages.values()].filter(
      (m): m is BotMessage => m.from?.id === this.bot.id && 'history' in m && !m.deleted && (thread === undefined || m.message_thread_id === thread),
    );
  }

  /** Every message in a chat, the users' and the bot's, oldest first. */
  messages(chatId: number): TgMessage[] {
    return [...(this.#chats.get(chatId)?.messages.values() ?? [])];
  }

  topics(chatId: number): Topic[] {
    return [...(this.#chats.get(chatId)?.topics.values() ?? [])];
  }

  chat(chatId: number): TgChat | undefined {
    return this.#chats.get(chatId)?.chat;
  }

  /** Whether the bot is (still) a member of `chatId`. */
  isMember(chatId: number): boolean {
    return this.#chats.get(chatId)?.botMember ?? false;
  }

  commands(opts: { scope?: string; language_code?: string } = {}): { command: string; description: string }[] {
    return this.#commands.get(`${opts.scope ?? 'default'}|${opts.language_code ?? ''}`) ?? [];
  }

  file(fileId: string): StoredFile | undefined {
    return this.#files.get(fileId);
  }

  webhook(): { url: string; secret?: string } | undefined {
    return this.#webhook;
  }

  /** The id of the newest update made so far (0 before any). */
  get lastUpdateId(): number {
    return this.#nextUpdateId - 1;
  }

  /** Updates not yet confirmed by the bot (getUpdates offset) or not yet accepted by its webhook. */
  pendingUpdates(): number {
    return this.#updates.length;
  }

  /** Resolves once `check` holds, re-checked after every call the bot makes; rejects after `ms` (a failing test, not a timing). */
  waitFor<T>(check: () => T | undefined | false, what: string, ms = 10_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const test = () => {
        try {
          const v = check();
          if (v) {
            done();
            resolve(v);
          }
        } catch (e) {
          done();
          reject(e);
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`bot-api-fake: still waiting for ${what} after ${ms} ms; last calls: ${this.calls.slice(-5).map((c) => `${c.method} ${c.status}`).join(', ')}`));
      }, ms);
      const done = () => {
        clearTimeout(timer);
        this.events.off('call', test);
      };
      this.events.on('call', test);
      test();
    });
  }

  /** Waits until the chat (or topic) holds at least `n` bot messages and returns them. */
  waitForSent(chatId: number, n: number, opts: { thread?: number; ms?: number } = {}): Promise<BotMessage[]> {
    return this.waitFor(() => {
      const s = this.sent(chatId, opts.thread);
      return s.length >= n ? s : undefined;
    }, `${n} bot message(s) in chat ${chatId}${opts.thread ? ` topic ${opts.thread}` : ''}`, opts.ms);
  }

  /** Waits until every update so far has been taken by the bot and its answers (if any) are in. */
  waitForUpdatesTaken(ms?: number): Promise<true> {
    return this.waitFor(() => this.#updates.length === 0, 'the bot to take every update', ms);
  }

  // ---- what users do (used by FakeUser) ---------------------------------------------------------

  /** @internal */
  userMessage(from: TgUser, chatId: number, fields: Partial<TgMessage>): TgMessage {
    const c = chatId > 0 ? this.#privateChat(from) : this.#chats.get(chatId);
    if (!c) throw new Error(`bot-api-fake: no chat ${chatId}; create it with fake.group()`);
    if (c.chat.type !== 'private') c.members.add(from.id);
    if (fields.message_thread_id !== undefined) {
      const topic = c.topics.get(fields.message_thread_id);
      if (!topic) throw new Error(`bot-api-fake: no topic ${fields.message_thread_id} in chat ${chatId}`);
      fields.is_topic_message = true;
    }
    const msg: TgMessage = { message_id: c.nextMessageId++, date: this.#seconds(), chat: c.chat, from, ...fields };
    c.messages.set(msg.message_id, msg);
    this.#push({ message: msg });
    return msg;
  }

  /** @internal A user edits a message they sent (Telegram sends edited_message). */
  userEdit(from: TgUser, message: TgMessage, text: string): void {
    const c = this.#chats.get(message.chat.id);
    const m = c?.messages.get(message.message_id);
    if (!m || m.from?.id !== from.id) throw new Error('bot-api-fake: a user can only edit their own messages');
    m.text = text;
    m.edit_date = this.#seconds();
    this.#push({ edited_message: { ...m } });
  }

  /** @internal */
  userFile(bytes: Buffer, mime: string, name: string | undefined, dir: string): StoredFile {
    return this.#storeFile(bytes, mime, name, dir);
  }

  /** @internal */
  press(from: TgUser, message: TgMessage, data: string): string {
    const id = `${this.bot.id}${String(this.#nextCallback++).padStart(8, '0')}`;
    this.callbacks.set(id, { from: from.id, data, at: this.#now() });
    const c = this.#chats.get(message.chat.id);
    const current = c?.messages.get(message.message_id) ?? message;
    this.#push({ callback_query: { id, from, message: stripHistory(current), chat_instance: String(message.chat.id), data } });
    return id;
  }

  /** The bot added to a group by a user (my_chat_member), as when someone adds it to a chat it was not configured for. */
  addBotTo(chat: { id: number; title: string; plain?: boolean }, by: TgUser): TgChat {
    const tg: TgChat = { id: chat.id, type: chat.plain ? 'group' : 'supergroup', title: chat.title };
    this.#chats.set(chat.id, this.#newChat(tg, [by.id], false));
    this.#push({
      my_chat_member: {
        chat: tg,
        from: by,
        date: this.#seconds(),
        old_chat_member: { user: this.bot, status: 'left' },
        new_chat_member: { user: this.bot, status: 'member' },
      },
    });
    return tg;
  }

  // ---- HTTP --------------------------------------------------------------------------------------

  async #route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (file && req.method === 'GET') {
      const f = file[1] === this.token ? this.#filesByPath.get(decodeURIComponent(file[2])) : undefined;
      if (!f) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error_code: 404, description: 'Not Found' }));
        return;
      }
      res.writeHead(200, { 'content-type': f.mime, 'content-length': f.bytes.length }).end(f.bytes);
      return;
    }
    const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!m) return this.#reply(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    const [, token, method] = m;
    const params = await this.#params(req, url);
    const record = (status: number, description?: string) => {
      this.calls.push({ method, params: scrubFiles(params), status, at: this.#now(), ...(description ? { description } : {}) });
      this.events.emit('call', method);
    };
    if (token !== this.token) {
      record(401, 'Unauthorized');
      return this.#reply(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
    }
    const fault = this.#takeFault(method, params);
    if (fault) {
      if (fault.kind === 'hang') {
        record(0, 'hung');
        setTimeout(() => req.socket.destroy(), fault.ms);
        return;
      }
      if (fault.kind === 'slow') await new Promise((r) => setTimeout(r, fault.ms));
      if (fault.kind === 'retry_after') {
        record(429);
        return this.#reply(res, 429, { ok: false, error_code: 429, description: `Too Many Requests: retry after ${fault.seconds}`, parameters: { retry_after: fault.seconds } });
      }
      if (fault.kind === 'server') {
        const status = fault.status ?? 500;
        record(status);
        // Telegram's front end answers a 502 with nginx's HTML page, not JSON.
        if (status === 502) {
          res.writeHead(502, { 'content-type': 'text/html' }).end('<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx/1.18.0</center></body></html>');
          return;
        }
        return this.#reply(res, status, { ok: false, error_code: status, description: 'Internal Server Error' });
      }
    }
    if (method === 'getUpdates') return this.#getUpdates(params, res, record);
    try {
      const result = await this.#call(method, params);
      record(200);
      this.#reply(res, 200, { ok: true, result });
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      record(e.code, e.description);
      this.#reply(res, e.code, { ok: false, error_code: e.code, description: e.description, ...(e.parameters ? { parameters: e.parameters } : {}) });
    }
  }

  #reply(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }

  async #params(req: IncomingMessage, url: URL): Promise<Record<string, unknown>> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const type = req.headers['content-type'] ?? '';
    const params: Record<string, unknown> = Object.fromEntries(url.searchParams);
    if (type.startsWith('application/json') && body.length) Object.assign(params, JSON.parse(body.toString('utf8')));
    else if (type.startsWith('multipart/form-data')) {
      const mp = parseMultipart(body, type);
      for (const [k, v] of Object.entries(mp.fields)) params[k] = decodeField(v);
      // A file part is reachable under its own name and under attach://<name>.
      for (const [k, f] of Object.entries(mp.files)) params[`\u0000file:${k}`] = f;
    } else if (type.startsWith('application/x-www-form-urlencoded')) {
      for (const [k, v] of new URLSearchParams(body.toString('utf8'))) params[k] = decodeField(v);
    }
    return params;
  }

  #takeFault(method: string, params: Record<string, unknown>): Fault | undefined {
    const i = this.#faults.findIndex((f) => (f.method === '*' || f.method === method) && (f.chatId === undefined || Number(params.chat_id) === f.chatId));
    if (i < 0) return undefined;
    const rule = this.#faults[i];
    if (rule.skip > 0) {
      rule.skip -= 1;
      return undefined;
    }
    rule.times -= 1;
    if (rule.times <= 0) this.#faults.splice(i, 1);
    return rule.fault;
  }

  // ---- updates -----------------------------------------------------------------------------------

  #push(body: Record<string, unknown>): void {
    const update = { update_id: this.#nextUpdateId++, ...body };
    this.#updates.push(update);
    this.history.push(update);
    this.#pendingPoll?.wake();
    if (this.#webhook) void this.#deliverWebhook();
  }

  #getUpdates(params: Record<string, unknown>, res: ServerResponse, record: (s: number, d?: string) => void): void {
    if (this.#webhook) {
      const d = "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first";
      record(409, d);
      this.#reply(res, 409, { ok: false, error_code: 409, description: d });
      return;
    }
    // Telegram allows one getUpdates at a time: a new one ends the one still waiting with 409.
    if (this.#pendingPoll) {
      const old = this.#pendingPoll;
      this.#pendingPoll = undefined;
      clearTimeout(old.timer);
      const d = 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running';
      this.calls.push({ method: 'getUpdates', params: {}, status: 409, description: d, at: this.#now() });
      this.#reply(old.res, 409, { ok: false, error_code: 409, description: d });
    }
    const offset = params.offset === undefined ? undefined : Number(params.offset);
    const limit = Math.min(100, Math.max(1, Number(params.limit ?? 100)));
    const timeout = Math.max(0, Number(params.timeout ?? 0));
    const allowed = params.allowed_updates as string[] | undefined;
    // Confirming: every update below the offset is forgotten for good.
    if (offset !== undefined) this.#updates = this.#updates.filter((u) => u.update_id >= offset);
    const pick = () =>
      this.#updates.filter((u) => !allowed?.length || allowed.some((k) => k in u)).slice(0, limit);
    const answer = () => {
      if (this.#pendingPoll?.res === res) this.#pendingPoll = undefined;
      const result = pick();
      record(200);
      this.#reply(res, 200, { ok: true, result });
    };
    if (pick().length || timeout === 0) {
      answer();
      return;
    }
    const timer = setTimeout(answer, timeout * 1000);
    const wake = () => {
      clearTimeout(timer);
      answer();
    };
    this.#pendingPoll = { res, timer, wake };
    res.on('close', () => {
      if (this.#pendingPoll?.res === res) {
        clearTimeout(timer);
        this.#pendingPoll = undefined;
      }
    });
  }

  /** Posts pending updates to the webhook one at a time, as Telegram does, retrying until accepted. */
  async #deliverWebhook(): Promise<void> {
    if (this.#webhookBusy) return;
    this.#webhookBusy = true;
    try {
      while (this.#webhook && this.#updates.length) {
        const hook = this.#webhook;
        const update = this.#updates[0];
        let ok = false;
        try {
          const r = await fetch(hook.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...(hook.secret ? { 'x-telegram-bot-api-secret-token': hook.secret } : {}) },
            body: JSON.stringify(update),
            signal: AbortSignal.timeout(10_000),
          });
          await r.arrayBuffer();
          ok = r.ok;
          this.events.emit('webhook', { update_id: update.update_id, status: r.status });
        } catch {
          this.events.emit('webhook', { update_id: update.update_id, status: 0 });
        }
        if (ok) this.#updates.shift();
        else await new Promise((r) => setTimeout(r, this.#webhookRetryMs));
        this.events.emit('call', 'webhook');
      }
    } finally {
      this.#webhookBusy = false;
    }
  }

  /** Posts one update to any URL, as Telegram would (for tests of the webhook's own checks). */
  async postUpdate(url: string, update: Record<string, unknown>, secret?: string): Promise<number> {
    const r = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(secret !== undefined ? { 'x-telegram-bot-api-secret-token': secret } : {}) },
      body: JSON.stringify(update),
    });
    await r.arrayBuffer();
    return r.status;
  }

  // ---- methods -----------------------------------------------------------------------------------

  async #call(method: string, p: Record<string, unknown>): Promise<unknown> {
    switch (method) {
      case 'getMe':
        return { ...this.bot, can_join_groups: true, can_read_all_group_messages: true, supports_inline_queries: false };
      case 'sendMessage':
        return this.#sendMessage(p);
      case 'editMessageText':
        return this.#editText(p);
      case 'editMessageReplyMarkup':
        return this.#editMarkup(p);
      case 'deleteMessage': {
        const c = this.#chatFor(p.chat_id);
        const msg = c.messages.get(Number(p.message_id)) as BotMessage | undefined;
        if (!msg || msg.deleted) throw badRequest('message to delete not found');
        msg.deleted = true;
        return true;
      }
      case 'answerCallbackQuery':
        return this.#answerCallback(p);
      case 'sendDocument':
        return this.#sendFile(p, 'document');
      case 'sendPhoto':
        return this.#sendFile(p, 'photo');
      case 'getFile': {
        const f = this.#files.get(String(p.file_id ?? ''));
        if (!f) throw badRequest('invalid file_id');
        if (f.bytes.length > FILE_DOWNLOAD_MAX) throw badRequest('file is too big');
        return { file_id: f.file_id, file_unique_id: f.file_unique_id, file_size: f.bytes.length, file_path: f.file_path };
      }
      case 'setMyCommands': {
        const cmds = p.commands;
        if (!Array.isArray(cmds) || cmds.length > 100) throw badRequest('commands must be an array of at most 100 commands');
        for (const c of cmds as { command?: unknown; description?: unknown }[]) {
          if (typeof c.command !== 'string' || !/^[a-z0-9_]{1,32}$/.test(c.command)) throw badRequest('BOT_COMMAND_INVALID');
          if (typeof c.description !== 'string' || c.description.length < 1 || c.description.length > 256) throw badRequest('BOT_COMMAND_DESCRIPTION_INVALID');
        }
        const lang = String(p.language_code ?? '');
        if (lang && !/^[a-z]{2}$/.test(lang)) throw badRequest('LANG_CODE_INVALID');
        this.#commands.set(`${scopeKey(p.scope)}|${lang}`, cmds as { command: string; description: string }[]);
        return true;
      }
      case 'getMyCommands':
        return this.#commands.get(`${scopeKey(p.scope)}|${String(p.language_code ?? '')}`) ?? [];
      case 'deleteMyCommands':
        this.#commands.delete(`${scopeKey(p.scope)}|${String(p.language_code ?? '')}`);
        return true;
      case 'createForumTopic':
        return this.#createTopic(p);
      case 'editForumTopic': {
        const { topic } = this.#topicFor(p);
        const name = p.name === undefined ? topic.name : String(p.name);
        if (name.length < 1 || name.length > 128) throw badRequest('TOPIC_NAME_INVALID');
        if (name === topic.name) throw badRequest('TOPIC_NOT_MODIFIED');
        topic.name = name;
        return true;
      }
      case 'closeForumTopic': {
        const { topic } = this.#topicFor(p);
        if (topic.closed) throw badRequest('TOPIC_NOT_MODIFIED');
        topic.closed = true;
        return true;
      }
      case 'reopenForumTopic': {
        const { topic } = this.#topicFor(p);
        if (!topic.closed) throw badRequest('TOPIC_NOT_MODIFIED');
        topic.closed = false;
        return true;
      }
      case 'leaveChat': {
        const c = this.#chatFor(p.chat_id);
        if (c.chat.type === 'private') throw badRequest('chat member status can\'t be changed in private chats');
        c.botMember = false;
        return true;
      }
      case 'getChat': {
        const c = this.#chatFor(p.chat_id);
        return { ...c.chat, ...(c.chat.type !== 'private' ? { permissions: {} } : {}), accent_color_id: 0, max_reaction_count: 11 };
      }
      case 'setWebhook': {
        const url = String(p.url ?? '');
        if (url === '') {
          this.#webhook = undefined;
          return true;
        }
        if (!/^https?:\/\//.test(url)) throw badRequest('bad webhook: An HTTPS URL must be provided for webhook');
        const secret = p.secret_token === undefined ? undefined : String(p.secret_token);
        if (secret !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secret)) throw badRequest('secret token contains unallowed characters');
        if (p.drop_pending_updates) this.#updates = [];
        this.#webhook = { url, ...(secret ? { secret } : {}), ...(Array.isArray(p.allowed_updates) ? { allowed: p.allowed_updates as string[] } : {}) };
        void this.#deliverWebhook();
        return true;
      }
      case 'deleteWebhook':
        this.#webhook = undefined;
        if (p.drop_pending_updates) this.#updates = [];
        return true;
      case 'getWebhookInfo':
        return { url: this.#webhook?.url ?? '', has_custom_certificate: false, pending_update_count: this.#updates.length };
      default:
        throw new ApiError(404, 'Not Found');
    }
  }

  #chatFor(chatId: unknown): Chat {
    const id = Number(chatId);
    const c = Number.isFinite(id) ? this.#chats.get(id) : undefined;
    if (!c) throw badRequest('chat not found');
    return c;
  }

  /** The checks every send into a chat goes through, in Telegram's order. */
  #canSend(c: Chat, p: Record<string, unknown>): number | undefined {
    if (c.chat.type === 'private' && this.#blockedBy.has(c.chat.id)) throw new ApiError(403, 'Forbidden: bot was blocked by the user');
    if (c.chat.type !== 'private' && !c.botMember)
      throw new ApiError(403, `Forbidden: bot is not a member of the ${c.chat.type === 'supergroup' ? 'supergroup' : 'group'} chat`);
    let thread: number | undefined;
    if (p.message_thread_id !== undefined && c.chat.is_forum) {
      thread = Number(p.message_thread_id);
      const topic = c.topics.get(thread);
      if (!topic) throw badRequest('message thread not found');
      if (topic.closed) throw badRequest('TOPIC_CLOSED');
    }
    if (c.chat.type !== 'private') {
      const now = this.#now();
      c.groupSends = c.groupSends.filter((t) => now - t < 60_000);
      if (c.groupSends.length >= this.#groupPerMinute) {
        const retry = Math.max(1, Math.ceil((c.groupSends[0] + 60_000 - now) / 1000));
        throw new ApiError(429, `Too Many Requests: retry after ${retry}`, { retry_after: retry });
      }
    }
    return thread;
  }

  #countGroupSend(c: Chat): void {
    if (c.chat.type !== 'private') c.groupSends.push(this.#now());
  }

  #replyTo(c: Chat, p: Record<string, unknown>): TgMessage | undefined {
    const rp = p.reply_parameters as { message_id?: number } | undefined;
    const id = rp?.message_id ?? (p.reply_to_message_id === undefined ? undefined : Number(p.reply_to_message_id));
    if (id === undefined) return undefined;
    const m = c.messages.get(Number(id));
    if (!m) throw badRequest('message to be replied not found');
    return stripHistory(m);
  }

  #text(raw: unknown, parseMode: unknown, max: number, what: 'text' | 'caption'): string {
    if (typeof raw !== 'string' || raw.trim() === '') {
      if (what === 'caption') return '';
      throw badRequest('message text is empty');
    }
    let shown = raw;
    if (parseMode === 'HTML') {
      const parsed = parseTelegramHtml(raw);
      if (!parsed.ok) throw new ApiError(400, parsed.description);
      shown = parsed.text;
    } else if (parseMode !== undefined) {
      throw badRequest(`unsupported parse_mode ${String(parseMode)} in this fake`);
    }
    if (what === 'text' && shown.trim() === '') throw badRequest('message text is empty');
    if (units(shown) > max) throw badRequest(what === 'text' ? 'message is too long' : 'message caption is too long');
    return shown;
  }

  #markup(raw: unknown): { inline_keyboard: InlineButton[][] } | undefined {
    if (raw === undefined) return undefined;
    const kb = (raw as { inline_keyboard?: unknown }).inline_keyboard;
    if (!Array.isArray(kb)) throw badRequest('REPLY_MARKUP_INVALID');
    for (const row of kb) {
      if (!Array.isArray(row)) throw badRequest('REPLY_MARKUP_INVALID');
      for (const b of row as InlineButton[]) {
        if (typeof b.text !== 'string' || b.text === '') throw badRequest('BUTTON_TEXT_INVALID');
        if (b.callback_data !== undefined && (typeof b.callback_data !== 'string' || Buffer.byteLength(b.callback_data) < 1 || Buffer.byteLength(b.callback_data) > CALLBACK_DATA_MAX))
          throw badRequest('BUTTON_DATA_INVALID');
        if (b.url !== undefined && !/^(https?|tg):\/\//.test(b.url)) throw badRequest('BUTTON_URL_INVALID');
        if (b.callback_data === undefined && b.url === undefined) throw badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
      }
    }
    return { inline_keyboard: kb as InlineButton[][] };
  }

  #store(c: Chat, thread: number | undefined, fields: Partial<BotMessage>): BotMessage {
    const msg: BotMessage = {
      message_id: c.nextMessageId++,
      date: this.#seconds(),
      chat: c.chat,
      from: this.bot,
      ...(thread !== undefined ? { message_thread_id: thread, is_topic_message: true as const } : {}),
      history: [],
      ...fields,
    };
    msg.history = [msg.text ?? msg.caption ?? ''];
    c.messages.set(msg.message_id, msg);
    this.#countGroupSend(c);
    this.events.emit('sent', msg);
    return msg;
  }

  #sendMessage(p: Record<string, unknown>): TgMessage {
    const c = this.#chatFor(p.chat_id);
    const text = this.#text(p.text, p.parse_mode, TEXT_MAX, 'text');
    const markup = this.#markup(p.reply_markup);
    const reply = this.#replyTo(c, p);
    const thread = this.#canSend(c, p);
    const msg = this.#store(c, thread, {
      text,
      source: String(p.text),
      ...(p.parse_mode ? { parse_mode: String(p.parse_mode) } : {}),
      ...(markup ? { reply_markup: markup } : {}),
      ...(reply ? { reply_to_message: reply } : {}),
    });
    return stripHistory(msg);
  }

  #editable(p: Record<string, unknown>): { c: Chat; msg: BotMessage } {
    if (p.inline_message_id !== undefined) throw badRequest('inline messages are not part of this fake');
    const c = this.#chatFor(p.chat_id);
    const msg = c.messages.get(Number(p.message_id));
    if (!msg || (msg as BotMessage).deleted) throw badRequest('message to edit not found');
    if (msg.from?.id !== this.bot.id) throw badRequest("message can't be edited");
    if (c.chat.type === 'private' && this.#blockedBy.has(c.chat.id)) throw new ApiError(403, 'Forbidden: bot was blocked by the user');
    return { c, msg: msg as BotMessage };
  }

  #editText(p: Record<string, unknown>): TgMessage {
    const { msg } = this.#editable(p);
    if (msg.text === undefined) throw badRequest('there is no text in the message to edit');
    const text = this.#text(p.text, p.parse_mode, TEXT_MAX, 'text');
    const given = this.#markup(p.reply_markup);
    // An empty keyboard is no keyboard.
    const markup = given?.inline_keyboard.length ? given : undefined;
    if (text === msg.text && JSON.stringify(markup) === JSON.stringify(msg.reply_markup))
      throw badRequest('message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message');
    msg.text = text;
    msg.source = String(p.text);
    if (markup) msg.reply_markup = markup;
    else delete msg.reply_markup;
    msg.edit_date = this.#seconds();
    msg.history.push(text);
    this.events.emit('edited', msg);
    return stripHistory(msg);
  }

  #editMarkup(p: Record<string, unknown>): TgMessage {
    const { msg } = this.#editable(p);
    const given = this.#markup(p.reply_markup);
    const markup = given?.inline_keyboard.length ? given : undefined;
    if (JSON.stringify(markup) === JSON.stringify(msg.reply_markup))
      throw badRequest('message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message');
    if (markup) msg.reply_markup = markup;
    else delete msg.reply_markup;
    msg.edit_date = this.#seconds();
    this.events.emit('edited', msg);
    return stripHistory(msg);
  }

  #answerCallback(p: Record<string, unknown>): true {
    const q = this.callbacks.get(String(p.callback_query_id ?? ''));
    const invalid = 'query is too old and response timeout expired or query ID is invalid';
    if (!q || q.answer || this.#now() - q.at > this.#callbackTtlMs) throw badRequest(invalid);
    if (p.text !== undefined && String(p.text).length > 200) throw badRequest('MESSAGE_TOO_LONG');
    q.answer = { ...(p.text !== undefined ? { text: String(p.text) } : {}), ...(p.show_alert ? { show_alert: true } : {}), at: this.#now() };
    return true;
  }

  #sendFile(p: Record<string, unknown>, kind: 'document' | 'photo'): TgMessage {
    const c = this.#chatFor(p.chat_id);
    const caption = this.#text(p.caption, p.parse_mode, CAPTION_MAX, 'caption');
    const markup = this.#markup(p.reply_markup);
    const reply = this.#replyTo(c, p);
    const ref = p[kind];
    let file: StoredFile | undefined;
    const upload = (name: string) => p[`\u0000file:${name}`] as FilePart | undefined;
    if (typeof ref === 'string' && ref.startsWith('attach://')) {
      const part = upload(ref.slice('attach://'.length));
      if (!part) throw badRequest(`file attach://${ref.slice(9)} not found in the request`);
      file = this.#upload(part, kind);
    } else if (upload(kind)) {
      file = this.#upload(upload(kind)!, kind);
    } else if (typeof ref === 'string') {
      file = this.#files.get(ref);
      if (!file) throw badRequest('wrong file identifier/HTTP URL specified');
    } else {
      throw badRequest(`there is no ${kind} in the request`);
    }
    if (file.bytes.length === 0) throw badRequest('file must be non-empty');
    const thread = this.#canSend(c, p);
    const media =
      kind === 'photo'
        ? { photo: [{ file_id: file.file_id, file_unique_id: file.file_unique_id, width: 320, height: 240, file_size: file.bytes.length }] }
        : { document: { file_id: file.file_id, file_unique_id: file.file_unique_id, ...(file.name ? { file_name: file.name } : {}), mime_type: file.mime, file_size: file.bytes.length } };
    const msg = this.#store(c, thread, {
      ...media,
      ...(caption ? { caption } : {}),
      ...(markup ? { reply_markup: markup } : {}),
      ...(reply ? { reply_to_message: reply } : {}),
    });
    return stripHistory(msg);
  }

  #upload(part: FilePart, kind: 'document' | 'photo'): StoredFile {
    if (kind === 'photo' && part.bytes.length > 10 * 1024 * 1024) throw badRequest('PHOTO_INVALID_DIMENSIONS');
    if (part.bytes.length > 50 * 1024 * 1024) throw new ApiError(413, 'Request Entity Too Large');
    const mime = part.contentType === 'application/octet-stream' ? mimeFromName(part.filename) : part.contentType;
    return this.#storeFile(part.bytes, mime, part.filename, kind === 'photo' ? 'photos' : 'documents');
  }

  #storeFile(bytes: Buffer, mime: string, name: string | undefined, dir: string): StoredFile {
    const unique = randomBytes(8).toString('hex');
    const file_id = `BQACAgUAAx${randomBytes(24).toString('base64url')}`;
    const ext = name?.includes('.') ? name.slice(name.lastIndexOf('.') + 1) : (mime.split('/')[1] ?? 'bin');
    const f: StoredFile = { file_id, file_unique_id: `AgAD${unique}`, file_path: `${dir}/file_${this.#files.size}.${ext}`, bytes, mime, ...(name ? { name } : {}) };
    this.#files.set(file_id, f);
    this.#filesByPath.set(f.file_path, f);
    return f;
  }

  #createTopic(p: Record<string, unknown>): Topic & { closed?: never } {
    const c = this.#chatFor(p.chat_id);
    if (!c.chat.is_forum) throw badRequest('the chat is not a forum');
    if (!c.botMember) throw new ApiError(403, 'Forbidden: bot is not a member of the supergroup chat');
    if (!c.botCanManageTopics) throw badRequest('not enough rights to create a topic');
    const name = String(p.name ?? '');
    if (name.length < 1 || name.length > 128) throw badRequest('TOPIC_NAME_INVALID');
    const icon_color = p.icon_color === undefined ? 0x6fb9f0 : Number(p.icon_color);
    // A topic is identified by the id of the service message that created it.
    const service: TgMessage = { message_id: c.nextMessageId++, date: this.#seconds(), chat: c.chat, from: this.bot, forum_topic_created: { name, icon_color } };
    service.message_thread_id = service.message_id;
    c.messages.set(service.message_id, service);
    const topic: Topic = { message_thread_id: service.message_id, name, icon_color, closed: false };
    c.topics.set(topic.message_thread_id, topic);
    const { closed: _c, ...shown } = topic;
    return shown as Topic & { closed?: never };
  }

  #topicFor(p: Record<string, unknown>): { c: Chat; topic: Topic } {
    const c = this.#chatFor(p.chat_id);
    if (!c.chat.is_forum) throw badRequest('the chat is not a forum');
    const topic = c.topics.get(Number(p.message_thread_id));
    if (!topic) throw badRequest('message thread not found');
    return { c, topic };
  }

  #privateChat(user: TgUser): Chat {
    let c = this.#chats.get(user.id);
    if (!c) {
      const chat: TgChat = { id: user.id, type: 'private', first_name: user.first_name, ...(user.username ? { username: user.username } : {}) };
      c = this.#newChat(chat, [user.id], false);
      this.#chats.set(user.id, c);
    }
    return c;
  }

  #newChat(chat: TgChat, members: number[], botCanManageTopics: boolean): Chat {
    return { chat, members: new Set(members), botMember: true, botCanManageTopics, nextMessageId: 1, messages: new Map(), topics: new Map(), groupSends: [] };
  }

  #seconds(): number {
    return Math.floor(this.#now() / 1000);
  }
}

/** A person on Telegram, as a test drives them. */
export class FakeUser {
  constructor(
    readonly fake: BotApiFake,
    readonly info: TgUser,
  ) {}

  get id(): number {
    return this.info.id;
  }

  /** Writes `text` to the bot privately, or into a group (and topic). Commands get their bot_command entity. */
  send(text: string, where: { chat?: number; thread?: number; replyTo?: TgMessage } = {}): TgMessage {
    const cmd = /^\/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?/.exec(text);
    return this.fake.userMessage(this.info, where.chat ?? this.id, {
      text,
      ...(cmd ? { entities: [{ type: 'bot_command', offset: 0, length: cmd[0].length }] } : {}),
      ...(where.thread !== undefined ? { message_thread_id: where.thread } : {}),
      ...(where.replyTo ? { reply_to_message: where.replyTo } : {}),
    });
  }

  /** Edits a message this user sent. */
  edit(message: TgMessage, text: string): void {
    this.fake.userEdit(this.info, message, text);
  }

  sendPhoto(bytes: Buffer, o: { caption?: string; chat?: number; thread?: number } = {}): TgMessage {
    const f = this.fake.userFile(bytes, 'image/jpeg', undefined, 'photos');
    // Telegram sends a photo in several sizes; the largest comes last.
    const sizes = [
      { file_id: `${f.file_id}_s`, file_unique_id: `${f.file_unique_id}s`, width: 90, height: 67, file_size: Math.ceil(bytes.length / 10) },
      { file_id: f.file_id, file_unique_id: f.file_unique_id, width: 1280, height: 960, file_size: bytes.length },
    ];
    return this.fake.userMessage(this.info, o.chat ?? this.id, {
      photo: sizes,
      ...(o.caption ? { caption: o.caption } : {}),
      ...(o.thread !== undefined ? { message_thread_id: o.thread } : {}),
    });
  }

  sendDocument(bytes: Buffer, o: { name: string; mime: string; caption?: string; chat?: number; thread?: number }): TgMessage {
    const f = this.fake.userFile(bytes, o.mime, o.name, 'documents');
    return this.fake.userMessage(this.info, o.chat ?? this.id, {
      document: { file_id: f.file_id, file_unique_id: f.file_unique_id, file_name: o.name, mime_type: o.mime, file_size: bytes.length },
      ...(o.caption ? { caption: o.caption } : {}),
      ...(o.thread !== undefined ? { message_thread_id: o.thread } : {}),
    });
  }

  sendVoice(bytes: Buffer, o: { duration?: number; chat?: number } = {}): TgMessage {
    const f = this.fake.userFile(bytes, 'audio/ogg', undefined, 'voice');
    return this.fake.userMessage(this.info, o.chat ?? this.id, {
      voice: { file_id: f.file_id, file_unique_id: f.file_unique_id, duration: o.duration ?? 3, mime_type: 'audio/ogg', file_size: bytes.length },
    });
  }

  /** Presses the button whose callback data is `data` on `message`; returns the callback query id. */
  pressData(message: TgMessage, data: string): string {
    return this.fake.press(this.info, message, data);
  }

  /** Presses the button labelled `label` (exactly, or containing it) on `message`. */
  press(message: TgMessage, label: string): string {
    const buttons = message.reply_markup?.inline_keyboard.flat() ?? [];
    const b = buttons.find((x) => x.text === label) ?? buttons.find((x) => x.text.includes(label));
    if (!b?.callback_data) throw new Error(`bot-api-fake: no button "${label}" on message ${message.message_id}; buttons: ${buttons.map((x) => x.text).join(' | ')}`);
    return this.pressData(message, b.callback_data);
  }
}

function stripHistory(m: TgMessage | BotMessage): TgMessage {
  const { history: _h, source: _s, parse_mode: _p, deleted: _d, ...rest } = m as BotMessage;
  return rest;
}

/** Multipart values carry objects as JSON; plain strings stay strings. */
function decodeField(v: string): unknown {
  if (/^[[{]/.test(v) || v === 'true' || v === 'false') {
    try {
      return JSON.parse(v);
    } catch {
      return v;
    }
  }
  return v;
}

function scopeKey(scope: unknown): string {
  if (!scope || typeof scope !== 'object') return 'default';
  const s = scope as { type?: string; chat_id?: unknown; user_id?: unknown };
  return [s.type ?? 'default', s.chat_id, s.user_id].filter((x) => x !== undefined).join(':');
}

function scrubFiles(p: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(p).map(([k, v]) => (k.startsWith('\u0000file:') ? [k.slice(6), `<${(v as FilePart).bytes.length} bytes>`] : [k, v])));
}

function mimeFromName(name: string): string {
  const ext = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
  return { pdf: 'application/pdf', png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', txt: 'text/plain', ogg: 'audio/ogg' }[ext] ?? 'application/octet-stream';
}
