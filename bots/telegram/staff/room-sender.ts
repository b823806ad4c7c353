// Delivers the dispatcher's messages to a Telegram staff group. The dispatcher has already taken
// the group's token (the group bucket is shared by all its topics: Telegram's 20 a minute), so one
// call here posts at most one message: a case's notice goes into its topic (opened, with its
// card, the first time), together with every other notice already queued for that topic, and
// the card is edited to show where the case now stands. A new case's first notice is its card.
import { randomUUID } from 'node:crypto';
import { type Api, InputFile } from 'grammy';
import type { CaseDoc } from '../../../models/case.js';
import type { Models } from '../../../models/index.js';
import type { Address, MessageDoc } from '../../../models/message.js';
import type { AttachmentStore } from '../../../services/attachments.js';
import type { Sayable } from '../../../models/sayable.js';
import { onlyDuplicates } from '../../../services/delivery/relay.js';
import type { Clock } from '../../../services/clock.js';
import type { SendMeta, SendResult, Sender } from '../../../services/delivery/index.js';
import type { Logger } from '../../../services/logger.js';
import { staffGroupZh } from '../../../services/locales/zh/telegram-staff.js';
import { redactFor } from '../../../services/privacy.js';
import { CHOICE_PREFIX } from '../../../services/staff-commands/index.js';
import type { CallbackSigner } from './callback-data.js';
import { TEXT_LIMIT, escapeHtml, splitText } from '../render.js';
import { sendFailure } from '../sender.js';
import { type CaseSpot, type Topics, isThreadGone, keyboardOf } from './topics.js';

/** A message only refreshes the card of its case (written when an edit was refused for a while). */
export const CARD_REFRESH_REASON = 'telegram.card';
/** One file a citizen added after submitting, shown in the topic after the notice that announced it. */
export const ATTACHMENT_REASON = 'telegram.case_file';
/** How far ahead a queued notice may be taken along: the group bucket's spacing, not a schedule. */
const COALESCE_AHEAD_MS = 60_000;
const COALESCE_MAX = 20;

export interface RoomSenderDeps {
  api: Api;
  models: Models;
  topics: Topics;
  signer: CallbackSigner;
  clock: Clock;
  logger: Logger;
  /** Where the files citizens send are kept. */
  attachments: AttachmentStore;
  /** Chat ids of the configured staff groups. */
  isStaffGroup(chatId: string): boolean;
}

const textOf = (s: Sayable) => (s.kind === 'file' ? (s.caption ?? s.name) : s.text);
const choicesOf = (s: Sayable) => (s.kind === 'choices' ? s.choices : []);

