// A local stand-in for WeChat's side of an Official Account: the API the desk calls (tokens,
// customer-service messages under the 48-hour window and the 5-per-message quota, template
// messages, media) and the push sender that calls the desk's webhook, signed, in plaintext or
// safe mode, retried as WeChat retries. It follows WeChat's documented rules, not our code:
// signing and encryption are written out here independently of bots/wechat/official-account.
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../services/clock.js';

export interface FakeOaOptions {
  clock: Clock;
  appId?: string;
  secret?: string;
  /** The push Token and (for safe mode) EncodingAESKey the fake signs and encrypts with. */
  token?: string;
  aesKey?: string;
  templateIds?: string[];
}

export interface SentCustom {
  openid: string;
  msgtype: string;
  content?: string;
  mediaId?: string;
  at: Date;
}
export interface SentTemplate {
  openid: string;
  templateId: string;
  data: Record<string, string>;
  at: Date;
}

interface User {
  lastMessageAt: number;
  sinceLast: number;
  subscribed: boolean;
}

const HOUR = 3600_000;
const WINDOW_MS = 48 * HOUR;
const QUOTA = 5;

export class FakeOfficialAccount {
  readonly appId: string;
  readonly secret: string;
  readonly token: string;
  readonly aesKey: string | undefined;
  readonly custom: SentCustom[] = [];
  readonly templates: SentTemplate[] = [];
  /** Every errcode the API answered with, in order. */
  readonly errors: { path: string; errcode: number }[] = [];
  tokensIssued = 0;
  base = '';
  #server: Server | undefined;
  #clock: Clock;
  #tokens = new Map<string, number>();
  #users = new Map<string, User>();
  #media = new Map<string, { bytes: Buffer; mime: string; name: string }>();
  #templateIds: Set<string>;
  #msgId = 24_000_000_000_000_000n;

  constructor(o: FakeOaOptions) {
    this.#clock = o.clock;
    this.appId = o.appId ?? 'wx0123456789abcdef';
    this.secret = o.secret ?? 'fakesecret0123456789';
    this.token = o.token ?? 'fakepushtoken';
    this.aesKey = o.aesKey;
    this.#templateIds = new Set(o.templateIds ?? []);
  }

