// Wechaty messages translated for the desk: a staff room's commands, a liaison's or staff
// member's private commands, and citizens writing privately to a personal or WeCom account.
// Who may act is the directory's to say (staff identities on the `wechat` channel); what a
// command does is the one staff-command parser's; this file only routes and renders.
import type { Message, Room } from 'wechaty';
import { types } from 'wechaty';
import type { Sayable } from '../../../models/sayable.js';
import type { SiteDoc } from '../../../models/site.js';
import type { StaffDoc } from '../../../models/staff.js';
import type { Locale } from '../../../models/vocabulary.js';
import type { AttachmentStore } from '../../../services/attachments.js';
import type { Coordination } from '../../../services/coordination/index.js';
import type { CitizenEvent, ConversationEngine } from '../../../services/conversation/index.js';
import type { Directory } from '../../../services/directory/index.js';
import type { Logger } from '../../../services/logger.js';
import { wechatStaffZh } from '../../../services/locales/zh/wechat.js';
import type { PushedMenus } from '../../text-menus.js';
import { renderWechatText } from '../render.js';

export interface WechatyMessageDeps {
  directory: Pick<Directory, 'staffByIdentity'>;
  sites: SiteDoc[];
  staffCommand(staff: StaffDoc, line: string, idempotencyKey?: string, where?: 'room' | 'private'): Promise<Sayable[]>;
  conversation: Pick<ConversationEngine, 'handle'>;
  menus: PushedMenus;
  coordination: Coordination;
  attachments: AttachmentStore;
  locale: Locale;
  logger: Logger;
}

/** A room's address in the directory: its id, or `topic:<topic>` for a room known by name. */
export const roomTopicAddress = (topic: string) => `topic:${topic}`;

const CASE_NUMBER = /\d{11}/;
// Personal-account and WeCom puppets render a quoted reply as 「name：quoted text」 then a line of
// "- - -" and the reply itself.
const QUOTE = /^「([\s\S]*?)」\s*\n\s*(?:-\s*){5,}\n([\s\S]*)$/;

/** The command line a message carries (without the #), or null for chatter. Quoting a case card addresses its case. */
export function commandLine(text: string): string | null {
  const t = text.trim();
  const quoted = QUOTE.exec(t);
  if (quoted) {
    const reply = quoted[2].trim().replace(/^[#＃]\s*/, '');
    const number = CASE_NUMBER.exec(quoted[1])?.[0];
    if (!number) return /^[#＃]/.test(quoted[2].trim()) ? reply : null;
    return CASE_NUMBER.test(reply.split(/\s+/)[0] ?? '') ? reply : `${number} ${reply}`;
  }
  return /^[#＃]/.test(t) ? t.slice(1).trim() : null;
}

export function createWechatyMessages(d: WechatyMessageDeps): { onMessage(msg: Message): Promise<void> } {
  const staffRoomSite = async (room: Room): Promise<SiteDoc | undefined> => {
    const topic = roomTopicAddress(await room.topic());
    return d.sites.find((s) => s.staffRooms.some((r) => r.channel === 'wechat' && (r.id === room.id || r.id === topic)));
  };
  const say = async (target: { say(text: string): Promise<unknown> }, replies: Sayable[]) => {
    for (const r of replies) await target.say(renderWechatText(r));
  };

  async function citizenEvent(msg: Message): Promise<CitizenEvent> {
    const who = { channel: 'wechat' as const, id: msg.talker().id };
    switch (msg.type()) {
      case types.Message.Text: {
        const pushed = await d.menus.pick(who, msg.text());
        await d.menus.forget(who);
        return pushed ? { type: 'choice', id: pushed } : { type: 'text', text: msg.text() };
      }
      case types.Message.Image:
      case types.Message.Attachment:
      case types.Message.Audio:
      case types.Message.Video: {
        const box = await msg.toFileBox();
        const bytes = await box.toBuffer();
        const mime = box.mediaType || 'application/octet-stream';
        const kept = await d.attachments.keep(bytes, mime);
        const kind = msg.type() === types.Message.Image ? 'photo' : 'file';
        return { type: 'attachment', kind, ref: kept.ref, name: box.name, mime, size: kept.size };
      }
      case types.Message.Location:
        return { type: 'text', text: msg.text() };
      case types.Message.Emoticon:
        return { type: 'unsupported', kind: 'sticker' };
      default:
        return { type: 'unsupported', kind: 'other' };
    }
  }

  return {
    async onMessage(msg) {
      if (msg.self()) return;
      const talker = msg.talker();
      const room = msg.room();
      const staff = await d.directory.staffByIdentity({ channel: 'wechat', id: talker.id });
      const key = `wechat:${msg.id}`;
      if (room) {
        if (!(await staffRoomSite(room))) return; // not a room the desk serves
        const line = msg.type() === types.Message.Text ? commandLine(msg.text()) : null;
        if (line === null) return; // people talking to each other
        if (!staff) {
          // One note per person and room, however often they try: the room stays readable.
          if (await d.coordination.setIfAbsent(`wechat:not-staff:${room.id}:${talker.id}`, '1', 30 * 24 * 3600_000))
            await room.say(wechatStaffZh.notStaff);
          return;
        }
        await say(room, await d.staffCommand(staff, line, key, 'room'));
        return;
      }
      if (staff) {
        const line = msg.type() === types.Message.Text ? commandLine(msg.text()) : null;
        await say(talker, line === null ? [{ kind: 'text', text: wechatStaffZh.privateHint }] : await d.staffCommand(staff, line, key, 'private'));
        return;
      }
      const replies = await d.conversation.handle({ channel: 'wechat', id: talker.id }, { ...(await citizenEvent(msg)), updateId: key, locale: d.locale });
      await say(talker, replies);
    },
  };
}