export function createStaffRoomSender(d: RoomSenderDeps): Sender & { handles(to: Address): boolean } {
  const { api, models, topics, clock } = d;
  const { Message, Case } = models;

  /**
   * The supplement a 'case.supplement' notice announced. Notice ids are `<case>:<version>:<n>`, and
   * each supplement is one change: the k-th such notice (by version) is the k-th supplement record.
   * (Times cannot tell them apart: a photo and its caption are added in the same instant.)
   */
  async function supplementOf(doc: CaseDoc, noticeId: string) {
    const version = (id: string) => Number(id.split(':')[1]);
    const notices = await Message.find({ caseId: String(doc._id), reason: 'case.supplement' }, { _id: 1 }).lean<{ _id: string }[]>().exec();
    // One version per supplement, however many staff rooms were told of it.
    const k = [...new Set(notices.map((m) => version(m._id)))].sort((a, b) => a - b).indexOf(version(noticeId));
    return k < 0 ? undefined : doc.handling.filter((h) => h.kind === 'supplement')[k];
  }

  /** What a notice says in the topic: some notices name what happened, the topic shows it too. */
  async function noticeText(doc: CaseDoc, m: Pick<MessageDoc, '_id' | 'sayable' | 'reason' | 'createdAt'>): Promise<string> {
    const base = textOf(m.sayable);
    if (m.reason === 'case.supplement') {
      const rec = await supplementOf(doc, m._id);
      if (rec) return staffGroupZh.citizenSupplement({ number: doc.number, text: redactFor(doc, { kind: 'public' }, rec.text), files: rec.attachments?.length ?? 0 });
    }
    if (m.reason === 'case.unit_reply') {
      const slip = doc.transfers.filter((t) => t.reply && +t.reply.at === +m.createdAt)[0];
      if (slip?.reply) {
        const unit = await d.models.Unit.findById(slip.unit).lean().exec();
        return `${base}\n${staffGroupZh.unitReplyText({ unit: unit?.name ?? slip.unit, text: redactFor(doc, { kind: 'public' }, slip.reply.text), basis: slip.reply.basis })}`;
      }
    }
    return base;
  }

  /** Takes the other notices queued for this case in this group, so one post carries them all. */
  async function claimQueued(to: Address, meta: SendMeta, owner: string): Promise<MessageDoc[]> {
    const now = clock.now();
    const queued = await Message.find({
      _id: { $ne: meta.messageId },
      'to.channel': 'telegram',
      'to.id': to.id,
      caseNumber: meta.caseNumber,
      state: 'pending',
      createdAt: { $lte: now },
      nextAttemptAt: { $lte: new Date(now.getTime() + COALESCE_AHEAD_MS) },
      reason: { $nin: [CARD_REFRESH_REASON, ATTACHMENT_REASON] },
    })
      .sort({ createdAt: 1, _id: 1 })
      .limit(COALESCE_MAX)
      .lean<MessageDoc[]>()
      .exec();
    const claimed: MessageDoc[] = [];
    for (const m of queued) {
      const r = await Message.updateOne(
        { _id: m._id, state: 'pending' },
        { $set: { state: 'sending', leaseOwner: owner, leaseUntil: new Date(now.getTime() + COALESCE_AHEAD_MS) } },
      );
      if (r.modifiedCount === 1) claimed.push(m);
    }
    return claimed;
  }

  async function settleClaimed(owner: string, ok: boolean, channelMessageId?: string) {
    const now = clock.now();
    await Message.updateMany(
      { state: 'sending', leaseOwner: owner },
      ok
        ? { $set: { state: 'sent', sentAt: now, ...(channelMessageId ? { channelMessageId } : {}) }, $inc: { attempts: 1 }, $unset: { leaseOwner: 1, leaseUntil: 1, lastError: 1 } }
        : { $set: { state: 'pending' }, $unset: { leaseOwner: 1, leaseUntil: 1 } },
    );
  }

  /** Posts plain text (split when long, escaped) with buttons on the last part; returns the last message id. */
  async function post(chatId: string, where: { threadId?: number; replyTo?: number }, text: string, choices: { id: string; label: string }[]) {
    const markup = keyboardOf(
      d.signer,
      chatId,
      choices.map((c) => [{ label: c.label, payload: c.id.startsWith(CHOICE_PREFIX) ? c.id.slice(CHOICE_PREFIX.length) : c.id }]),
    );
    const parts = splitText(text).map(escapeHtml);
    let last = 0;
    for (const [i, part] of parts.entries()) {
      const sent = await api.sendMessage(chatId, part, {
        parse_mode: 'HTML',
        ...(where.threadId ? { message_thread_id: where.threadId } : {}),
        ...(where.replyTo ? { reply_parameters: { message_id: where.replyTo, allow_sending_without_reply: true } } : {}),
        ...(i === parts.length - 1 && markup ? { reply_markup: markup } : {}),
      });
      last = sent.message_id;
    }
    return last;
  }

  async function postFile(chatId: string, where: { threadId?: number; replyTo?: number }, s: Extract<Sayable, { kind: 'file' }>) {
    const sent = await api.sendDocument(chatId, new InputFile(Buffer.from(s.base64, 'base64'), s.name), {
      ...(s.caption ? { caption: s.caption.slice(0, 1024) } : {}),
      ...(where.threadId ? { message_thread_id: where.threadId } : {}),
      ...(where.replyTo ? { reply_parameters: { message_id: where.replyTo, allow_sending_without_reply: true } } : {}),
    });
    return sent.message_id;
  }


  /** Queues one post per file of the supplements just announced: each takes its own turn in the group's limit. */
  async function queueFiles(to: Address, doc: CaseDoc, announced: Pick<MessageDoc, '_id' | 'reason' | 'createdAt' | 'site'>[]) {
    const files: MessageDoc[] = [];
    for (const m of announced) {
      if (m.reason !== 'case.supplement') continue;
      const all = (await supplementOf(doc, m._id))?.attachments ?? [];
      for (const [i, a] of all.entries())
        files.push({
          _id: `${m._id}:file:${i}`,
          audience: 'staff',
          to: { channel: 'telegram', id: to.id },
          site: m.site,
          caseId: String(doc._id),
          caseNumber: doc.number,
          sayable: { kind: 'text', text: staffGroupZh.citizenFile({ number: doc.number, n: i + 1, of: all.length, name: a.name }) },
          reason: ATTACHMENT_REASON,
          createdAt: m.createdAt,
          state: 'pending',
          attempts: 0,
          nextAttemptAt: clock.now(),
        });
    }
    if (!files.length) return;
    try {
      await Message.insertMany(files, { ordered: false });
    } catch (e) {
      if (!onlyDuplicates(e)) throw e;
    }
  }

  /** Posts the file a queued ATTACHMENT_REASON message stands for (`<notice id>:file:<i>`). */
  async function postCaseFile(chatId: string, where: { threadId?: number; replyTo?: number }, doc: CaseDoc, meta: SendMeta, caption: string) {
    const [, notice, index] = /^(.*):file:(\d+)$/.exec(meta.messageId) ?? [];
    const att = notice ? (await supplementOf(doc, notice))?.attachments?.[Number(index)] : undefined;
    const bytes = att ? await d.attachments.read(att.ref) : null;
    if (!att || !bytes) {
      // Kept by another channel or gone from the store: say so rather than drop the line.
      return post(chatId, where, `${caption}${staffGroupZh.fileUnavailable}`, []);
    }
    const other = {
      caption: caption.slice(0, 1024),
      ...(where.threadId ? { message_thread_id: where.threadId } : {}),
      ...(where.replyTo ? { reply_parameters: { message_id: where.replyTo, allow_sending_without_reply: true } } : {}),
    };
    const file = new InputFile(bytes, att.name ?? (att.kind === 'photo' ? 'photo.jpg' : 'file'));
    const sent = att.kind === 'photo' ? await api.sendPhoto(chatId, file, other) : await api.sendDocument(chatId, file, other);
    return sent.message_id;
  }

  const whereOf = (spot: CaseSpot) => (spot.forum ? { threadId: spot.topic.threadId } : { replyTo: spot.topic.cardMessageId });

  async function sendAboutCase(to: Address, message: Sayable, meta: SendMeta, doc: CaseDoc): Promise<SendResult> {
    return topics.locked(to.id, doc.number, async () => {
      let spot: CaseSpot;
      try {
        spot = await topics.ensure(to.id, doc, { posting: meta.reason !== CARD_REFRESH_REASON });
      } catch (e) {
        return sendFailure(e, to);
      }
      if (meta.reason === CARD_REFRESH_REASON) {
        await topics.settle(to.id, doc, spot);
        return { ok: true, ...(spot.topic.cardMessageId ? { channelMessageId: String(spot.topic.cardMessageId) } : {}) };
      }
      // The card of a new case says all its first notice said: posting both would spend two of the group's twenty.
      if (spot.cardPosted && meta.reason === 'case.registered') return { ok: true, channelMessageId: String(spot.topic.cardMessageId) };
      const where = whereOf(spot);
      if (meta.reason === ATTACHMENT_REASON) {
        try {
          const id = await postCaseFile(to.id, where, doc, meta, textOf(message));
          await topics.settle(to.id, doc, spot);
          return { ok: true, channelMessageId: String(id) };
        } catch (e) {
          return sendFailure(e, to);
        }
      }
      if (message.kind === 'file') {
        try {
          const id = await postFile(to.id, where, message);
          await topics.settle(to.id, doc, spot);
          return { ok: true, channelMessageId: String(id) };
        } catch (e) {
          return sendFailure(e, to);
        }
      }
      const self = await Message.findById(meta.messageId).lean<MessageDoc>().exec();
      const selfAt = self?.createdAt ?? clock.now();
      const first = await noticeText(doc, { _id: meta.messageId, sayable: message, reason: meta.reason ?? '', createdAt: selfAt });
      const owner = `coalesce:${meta.messageId}:${randomUUID()}`;
      const claimed = await claimQueued(to, meta, owner);
      const parts = [{ at: +selfAt, id: meta.messageId, text: first, choices: choicesOf(message) }];
      let length = first.length;
      const carried: string[] = [];
      for (const m of claimed) {
        if (m.sayable.kind === 'file') continue; // a file is its own post
        const t = await noticeText(doc, m);
        if (length + t.length + 2 > TEXT_LIMIT - 100) continue;
        parts.push({ at: +m.createdAt, id: m._id, text: t, choices: choicesOf(m.sayable) });
        length += t.length + 2;
        carried.push(m._id);
      }
      // In the order things happened, whichever of them the dispatcher picked first.
      parts.sort((a, b) => a.at - b.at || a.id.localeCompare(b.id, 'en', { numeric: true }));
      const texts = parts.map((p) => p.text);
      const choices = parts.flatMap((p) => p.choices);
      // Anything not carried goes back to the queue as it was.
      const left = claimed.filter((m) => !carried.includes(m._id)).map((m) => m._id);
      if (left.length) await Message.updateMany({ _id: { $in: left }, leaseOwner: owner }, { $set: { state: 'pending' }, $unset: { leaseOwner: 1, leaseUntil: 1 } });
      try {
        // Queued before the post (ids are fixed, so a retry queues nothing twice): a crash after posting loses no file.
        await queueFiles(to, doc, [
          { _id: meta.messageId, reason: meta.reason ?? '', createdAt: selfAt, site: doc.site },
          ...claimed.filter((m) => carried.includes(m._id)),
        ]);
        const id = await post(to.id, where, texts.join('\n\n'), choices);
        await settleClaimed(owner, true, String(id));
        await topics.settle(to.id, doc, spot);
        return { ok: true, channelMessageId: String(id) };
      } catch (e) {
        await settleClaimed(owner, false);
        if (isThreadGone(e)) await models.TelegramTopic.updateOne({ _id: spot.topic._id }, { $unset: { threadId: 1, cardMessageId: 1, cardHash: 1 } });
        return sendFailure(e, to);
      }
    });
  }

  return {
    channel: 'telegram',
    handles: (to) => to.channel === 'telegram' && d.isStaffGroup(to.id),
    async send(to, message, meta) {
      try {
        const doc = meta.caseNumber ? await Case.findOne({ number: meta.caseNumber }).lean<CaseDoc>().exec() : null;
        if (doc) return await sendAboutCase(to, message, meta, doc);
        const where = to.thread ? { threadId: Number(to.thread) } : {};
        const id = message.kind === 'file' ? await postFile(to.id, where, message) : await post(to.id, where, textOf(message), choicesOf(message));
        return { ok: true, channelMessageId: String(id) };
      } catch (e) {
        return sendFailure(e, to);
      }
    },
  };
}
