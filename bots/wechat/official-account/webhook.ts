// The Official Account's push endpoint. Written beside wechaty rather than taken from
// wechaty-puppet-official-account, whose server checks no signature on POSTs, listens on every
// interface, has no safe mode and leaves events unanswered (README, "WeChat").
//
// Every request must carry WeChat's signature; in safe mode the body must also be encrypted
// and carry a valid msg_signature. Anything else is refused before a single byte of it is
// parsed as a message, so a forged push leaves nothing behind. Each push is claimed once in the
// coordination layer (WeChat retries after 5 s, three times), and answered within `answerWithinMs`
// even while its handler is still running.
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../../services/clock.js';
import type { Coordination } from '../../../services/coordination/index.js';
import type { Logger } from '../../../services/logger.js';
import { type OaCrypto, createOaCrypto } from './crypto.js';
import { type OaPush, parsePush, parseXmlFields, pushKey } from './push.js';
import { signatureMatches, wechatSignature } from './signature.js';

export interface OaWebhookOptions {
  appId: string;
  /** The Token set in the Official Account console (服务器配置 → 令牌). */
  token: string;
  /** The EncodingAESKey; when given, only encrypted (safe-mode) pushes are accepted. */
  aesKey?: string;
  host: string;
  port: number;
  path?: string;
  coordination: Coordination;
  clock: Clock;
  logger: Logger;
  /** Handles one push, once; throwing makes WeChat's retry handle it again. */
  onPush(push: OaPush): Promise<void>;
  /** Answer WeChat by then even if the handler is still busy (WeChat gives up at 5 s). Default 4 s. */
  answerWithinMs?: number;
  /** Pushes whose timestamp is further than this from our clock are refused (replays). Default 10 min. */
  maxSkewMs?: number;
}

export interface OaWebhook {
  /** The URL to give the console (behind the operator's HTTPS proxy) or the test fake. */
  url: string;
  /** Settles when every handler that was running has finished. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

const MAX_BODY = 64 * 1024;
/** A claimed push being handled; long enough for a slow handler, short enough that a crash is retried. */
const CLAIM_MS = 60_000;
/** WeChat retries within ~15 s; a day covers any proxy replay. */
const DONE_MS = 24 * 3600_000;

class Refused extends Error {
  constructor(
    readonly status: number,
    why: string,
  ) {
    super(why);
  }
}

export async function startOaWebhook(opts: OaWebhookOptions): Promise<OaWebhook> {
  const path = opts.path ?? '/wechat';
  const answerWithin = opts.answerWithinMs ?? 4_000;
  const maxSkew = opts.maxSkewMs ?? 10 * 60_000;
  const crypto: OaCrypto | undefined = opts.aesKey ? createOaCrypto(opts.aesKey, opts.appId) : undefined;
  const log = opts.logger;
  const running = new Set<Promise<unknown>>();
  const seenKey = (p: OaPush) => `wechat-oa:push:${opts.appId}:${pushKey(p)}`;

  const checkSignature = (q: URLSearchParams) => {
    const timestamp = q.get('timestamp') ?? '';
    const nonce = q.get('nonce') ?? '';
    if (!/^\d{1,12}$/.test(timestamp) || !nonce) throw new Refused(401, 'no timestamp or nonce');
    if (!signatureMatches(wechatSignature(opts.token, timestamp, nonce), q.get('signature')))
      throw new Refused(401, 'bad signature');
    if (Math.abs(opts.clock.now().getTime() - Number(timestamp) * 1000) > maxSkew) throw new Refused(401, 'stale timestamp');
    return { timestamp, nonce };
  };

  const readPush = (q: URLSearchParams, body: string): OaPush => {
    const { timestamp, nonce } = checkSignature(q);
    if (!crypto) return parsePush(body);
    const envelope = parseXmlFields(body);
    const encrypted = envelope.Encrypt;
    if (!encrypted || q.get('encrypt_type') !== 'aes') throw new Refused(401, 'safe mode: plaintext push refused');
    if (!signatureMatches(wechatSignature(opts.token, timestamp, nonce, encrypted), q.get('msg_signature')))
      throw new Refused(401, 'bad msg_signature');
    return parsePush(crypto.decrypt(encrypted));
  };

  const handle = async (push: OaPush): Promise<void> => {
    const key = seenKey(push);
    if (!(await opts.coordination.setIfAbsent(key, 'handling', CLAIM_MS))) return; // a retry: already handled or in hand
    try {
      await opts.onPush(push);
      await opts.coordination.set(key, 'done', { ttlMs: DONE_MS });
    } catch (err) {
      await opts.coordination.del(key).catch(() => {});
      throw err;
    }
  };

  const onRequest = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://webhook');
    if (url.pathname !== path) throw new Refused(404, 'not the webhook path');
    if (req.method === 'GET') {
      checkSignature(url.searchParams);
      // The console's handshake: echo echostr back (plain in both modes for an Official Account).
      res.writeHead(200, { 'content-type': 'text/plain' }).end(url.searchParams.get('echostr') ?? '');
      return;
    }
    if (req.method !== 'POST') throw new Refused(405, 'method');
    const body = await readBody(req);
    let push: OaPush;
    try {
      push = readPush(url.searchParams, body);
    } catch (err) {
      if (err instanceof Refused) throw err;
      throw new Refused(400, err instanceof Error ? err.message : 'unreadable push');
    }
    const work = handle(push);
    running.add(work);
    void work.finally(() => running.delete(work)).catch(() => {});
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((r) => {
      timer = setTimeout(() => r('late'), answerWithin);
    });
    try {
      if ((await Promise.race([work, late])) === 'late') log.warn({ type: push.MsgType }, 'push still being handled; answered WeChat anyway');
    } catch (err) {
      log.error({ err, type: push.MsgType }, 'push handler failed; WeChat will retry');
      res.writeHead(500).end();
      return;
    } finally {
      clearTimeout(timer);
    }
    // "success" tells WeChat not to retry and not to show "该公众号暂时无法提供服务".
    res.writeHead(200, { 'content-type': 'text/plain' }).end('success');
  };

  const server: Server = createServer((req, res) => {
    onRequest(req, res).catch((err) => {
      const status = err instanceof Refused ? err.status : 500;
      if (status === 401) log.warn({ why: (err as Error).message, from: req.socket.remoteAddress }, 'push refused');
      else if (status >= 500) log.error({ err }, 'webhook error');
      if (!res.headersSent) res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  log.info({ host: opts.host, port, path, safeMode: Boolean(crypto) }, 'Official Account webhook listening');
  const idle = async () => {
    while (running.size) await Promise.allSettled([...running]);
  };
  return {
    url: `http://${host}:${port}${path}`,
    idle,
    async close() {
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeIdleConnections();
      await idle();
      server.closeAllConnections();
      await closed;
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Refused(413, 'push too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