  async start(): Promise<this> {
    this.#server = createServer((req, res) => {
      this.#api(req, res).catch((err) => {
        res.writeHead(500).end(String(err));
      });
    });
    await new Promise<void>((r) => this.#server!.listen(0, '127.0.0.1', () => r()));
    this.base = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/`;
    return this;
  }

  async close(): Promise<void> {
    await new Promise<void>((r) => (this.#server ? this.#server.close(() => r()) : r()));
  }

  /** Media a citizen sent (WeChat keeps it 3 days); returns its MediaId. */
  addMedia(bytes: Buffer, mime: string, name: string): string {
    const id = `media-${this.#media.size + 1}-${randomBytes(4).toString('hex')}`;
    this.#media.set(id, { bytes, mime, name });
    return id;
  }

  nextMsgId(): string {
    this.#msgId += 1n;
    return this.#msgId.toString();
  }

  /** The fields of a text message from `openid`, as WeChat would push it now. */
  textFrom(openid: string, content: string): Record<string, string> {
    return { ...this.#head(openid, 'text'), Content: content, MsgId: this.nextMsgId() };
  }
  imageFrom(openid: string, mediaId: string): Record<string, string> {
    return { ...this.#head(openid, 'image'), PicUrl: `${this.base}pic/${mediaId}`, MediaId: mediaId, MsgId: this.nextMsgId() };
  }
  voiceFrom(openid: string, mediaId: string): Record<string, string> {
    return { ...this.#head(openid, 'voice'), MediaId: mediaId, Format: 'amr', MsgId: this.nextMsgId() };
  }
  locationFrom(openid: string, lat: number, lng: number, label: string): Record<string, string> {
    return { ...this.#head(openid, 'location'), Location_X: String(lat), Location_Y: String(lng), Scale: '15', Label: label, MsgId: this.nextMsgId() };
  }
  eventFrom(openid: string, event: string, eventKey?: string): Record<string, string> {
    return { ...this.#head(openid, 'event'), Event: event, ...(eventKey ? { EventKey: eventKey } : {}) };
  }

  /**
   * Delivers a push to the webhook as WeChat does: signed query, XML body (encrypted in safe
   * mode). `forge` signs with the wrong token, as someone who found the port but not the secret.
   */
  async push(
    webhook: string,
    fields: Record<string, string>,
    o: { forge?: boolean; plaintext?: boolean; nonce?: string; timestamp?: string } = {},
  ): Promise<{ status: number; body: string }> {
    const timestamp = o.timestamp ?? String(Math.floor(this.#clock.now().getTime() / 1000));
    const nonce = o.nonce ?? randomBytes(5).toString('hex');
    const token = o.forge ? 'not-the-token' : this.token;
    const xml = toXml(fields);
    const q = new URLSearchParams({ timestamp, nonce, signature: sha1sorted(token, timestamp, nonce), openid: fields.FromUserName ?? '' });
    let body = xml;
    if (this.aesKey && !o.plaintext) {
      const encrypted = encrypt(this.aesKey, this.appId, xml);
      q.set('encrypt_type', 'aes');
      q.set('msg_signature', sha1sorted(token, timestamp, nonce, encrypted));
      body = toXml({ ToUserName: fields.ToUserName ?? '', Encrypt: encrypted });
    }
    // Only a push WeChat really sent opens the customer-service window.
    if (!o.forge && fields.FromUserName) this.#userWrote(fields.FromUserName, fields);
    const res = await fetch(`${webhook}?${q}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body });
    return { status: res.status, body: await res.text() };
  }

  /** WeChat's retry: the same push again (same MsgId / CreateTime), e.g. after 5 s without an answer. */
  async pushWithRetries(webhook: string, fields: Record<string, string>, times = 3): Promise<{ status: number; body: string }[]> {
    const answers = [];
    for (let i = 0; i < times; i++) answers.push(await this.push(webhook, fields));
    return answers;
  }

  /** The console's server-configuration handshake. */
  async handshake(webhook: string, echostr: string, forge = false): Promise<{ status: number; body: string }> {
    const timestamp = String(Math.floor(this.#clock.now().getTime() / 1000));
    const nonce = randomBytes(5).toString('hex');
    const signature = sha1sorted(forge ? 'not-the-token' : this.token, timestamp, nonce);
    const res = await fetch(`${webhook}?${new URLSearchParams({ signature, timestamp, nonce, echostr })}`);
    return { status: res.status, body: await res.text() };
  }

  #head(openid: string, type: string) {
    return { ToUserName: 'gh_fakeaccount', FromUserName: openid, CreateTime: String(Math.floor(this.#clock.now().getTime() / 1000)), MsgType: type };
  }

  #userWrote(openid: string, fields: Record<string, string>) {
    const u = this.#users.get(openid) ?? { lastMessageAt: 0, sinceLast: 0, subscribed: true };
    if (fields.Event === 'unsubscribe') u.subscribed = false;
    else {
      u.subscribed = true;
      u.lastMessageAt = this.#clock.now().getTime();
      u.sinceLast = 0;
    }
    this.#users.set(openid, u);
  }

  async #api(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', this.base);
    const json = (status: number, body: unknown, path = url.pathname) => {
      const errcode = (body as { errcode?: number }).errcode;
      if (errcode) this.errors.push({ path, errcode });
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
    };
    const err = (errcode: number, errmsg: string) => json(200, { errcode, errmsg: `${errmsg} rid: fake-${randomBytes(3).toString('hex')}` });
    const now = this.#clock.now().getTime();

    if (url.pathname === '/cgi-bin/token') {
      if (url.searchParams.get('appid') !== this.appId) return err(40013, 'invalid appid');
      if (url.searchParams.get('secret') !== this.secret) return err(40001, 'invalid credential, access_token is invalid or not latest');
      const token = `tok-${++this.tokensIssued}-${randomBytes(6).toString('hex')}`;
      // A new token ends the old one (WeChat leaves it 5 minutes of grace).
      for (const [t, exp] of this.#tokens) this.#tokens.set(t, Math.min(exp, now + 5 * 60_000));
      this.#tokens.set(token, now + 7200_000);
      return json(200, { access_token: token, expires_in: 7200 });
    }
    const tokenExp = this.#tokens.get(url.searchParams.get('access_token') ?? '');
    if (tokenExp === undefined) return err(40001, 'invalid credential, access_token is invalid or not latest');
    if (tokenExp <= now) return err(42001, 'access_token expired');

    if (url.pathname === '/cgi-bin/media/get') {
      const m = this.#media.get(url.searchParams.get('media_id') ?? '');
      if (!m) return err(40007, 'invalid media_id');
      res.writeHead(200, { 'content-type': m.mime, 'content-disposition': `attachment; filename="${m.name}"` }).end(m.bytes);
      return;
    }
    if (req.method !== 'POST') return err(43002, 'require POST method');
    const body = JSON.parse(await readAll(req)) as Record<string, unknown> & { touser?: string };
    const user = this.#users.get(body.touser ?? '');

    if (url.pathname === '/cgi-bin/message/custom/send') {
      if (!user) return err(40003, 'invalid openid');
      if (!user.subscribed) return err(43004, 'require subscribe');
      if (now - user.lastMessageAt > WINDOW_MS) return err(45015, 'response out of time limit or subscription is canceled');
      if (user.sinceLast >= QUOTA) return err(45047, 'out of response count limit');
      user.sinceLast += 1;
      const msgtype = String(body.msgtype);
      const content = (body.text as { content?: string } | undefined)?.content;
      const mediaId = (body.image as { media_id?: string } | undefined)?.media_id;
      this.custom.push({ openid: body.touser!, msgtype, ...(content !== undefined ? { content } : {}), ...(mediaId ? { mediaId } : {}), at: new Date(now) });
      return json(200, { errcode: 0, errmsg: 'ok' });
    }
    if (url.pathname === '/cgi-bin/message/template/send') {
      if (!user) return err(40003, 'invalid openid');
      if (!user.subscribed) return err(43004, 'require subscribe');
      const templateId = String(body.template_id ?? '');
      if (!this.#templateIds.has(templateId)) return err(40037, 'invalid template_id');
      const data = Object.fromEntries(Object.entries((body.data ?? {}) as Record<string, { value: string }>).map(([k, v]) => [k, v.value]));
      this.templates.push({ openid: body.touser!, templateId, data, at: new Date(now) });
      return json(200, { errcode: 0, errmsg: 'ok', msgid: Number(this.nextMsgId().slice(-9)) });
    }
    return err(40066, 'invalid url');
  }
}

function readAll(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const sha1sorted = (...parts: string[]) => createHash('sha1').update(parts.sort().join('')).digest('hex');

function toXml(fields: Record<string, string>): string {
  const inner = Object.entries(fields)
    .map(([k, v]) => (k === 'CreateTime' ? `<${k}>${v}</${k}>` : `<${k}><![CDATA[${v}]]></${k}>`))
    .join('');
  return `<xml>${inner}</xml>`;
}

/** WeChat's safe-mode encryption, from its documentation (random16 | len32be | msg | appid, PKCS#7 to 32). */
function encrypt(aesKey: string, appId: string, xml: string): string {
  const key = Buffer.from(aesKey + '=', 'base64');
  const msg = Buffer.from(xml);
  const head = Buffer.alloc(20);
  randomBytes(16).copy(head);
  head.writeUInt32BE(msg.length, 16);
  const plain = Buffer.concat([head, msg, Buffer.from(appId)]);
  const n = 32 - (plain.length % 32);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([cipher.update(Buffer.concat([plain, Buffer.alloc(n, n)])), cipher.final()]).toString('base64');
}

export async function startFakeOfficialAccount(o: FakeOaOptions): Promise<FakeOfficialAccount> {
  return new FakeOfficialAccount(o).start();
}
