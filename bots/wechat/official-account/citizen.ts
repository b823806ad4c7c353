// Translates Official Account pushes into the dialogue's citizen events and sends the dialogue's
// replies back in the same chat. No rules here: keywords ("进度", "取消", a typed number) are
// the dialogue's to read; this file only maps what WeChat can send onto what the dialogue takes.
import type { Sayable } from '../../../models/sayable.js';
import type { Locale } from '../../../models/vocabulary.js';
import type { AttachmentStore } from '../../../services/attachments.js';
import type { CitizenEvent, ConversationEngine } from '../../../services/conversation/index.js';
import type { Logger } from '../../../services/logger.js';
import { wechatZh } from '../../../services/locales/zh/wechat.js';
import type { PushedMenus } from '../../text-menus.js';
import type { OaApi } from './api.js';
import { type OaPush, pushKey } from './push.js';
import { type OaSender, oaIdentity } from './sender.js';

/**
 * The EventKey of each Official Account menu button (自定义菜单, type "click") and the dialogue
 * command it stands for. The README lists them for whoever sets up the account's menu.
 */
export const MENU_KEYS: Record<string, CitizenEvent> = {
  DESK_NEW_REPORT: { type: 'command', name: 'restart' },
  DESK_PROGRESS: { type: 'command', name: 'progress' },
  DESK_WITHDRAW: { type: 'command', name: 'withdraw' },
  DESK_CANCEL: { type: 'command', name: 'cancel' },
  DESK_HELP: { type: 'command', name: 'help' },
};

/**
 * The dialogue's replies to one citizen message, as few customer-service messages as read the
 * same. WeChat allows 5 per citizen message and a registration alone says four things; what the
 * services push afterwards (the classification, a one-time notice of missing materials) would
 * otherwise only fit a template message, whose fields hold 20 characters. Texts are joined;
 * a menu ends the message it joins, so it stays last, where the citizen answers it.
 */
export function mergeReplies(replies: Sayable[], maxChars = MAX_MERGED_CHARS): Sayable[] {
  const out: Sayable[] = [];
  for (const r of replies) {
    const last = out.at(-1);
    if (last?.kind === 'text' && r.kind !== 'file' && last.text.length + r.text.length + 2 <= maxChars)
      out[out.length - 1] = { ...r, text: `${last.text}\n\n${r.text}` };
    else out.push(r);
  }
  return out;
}

/** Well under the 2,048 bytes WeChat takes in one text message (three bytes a Chinese character). */
const MAX_MERGED_CHARS = 600;

export interface OaCitizensOptions {
  api: OaApi;
  sender: OaSender;
  conversation: Pick<ConversationEngine, 'handle'>;
  menus: PushedMenus;
  attachments: AttachmentStore;
  locale: Locale;
  logger: Logger;
}

export function createOaCitizens(o: OaCitizensOptions): { onPush(push: OaPush): Promise<void> } {
  const keep = async (mediaId: string, kind: 'photo' | 'file', name: string): Promise<CitizenEvent> => {
    const media = await o.api.getMedia(mediaId);
    const kept = await o.attachments.keep(media.bytes, media.mime);
    return { type: 'attachment', kind, ref: kept.ref, name: media.name ?? name, mime: media.mime, size: kept.size };
  };

  async function toEvent(p: OaPush): Promise<CitizenEvent | null> {
    const who = oaIdentity(p.FromUserName);
    switch (p.MsgType) {
      case 'text': {
        // A number answering a menu the desk pushed (the follow-up question) picks from it.
        const pushed = await o.menus.pick(who, p.Content ?? '');
        await o.menus.forget(who);
        return pushed ? { type: 'choice', id: pushed } : { type: 'text', text: p.Content ?? '' };
      }
      case 'image':
        return keep(p.MediaId, 'photo', `图片-${p.MsgId}.jpg`);
      case 'voice':
        return keep(p.MediaId, 'file', `语音-${p.MsgId}.${p.Format || 'amr'}`);
      case 'video':
      case 'shortvideo':
        return keep(p.MediaId, 'file', `视频-${p.MsgId}.mp4`);
      case 'location':
        return { type: 'text', text: wechatZh.location({ label: p.Label ?? '', lat: p.Location_X ?? '', lng: p.Location_Y ?? '' }) };
      case 'link':
        return { type: 'text', text: [p.Title, p.Description, p.Url].filter(Boolean).join('\n') };
      case 'event':
        if (p.Event === 'subscribe') return { type: 'command', name: 'start' };
        if (p.Event === 'CLICK') return MENU_KEYS[p.EventKey ?? ''] ?? null;
        return null; // unsubscribe, VIEW, LOCATION reports, template receipts: nothing to say
      default:
        return { type: 'unsupported', kind: 'other' };
    }
  }

  return {
    async onPush(p) {
      const event = await toEvent(p);
      if (!event) return;
      const replies = await o.conversation.handle(oaIdentity(p.FromUserName), { ...event, updateId: `oa:${pushKey(p)}`, locale: o.locale });
      for (const r of mergeReplies(replies)) {
        const res = await o.sender.reply(p.FromUserName, r);
        if (!res.ok) o.logger.warn({ reason: res.reason }, 'reply to an Official Account citizen failed');
      }
    },
  };
}
