// One forum topic per case in a staff group, with its case card: opened the first time the desk
// speaks about the case there, the card edited in place as the case moves, the topic closed when
// the case ends and reopened if it comes back. In a group without topics the card is a plain
// message and everything about the case is posted as a reply to it. Every step is written to
// the TelegramTopic model as soon as Telegram confirms it, under a lock per case and group, so a
// crash or a second bot process never opens a second topic or posts a second card.
import { createHash } from 'node:crypto';
import { type Api, GrammyError, InlineKeyboard } from 'grammy';
import type { CaseDoc } from '../../../models/case.js';
import type { Models } from '../../../models/index.js';
import { type TelegramTopicDoc, topicKey } from '../../../models/telegram-topic.js';
import type { UnitDoc } from '../../../models/unit.js';
import type { Clock } from '../../../services/clock.js';
import type { Coordination } from '../../../services/coordination/index.js';
import type { Directory } from '../../../services/directory/index.js';
import type { Logger } from '../../../services/logger.js';
import type { CallbackSigner } from './callback-data.js';
import { isNotModified } from '../render.js';
import { type CardButton, isEnded, renderCard, topicName } from './card.js';

export interface TopicsDeps {
  api: Api;
  models: Models;
  directory: Directory;
  coordination: Coordination;
  clock: Clock;
  signer: CallbackSigner;
  logger: Logger;
}

/** Where a case's messages go in a group: its topic, or replies to its card. */
export interface CaseSpot {
  topic: TelegramTopicDoc;
  forum: boolean;
  /** The card was posted just now (the topic is new, or its card had been deleted). */
  cardPosted: boolean;
}

export const LOCK_MS = 30_000;

const errorText = (e: unknown) => (e instanceof GrammyError ? e.description.toLowerCase() : '');
const isMessageGone = (e: unknown) => /message to edit not found|message can't be edited|message_id_invalid/.test(errorText(e));
export const isThreadGone = (e: unknown) => /message thread not found|topic_deleted|topic not found|thread not found/.test(errorText(e));
const isTopicStateAlready = (e: unknown) => /topic_not_modified|topic_closed|topic is closed|not modified/.test(errorText(e));

export function keyboardOf(signer: CallbackSigner, chatId: string, rows: CardButton[][]): InlineKeyboard | undefined {
  const kb = new InlineKeyboard();
  let any = false;
  for (const row of rows) {
    let inRow = 0;
    for (const b of row) {
      const data = signer.sign(chatId, b.payload);
      if (!data) continue; // too long for Telegram's 64 bytes: the typed command still works
      kb.text(b.label, data);
      inRow++;
      any = true;
    }
    if (inRow) kb.row();
  }
  return any ? kb : undefined;
}

