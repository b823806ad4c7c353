// One access token per Official Account, shared by every process through the coordination
// layer. WeChat invalidates the previous token (after a short grace) each time a new one is
// fetched, so processes fetching their own would keep knocking each other's out: one refresher
// at a time holds a lock, the others wait and read what it stored.
import type { Clock } from '../../../services/clock.js';
import type { Coordination } from '../../../services/coordination/index.js';
import { OaApiError } from './errors.js';

export interface AccessTokens {
  /** A token valid for at least a few more minutes. */
  get(): Promise<string>;
  /** Drops `token` if it is still the shared one (WeChat said it is invalid), so the next get() refreshes. */
  invalidate(token: string): Promise<void>;
}

export interface AccessTokenOptions {
  base: string;
  appId: string;
  secret: string;
  coordination: Coordination;
  clock: Clock;
  fetch?: typeof fetch;
}

/** Refresh this long before WeChat's expiry so no call goes out with a token about to die. */
const MARGIN_MS = 5 * 60_000;

interface Stored {
  token: string;
  expiresAt: number;
}

export function createAccessTokens(o: AccessTokenOptions): AccessTokens {
  const key = `wechat-oa:token:${o.appId}`;
  const doFetch = o.fetch ?? fetch;
  const read = async (): Promise<Stored | null> => {
    const raw = await o.coordination.get(key);
    if (!raw) return null;
    const s = JSON.parse(raw) as Stored;
    return s.expiresAt - MARGIN_MS > o.clock.now().getTime() ? s : null;
  };
  const refresh = async (): Promise<string> => {
    const url = new URL('cgi-bin/token', o.base);
    url.search = new URLSearchParams({ grant_type: 'client_credential', appid: o.appId, secret: o.secret }).toString();
    let body: { access_token?: string; expires_in?: number; errcode?: number; errmsg?: string };
    try {
      body = (await (await doFetch(url)).json()) as typeof body;
    } catch (err) {
      throw new OaApiError('token', 0, err instanceof Error ? err.message : String(err), 'network');
    }
    if (!body.access_token) throw new OaApiError('token', body.errcode ?? 0, body.errmsg ?? 'no access_token');
    const lifeMs = (body.expires_in ?? 7200) * 1000;
    const stored: Stored = { token: body.access_token, expiresAt: o.clock.now().getTime() + lifeMs };
    await o.coordination.set(key, JSON.stringify(stored), { ttlMs: lifeMs });
    return stored.token;
  };
  return {
    async get() {
      const s = await read();
      if (s) return s.token;
      return o.coordination.withLock(`wechat-oa:token-refresh:${o.appId}`, 15_000, async () => (await read())?.token ?? refresh(), {
        waitMs: 15_000,
      });
    },
    async invalidate(token) {
      const raw = await o.coordination.get(key);
      if (raw && (JSON.parse(raw) as Stored).token === token) await o.coordination.del(key);
    },
  };
}
