// The staff group as grammY middleware. Staff listed in the directory with a Telegram identity
// press the card's buttons and type the console's commands (the one shared parser); in a case's
// topic — or, in a group without topics, in a reply to its card — a command without #编号 is
// about that case, a plain message goes to the citizen as the window's reply (through the case
// services, answered without reporter identity), and a message starting with // is an internal
// note. Anyone else is refused once and nothing changes; a group the desk was not configured for
// is left at once. What the bot says back in the group goes through the dispatcher (the group's
// 20 a minute are shared with every notice); a button press is answered in its own toast.
import { Composer, type Context } from 'grammy';
import type { CaseDoc } from '../../../models/case.js';
import type { Models } from '../../../models/index.js';
import type { MessageDoc } from '../../../models/message.js';
import type { Sayable } from '../../../models/sayable.js';
import type { StaffDoc } from '../../../models/staff.js';
import type { TelegramTopicDoc } from '../../../models/telegram-topic.js';
import type { Clock } from '../../../services/clock.js';
import type { Coordination } from '../../../services/coordination/index.js';
import type { Directory } from '../../../services/directory/index.js';
import { onlyDuplicates } from '../../../services/delivery/relay.js';
import type { Logger } from '../../../services/logger.js';
import { COMMAND_HELP_ZH, doneZh, errorZh } from '../../../services/locales/zh/staff-commands.js';
import { staffGroupZh } from '../../../services/locales/zh/telegram-staff.js';
import { parseStaffCommand } from '../../../services/staff-commands/index.js';
import type { CallbackSigner } from './callback-data.js';
import { isTemplateVerb } from './card.js';
import { CARD_REFRESH_REASON } from './room-sender.js';
import type { Topics } from './topics.js';

export interface StaffGroupDeps {
  models: Models;
  directory: Pick<Directory, 'staffByIdentity'>;
  coordination: Coordination;
  clock: Clock;
  logger: Logger;
  topics: Topics;
  signer: CallbackSigner;
  /** The site whose staff group `chatId` is, or undefined for a group the desk does not serve. */
  siteOf(chatId: string): string | undefined;
  staffCommand(staff: StaffDoc, line: string, idempotencyKey?: string, where?: 'room' | 'private'): Promise<Sayable[]>;
  /** Wakes the dispatcher: an answer was queued. */
  kick(): void;
}

