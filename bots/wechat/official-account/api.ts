// The few Official Account API calls the desk makes, against a configurable base
// (WECHAT_API_BASE) so tests and staging run against a local fake. Every errcode comes back as an
// OaApiError with its kind; an invalid token is refreshed and the call retried once.
import { type AccessTokens, createAccessTokens, type AccessTokenOptions } from './access-token.js';
import { OaApiError } from './errors.js';

export type CustomMessage = { msgtype: 'text'; text: { content: string } } | { msgtype: 'image'; image: { media_id: string } };

export interface Media {
  bytes: Buffer;
  mime: string;
  name?: string;
}

export interface OaApi {
  tokens: AccessTokens;
  /** A customer-service message (客服消息): only within 48 h of the citizen's last message, 5 per message. */
  sendCustom(openid: string, message: CustomMessage): Promise<void>;
  /** A template message (模板消息); returns WeChat's msgid. */
  sendTemplate(openid: string, templateId: string, data: Record<string, string>, url?: string): Promise<string>;
  /** Downloads a citizen's image, voice or video by its MediaId (kept by WeChat for 3 days). */
  getMedia(mediaId: string): Promise<Media>;
}

export const DEFAULT_API_BASE = 'https://api.weixin.qq.com/';

export function createOaApi(o: AccessTokenOptions & { tokens?: AccessTokens }): OaApi {
  const base = o.base.endsWith('/') ? o.base : `${o.base}/`;
  const tokens = o.tokens ?? createAccessTokens({ ...o, base });
  const doFetch = o.fetch ?? fetch;

  /** Calls `path` with a token; on an invalid token refreshes once and calls again. */
  async function call(method: string, path: string, init: RequestInit = {}, query: Record<string, string> = {}): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      const token = await tokens.get();
      const url = new URL(path, base);
      url.search = new URLSearchParams({ ...query, access_token: token }).toString();
      let res: Response;
      try {
        res = await doFetch(url, init);
      } catch (err) {
        throw new OaApiError(method, 0, err instanceof Error ? err.message : String(err), 'network');
      }
      if (res.status >= 500) throw new OaApiError(method, -1, `HTTP ${res.status}`, 'busy');
      const type = res.headers.get('content-type') ?? '';
      if (!/json|text\/plain/.test(type)) return res; // media bytes
      const body = (await res.clone().json().catch(() => ({}))) as { errcode?: number; errmsg?: string };
      if (!body.errcode) return res;
      const err = new OaApiError(method, body.errcode, body.errmsg ?? '');
      if (err.kind === 'token' && attempt === 0) {
        await tokens.invalidate(token);
        continue;
      }
      throw err;
    }
  }
  const post = (method: string, path: string, payload: unknown) =>
    call(method, path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });

  return {
    tokens,
    async sendCustom(openid, message) {
      await post('message/custom/send', 'cgi-bin/message/custom/send', { touser: openid, ...message });
    },
    async sendTemplate(openid, templateId, data, url) {
      const res = await post('message/template/send', 'cgi-bin/message/template/send', {
        touser: openid,
        template_id: templateId,
        ...(url ? { url } : {}),
        data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, { value: v }])),
      });
      return String(((await res.json()) as { msgid?: number | string }).msgid ?? '');
    },
    async getMedia(mediaId) {
      const res = await call('media/get', 'cgi-bin/media/get', {}, { media_id: mediaId });
      const name = /filename="?([^";]+)"?/.exec(res.headers.get('content-disposition') ?? '')?.[1];
      return {
        bytes: Buffer.from(await res.arrayBuffer()),
        mime: res.headers.get('content-type') ?? 'application/octet-stream',
        ...(name ? { name } : {}),
      };
    },
  };
}
