// Delivers the desk's messages to citizens who write to the Official Account (addresses
// `oa:<openid>`). A customer-service message first; when WeChat says the 48-hour window is
// closed (45015) or its 5 messages are spent (45047), the template configured for the message's
// kind; when that fails too, a permanent failure, which the dispatcher's dead letter turns into
// "phone the citizen" on the case and a notice in the staff room.
import type { Address } from '../../../models/message.js';
import type { Sayable } from '../../../models/sayable.js';
import type { Clock } from '../../../services/clock.js';
import type { SendMeta, SendResult, Sender } from '../../../services/delivery/index.js';
import type { Logger } from '../../../services/logger.js';
import { wechatZh } from '../../../services/locales/zh/wechat.js';
import type { PushedMenus } from '../../text-menus.js';
import { renderWechatText } from '../render.js';
import type { OaApi } from './api.js';
import { OaApiError } from './errors.js';
import { type TemplateRules, templateData, templateFor } from './templates.js';

export const OA_ADDRESS_PREFIX = 'oa:';
export const isOaAddress = (id: string) => id.startsWith(OA_ADDRESS_PREFIX);
export const oaIdentity = (openid: string) => ({ channel: 'wechat' as const, id: `${OA_ADDRESS_PREFIX}${openid}` });

export interface OaSenderOptions {
  api: OaApi;
  templates: TemplateRules;
  menus: PushedMenus;
  clock: Clock;
  logger: Logger;
}

export interface OaSender extends Sender {
  /** A reply in the chat the citizen just wrote to: customer-service only (the window is open). */
  reply(openid: string, message: Sayable): Promise<SendResult>;
}

const failure = (err: OaApiError, reason: string): SendResult => {
  switch (err.kind) {
    case 'busy':
    case 'network':
    case 'token':
      return { ok: false, kind: 'retryable', reason: err.message };
    case 'api_limit':
      return { ok: false, kind: 'retry_after', retryAfterMs: 10 * 60_000, scope: 'global', reason: err.message };
    case 'unsubscribed':
      return { ok: false, kind: 'permanent', reason: wechatZh.unsubscribed };
    default:
      return { ok: false, kind: 'permanent', reason };
  }
};

export function createOaSender(o: OaSenderOptions): OaSender {
  const custom = async (openid: string, message: Sayable) => {
    await o.api.sendCustom(openid, { msgtype: 'text', text: { content: renderWechatText(message) } });
    if (message.kind === 'choices') await o.menus.remember(oaIdentity(openid), message.choices);
  };

  const template = async (openid: string, message: Sayable, meta: SendMeta): Promise<SendResult> => {
    const rule = templateFor(o.templates, meta.reason);
    if (!rule) return { ok: false, kind: 'permanent', reason: wechatZh.windowClosedNoTemplate({ kind: meta.reason ?? '' }) };
    try {
      const data = templateData(rule, { ...(meta.caseNumber ? { number: meta.caseNumber } : {}), text: renderWechatText(message), at: o.clock.now() });
      const id = await o.api.sendTemplate(openid, rule.templateId, data, rule.url);
      // The template cannot show a menu, but its text can ask for a number: keep the menu answerable.
      if (message.kind === 'choices') await o.menus.remember(oaIdentity(openid), message.choices);
      return { ok: true, channelMessageId: `template:${id}` };
    } catch (err) {
      if (!(err instanceof OaApiError)) throw err;
      o.logger.warn({ errcode: err.errcode, reason: meta.reason }, 'template message failed');
      return failure(err, wechatZh.templateFailed({ errcode: err.errcode }));
    }
  };

  return {
    channel: 'wechat',
    async send(to: Address, message: Sayable, meta: SendMeta) {
      const openid = to.id.slice(OA_ADDRESS_PREFIX.length);
      try {
        await custom(openid, message);
        return { ok: true };
      } catch (err) {
        if (!(err instanceof OaApiError)) throw err;
        if (err.kind === 'window_closed' || err.kind === 'quota_spent') return template(openid, message, meta);
        return failure(err, wechatZh.rejected({ errcode: err.errcode }));
      }
    },
    async reply(openid, message) {
      try {
        await custom(openid, message);
        return { ok: true };
      } catch (err) {
        if (!(err instanceof OaApiError)) throw err;
        return failure(err, wechatZh.rejected({ errcode: err.errcode }));
      }
    },
  };
}