const NOTE = /^\/\//;
const COMMAND = /^[#＃]/;
const NOT_STAFF_NOTE_MS = 30 * 24 * 3600_000;
const LEFT_MEMORY_MS = 10 * 60_000;
const TOAST_MAX = 200;

const textOfSayable = (s: Sayable) => (s.kind === 'file' ? (s.caption ?? s.name) : s.text);
const toast = (s: string) => (Array.from(s).length <= TOAST_MAX ? s : `${Array.from(s).slice(0, TOAST_MAX - 1).join('')}…`);

/** The command as typed, or, in a case's topic, with the case's number put in when it lacks one. */
export function addressedLine(text: string, caseNumber?: string): string {
  const line = text.trim();
  if (!caseNumber || !('error' in parseStaffCommand(line))) return line;
  return `#${caseNumber} ${line.replace(/^[#＃][\s\u3000]*/u, '')}`.trim();
}

/** The case number a command line names, if it names one. */
export function numberIn(line: string): string | undefined {
  const c = parseStaffCommand(line);
  return 'number' in c ? c.number : undefined;
}

export function staffGroupComposer(d: StaffGroupDeps): Composer<Context> {
  const composer = new Composer<Context>();
  const groups = composer.chatType(['group', 'supergroup']);

  const staffOf = (userId: number | undefined) =>
    userId === undefined ? Promise.resolve(null) : d.directory.staffByIdentity({ channel: 'telegram', id: String(userId) });

  /** Queues what the bot answers in the group, so it takes its turn with the notices. */
  async function enqueue(chatId: string, site: string, place: { thread?: number; topic?: TelegramTopicDoc | null }, answers: Sayable[], key: string, reason = 'staff.answer') {
    if (!answers.length) return;
    const now = d.clock.now();
    const docs: MessageDoc[] = answers.map((s, i) => ({
      _id: `${key}:${reason}:${i + 1}`,
      audience: 'staff',
      to: { channel: 'telegram', id: chatId, ...(place.thread && !place.topic ? { thread: String(place.thread) } : {}) },
      site,
      ...(place.topic ? { caseNumber: place.topic.caseNumber } : {}),
      sayable: s,
      reason,
      createdAt: now,
      state: 'pending',
      attempts: 0,
      nextAttemptAt: now,
    }));
    try {
      await d.models.Message.insertMany(docs, { ordered: false });
    } catch (e) {
      if (!onlyDuplicates(e)) throw e;
    }
    d.kick();
  }

  /** Brings the cards of the cases a command touched up to date now; a refused edit is retried by the dispatcher. */
  async function refreshCards(chatId: string, site: string, numbers: (string | undefined)[]) {
    for (const n of new Set(numbers.filter((x): x is string => Boolean(x)))) {
      if (!(await d.topics.find(chatId, n))) continue; // no topic here yet: nothing to refresh
      const doc = await d.models.Case.findOne({ number: n }).lean<CaseDoc>().exec();
      if (!doc) continue;
      try {
        await d.topics.refresh(chatId, doc);
      } catch (err) {
        d.logger.warn({ err, caseNumber: n }, 'card not refreshed; the dispatcher will retry it');
        const topic = await d.topics.find(chatId, n);
        await enqueue(chatId, site, { topic }, [{ kind: 'text', text: '' }], `card:${n}:${doc.version}`, CARD_REFRESH_REASON);
      }
    }
  }

  async function refuseOnce(chatId: string, site: string, userId: number, place: { thread?: number; topic?: TelegramTopicDoc | null }, key: string) {
    if (await d.coordination.setIfAbsent(`telegram:not-staff:${chatId}:${userId}`, '1', NOT_STAFF_NOTE_MS))
      await enqueue(chatId, site, place, [{ kind: 'text', text: staffGroupZh.notStaff }], key, 'staff.not_staff');
  }

  // A group the desk does not serve: leave it, and answer nothing there.
  groups.use(async (ctx, next) => {
    const chatId = String(ctx.chat.id);
    if (d.siteOf(chatId)) return next();
    const joinedOrSpoke = ctx.myChatMember ? ['member', 'administrator'].includes(ctx.myChatMember.new_chat_member.status) : true;
    if (joinedOrSpoke && (await d.coordination.setIfAbsent(`telegram:leaving:${chatId}`, '1', LEFT_MEMORY_MS))) {
      d.logger.warn({ chatId, title: ctx.chat.title }, 'left a Telegram group that is not a staff room in the directory');
      await ctx.api.leaveChat(chatId).catch((err: unknown) => d.logger.warn({ err, chatId }, 'could not leave the group'));
    }
    if (ctx.callbackQuery) await ctx.answerCallbackQuery().catch(() => undefined);
  });

  groups.on('callback_query:data', async (ctx) => {
    const chatId = String(ctx.chat.id);
    const site = d.siteOf(chatId)!;
    const payload = d.signer.verify(chatId, ctx.callbackQuery.data);
    if (payload === null) {
      d.logger.warn({ chatId, from: ctx.from.id }, 'refused a callback query the bot did not sign');
      await ctx.answerCallbackQuery({ text: staffGroupZh.forged, show_alert: true });
      return;
    }
    const staff = await staffOf(ctx.from.id);
    if (!staff) {
      await ctx.answerCallbackQuery({ text: staffGroupZh.notStaffAlert, show_alert: true });
      return;
    }
    const m = ctx.callbackQuery.message;
    const forum = ctx.chat.type === 'supergroup' && ctx.chat.is_forum === true;
    const thread = forum ? m?.message_thread_id : undefined;
    const topic = thread ? await d.topics.byThread(chatId, thread) : m ? await d.topics.byCard(chatId, m.message_id) : null;
    const template = /^t:([A-Za-z]+):(.+)$/.exec(payload);
    if (template) {
      const [, verb, number] = template;
      if (!isTemplateVerb(verb)) return ctx.answerCallbackQuery();
      const form = COMMAND_HELP_ZH[verb].form.replace('#编号 ', topic ? '#' : `#${number} `);
      await ctx.answerCallbackQuery({ text: toast(staffGroupZh.templateAlert(form)), show_alert: true });
      return;
    }
    const answers = await d.staffCommand(staff, payload, `telegram:cb:${ctx.callbackQuery.id}`, 'room');
    const first = answers[0] ? textOfSayable(answers[0]) : '';
    const refused = first.startsWith(errorZh.prefix);
    await ctx.answerCallbackQuery({ text: toast(first.split('\n')[0] ?? ''), show_alert: refused });
    // What the press asked to see (the case, a list, the preview of a transfer slip) is posted; a
    // step done is shown by the card and by the notices the change itself causes.
    if (!refused && !first.startsWith(doneZh.prefix)) await enqueue(chatId, site, { thread, topic }, answers, `telegram:cb:${ctx.callbackQuery.id}`);
    await refreshCards(chatId, site, [numberIn(payload)]);
  });

  groups.on(['message:text', 'message:caption'], async (ctx) => {
    const msg = ctx.msg;
    if (msg.from?.is_bot) return;
    const chatId = String(ctx.chat.id);
    const site = d.siteOf(chatId)!;
    const text = (msg.text ?? msg.caption ?? '').trim();
    const forum = ctx.chat.type === 'supergroup' && ctx.chat.is_forum === true;
    const thread = forum ? msg.message_thread_id : undefined;
    // In a topic, its case; elsewhere (a plain group, or a card the bot had to post without a topic) a reply to a card.
    const topic = thread
      ? await d.topics.byThread(chatId, thread)
      : msg.reply_to_message
        ? await d.topics.byCard(chatId, msg.reply_to_message.message_id)
        : null;
    // A Telegram /command (a tap on the bot's menu) is neither a desk command nor words for the citizen.
    if (/^\/[A-Za-z]/.test(text)) return;
    const kind = NOTE.test(text) ? 'note' : COMMAND.test(text) ? 'command' : 'plain';
    // Outside a case, only commands are for the desk: everything else is people talking.
    if (kind !== 'command' && !topic) return;
    const key = `telegram:${chatId}:${msg.message_id}`;
    const place = { thread, topic };
    const staff = await staffOf(msg.from?.id);
    if (!staff) {
      await refuseOnce(chatId, site, msg.from!.id, place, key);
      return;
    }
    const n = topic?.caseNumber;
    let line: string;
    if (kind === 'command') line = addressedLine(text, n);
    else if (kind === 'note') line = `#${n} 备注 ${text.replace(NOTE, '').trim()}`;
    else {
      const doc = await d.models.Case.findOne({ number: n }, { status: 1 }).lean<Pick<CaseDoc, 'status'>>().exec();
      // The window's reply: the result once the case is resolved, progress before that.
      line = `#${n} ${doc?.status === 'resolved' ? '回复' : '反馈'} ${text}`;
    }
    const answers = await d.staffCommand(staff, line, key, 'room');
    await enqueue(chatId, site, place, answers, key);
    await refreshCards(chatId, site, [n, numberIn(line)]);
  });

  // Anything else in a staff group (stickers, photos without a caption, service messages) is not for the desk.
  groups.use(() => undefined);
  return composer;
}