export function createTopics(d: TopicsDeps) {
  const { api, models } = d;
  const Topic = models.TelegramTopic;
  const forumCache = new Map<string, boolean>();

  async function isForum(chatId: string): Promise<boolean> {
    const known = forumCache.get(chatId);
    if (known !== undefined) return known;
    const chat = await api.getChat(chatId);
    const forum = 'is_forum' in chat && chat.is_forum === true;
    forumCache.set(chatId, forum);
    return forum;
  }

  const save = async (id: string, set: Partial<TelegramTopicDoc>, unset: (keyof TelegramTopicDoc)[] = []) =>
    (await Topic.findOneAndUpdate(
      { _id: id },
      { $set: set, ...(unset.length ? { $unset: Object.fromEntries(unset.map((k) => [k, 1])) } : {}) },
      { returnDocument: 'after' },
    )
      .lean<TelegramTopicDoc>()
      .exec())!;

  async function transferUnits(doc: CaseDoc): Promise<UnitDoc[]> {
    if (doc.lifecycle.category !== 'NOT_STATIONED') return [];
    return (await d.directory.units(doc.site)).filter((u) => !u.stationed && u.kind !== 'service_center');
  }

  async function cardFor(chatId: string, doc: CaseDoc, forum: boolean) {
    const units = new Map((await d.directory.units()).map((u) => [u._id, u.name]));
    const card = renderCard(doc, { unit: (c) => units.get(c) ?? c }, { now: d.clock.now(), transferUnits: await transferUnits(doc), forum });
    const markup = keyboardOf(d.signer, chatId, card.buttons);
    const hash = createHash('sha1').update(card.html).update(JSON.stringify(markup?.inline_keyboard ?? [])).digest('hex');
    return { html: card.html, markup, hash };
  }

  /** Runs `fn` holding the lock of one case's topic in one group: every step on a topic goes through here. */
  const locked = <T>(chatId: string, number: string, fn: () => Promise<T>) =>
    d.coordination.withLock(`telegram:topic:${chatId}:${number}`, LOCK_MS, fn, { waitMs: LOCK_MS / 2 });

  /**
   * Makes sure the case has its topic and an up-to-date card (called with the lock held). Posting
   * the card is the one message this costs; an unchanged card is not touched.
   */
  async function ensure(chatId: string, doc: CaseDoc, opts: { posting?: boolean } = {}): Promise<CaseSpot> {
    const id = topicKey(chatId, doc.number);
    const forum = await isForum(chatId);
    let topic =
      (await Topic.findById(id).lean<TelegramTopicDoc>().exec()) ??
      (await Topic.findOneAndUpdate(
        { _id: id },
        { $setOnInsert: { chatId, caseNumber: doc.number, site: doc.site, closed: false } },
        { upsert: true, returnDocument: 'after' },
      )
        .lean<TelegramTopicDoc>()
        .exec())!;
    let inTopic = forum;
    if (forum && !topic.threadId && !topic.cardMessageId) {
      try {
        const created = await api.createForumTopic(chatId, topicName(doc));
        topic = await save(id, { threadId: created.message_thread_id, closed: false }, ['cardMessageId', 'cardHash']);
      } catch (e) {
        // The bot is not allowed to manage topics: the case still reaches staff, as a card in the
        // General topic with replies to it, rather than not at all.
        if (!(e instanceof GrammyError && e.error_code === 400 && /right|admin|permission/i.test(e.description))) throw e;
        d.logger.error({ chatId, err: e }, 'the bot may not create topics in the staff group: make it an administrator with "Manage topics"; posting cards without topics meanwhile');
        inTopic = false;
      }
    } else if (forum && !topic.threadId) inTopic = false; // a case begun without a topic stays as it began
    // A closed topic takes no messages: open it for a case that came back, or for one more notice
    // about an ended case (settle closes it again afterwards).
    if (topic.closed && topic.threadId && (opts.posting || !isEnded(doc))) topic = await reopen(chatId, topic);
    const card = await cardFor(chatId, doc, inTopic);
    let cardPosted = false;
    if (topic.cardMessageId && card.hash !== topic.cardHash) {
      try {
        await api.editMessageText(chatId, topic.cardMessageId, card.html, { parse_mode: 'HTML', reply_markup: card.markup ?? { inline_keyboard: [] } });
        topic = await save(id, { cardHash: card.hash });
      } catch (e) {
        if (isNotModified(e)) topic = await save(id, { cardHash: card.hash });
        else if (isMessageGone(e)) topic = await save(id, {}, ['cardMessageId', 'cardHash']);
        else throw e;
      }
    }
    if (!topic.cardMessageId) {
      if (topic.closed && topic.threadId) topic = await reopen(chatId, topic);
      try {
        const sent = await api.sendMessage(chatId, card.html, {
          parse_mode: 'HTML',
          ...(topic.threadId ? { message_thread_id: topic.threadId } : {}),
          ...(card.markup ? { reply_markup: card.markup } : {}),
        });
        topic = await save(id, { cardMessageId: sent.message_id, cardHash: card.hash, closed: false });
        cardPosted = true;
      } catch (e) {
        // Someone deleted the topic: open a new one next time rather than post into nothing.
        if (isThreadGone(e)) await save(id, { closed: false }, ['threadId', 'cardMessageId', 'cardHash']);
        throw e;
      }
    }
    return { topic, forum: inTopic, cardPosted };
  }

  async function reopen(chatId: string, topic: TelegramTopicDoc) {
    try {
      await api.reopenForumTopic(chatId, topic.threadId!);
    } catch (e) {
      if (!isTopicStateAlready(e)) throw e;
    }
    return save(topic._id, { closed: false });
  }

  /** Closes the topic of an ended case, reopens that of a case that came back (lock held). */
  async function settle(chatId: string, doc: CaseDoc, spot: CaseSpot): Promise<TelegramTopicDoc> {
    const { topic } = spot;
    if (!topic.threadId) return topic;
    const ended = isEnded(doc);
    if (ended && !topic.closed) {
      try {
        await api.closeForumTopic(chatId, topic.threadId);
      } catch (e) {
        if (!isTopicStateAlready(e)) throw e;
      }
      return save(topic._id, { closed: true });
    }
    if (!ended && topic.closed) return reopen(chatId, topic);
    return topic;
  }

  return {
    isForum,
    locked,
    ensure,
    settle,
    /** The card brought up to date at once (after a command in the group), with the lock. */
    async refresh(chatId: string, doc: CaseDoc): Promise<void> {
      await locked(chatId, doc.number, async () => {
        // Closing waits for the notice that says why (archived, withdrawn…): it is posted, then the topic closes.
        await ensure(chatId, doc);
      });
    },
    byThread: (chatId: string, threadId: number) => Topic.findOne({ chatId, threadId }).lean<TelegramTopicDoc>().exec(),
    byCard: (chatId: string, messageId: number) => Topic.findOne({ chatId, cardMessageId: messageId }).lean<TelegramTopicDoc>().exec(),
    find: (chatId: string, number: string) => Topic.findById(topicKey(chatId, number)).lean<TelegramTopicDoc>().exec(),
  };
}
export type Topics = ReturnType<typeof createTopics>;
