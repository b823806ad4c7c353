// Staff in a private chat with the bot, above all unit liaisons: the transfer slip arrives here
// (composed by the case services, which decide what of the reporter the unit may see) with
// buttons to sign for it and to answer; an answer is typed in reply, the ineligible kind with its
// basis, and goes into the case through the same staff command a liaison could type. Any staff
// member may also type the console's commands here. Chats of people not in the directory are
// not this module's: they go on to the citizen side.
import { type Api, Composer, type Context, InputFile } from 'grammy';
import type { Address } from '../../../models/message.js';
import type { Sayable } from '../../../models/sayable.js';
import type { StaffDoc } from '../../../models/staff.js';
import type { Coordination } from '../../../services/coordination/index.js';
import type { SendMeta, SendResult } from '../../../services/delivery/index.js';
import type { Logger } from '../../../services/logger.js';
import { errorZh } from '../../../services/locales/zh/staff-commands.js';
import { liaisonZh } from '../../../services/locales/zh/telegram-staff.js';
import { CHOICE_PREFIX } from '../../../services/staff-commands/index.js';
import type { CallbackSigner } from '../staff/callback-data.js';
import { escapeHtml, splitText } from '../render.js';
import { sendFailure } from '../sender.js';
import { keyboardOf } from '../staff/topics.js';

export interface StaffPrivateDeps {
  api: Api;
  coordination: Coordination;
  logger: Logger;
  signer: CallbackSigner;
  staffByTelegramId(id: string): Promise<StaffDoc | null>;
  staffCommand(staff: StaffDoc, line: string, idempotencyKey?: string, where?: 'room' | 'private'): Promise<Sayable[]>;
  /** Whether the case still has a transfer slip waiting for `staff`'s answer (the answer prompt stays open only then). */
  awaitsAnswer(number: string, staff: StaffDoc): Promise<boolean>;
  /** Sends a citizen's message as the citizen side renders it (a staff member may report a problem too). */
  asCitizen(chatId: string, message: Sayable): Promise<number>;
}

/** How long a pressed 答复 waits for the typed answer. */
const ANSWER_WAIT_MS = 24 * 3600_000;
const SLIP_REASON = 'unit.transfer_slip';

type Pending = { number: string; eligible: boolean };
const pendingKey = (userId: string) => `telegram:liaison:answer:${userId}`;

/** The buttons under a transfer slip, as payloads. */
export const slipButtons = (number: string) => [
  [{ label: liaisonZh.ack, payload: `ack:${number}` }],
  [
    { label: liaisonZh.answer, payload: `ans:${number}` },
    { label: liaisonZh.answerIneligible, payload: `no:${number}` },
  ],
];

export function createStaffPrivate(d: StaffPrivateDeps) {
  const { api, signer } = d;

  async function say(chatId: string, s: Sayable): Promise<number> {
    if (s.kind === 'file') {
      const sent = await api.sendDocument(chatId, new InputFile(Buffer.from(s.base64, 'base64'), s.name), s.caption ? { caption: s.caption.slice(0, 1024) } : {});
      return sent.message_id;
    }
    const markup = keyboardOf(
      signer,
      chatId,
      (s.kind === 'choices' ? s.choices : []).map((c) => [{ label: c.label, payload: c.id.startsWith(CHOICE_PREFIX) ? c.id.slice(CHOICE_PREFIX.length) : c.id }]),
    );
    const parts = splitText(s.text).map(escapeHtml);
    let last = 0;
    for (const [i, part] of parts.entries()) {
      const isLast = i === parts.length - 1;
      const sent = await api.sendMessage(chatId, part, {
        parse_mode: 'HTML',
        ...(isLast && markup ? { reply_markup: markup } : {}),
      });
      last = sent.message_id;
    }
    return last;
  }

  const sayAll = async (chatId: string, answers: Sayable[]) => {
    for (const a of answers) await say(chatId, a);
  };
  const refused = (answers: Sayable[]) => answers.some((a) => a.kind !== 'file' && a.text.startsWith(errorZh.prefix));

  const composer = new Composer<Context>();
  const privateChats = composer.chatType('private');
  privateChats.use(async (ctx, next) => {
    const staff = ctx.from ? await d.staffByTelegramId(String(ctx.from.id)) : null;
    if (!staff) return next(); // a citizen: the citizen side answers
    const chatId = String(ctx.chat.id);
    const userId = String(ctx.from!.id);

    if (ctx.callbackQuery) {
      const payload = ctx.callbackQuery.data ? signer.verify(chatId, ctx.callbackQuery.data) : null;
      // Not a staff button: a staff member's own report (a follow-up rating) is the citizen
      // side's, which also refuses anything it did not put on its own messages.
      if (payload === null) return next();
      const key = `telegram:cb:${ctx.callbackQuery.id}`;
      const slip = /^(ack|ans|no):(.+)$/.exec(payload);
      if (slip?.[1] === 'ans' || slip?.[1] === 'no') {
        const pending: Pending = { number: slip[2], eligible: slip[1] === 'ans' };
        await d.coordination.set(pendingKey(userId), JSON.stringify(pending), { ttlMs: ANSWER_WAIT_MS });
        await ctx.answerCallbackQuery();
        // The next text this liaison sends is the answer (see below), whether or not it quotes this prompt.
        await say(chatId, { kind: 'text', text: pending.eligible ? liaisonZh.askAnswer(pending.number) : liaisonZh.askIneligible(pending.number) });
        return;
      }
      const line = slip ? `#${slip[2]} 签收` : payload;
      const answers = await d.staffCommand(staff, line, key, 'private');
      const first = answers[0] && answers[0].kind !== 'file' ? answers[0].text : '';
      await ctx.answerCallbackQuery({ text: Array.from(first.split('\n')[0] ?? '').slice(0, 200).join(''), show_alert: refused(answers) });
      if (slip && !refused(answers) && ctx.callbackQuery.message) {
        // Signed for: the slip keeps only the buttons to answer.
        const rest = keyboardOf(signer, chatId, slipButtons(slip[2]).slice(1));
        await ctx.api
          .editMessageReplyMarkup(chatId, ctx.callbackQuery.message.message_id, { reply_markup: rest ?? { inline_keyboard: [] } })
          .catch((err: unknown) => d.logger.warn({ err }, 'slip buttons not updated'));
      }
      if (!slip) await sayAll(chatId, answers);
      return;
    }

    const text = (ctx.message?.text ?? '').trim();
    const key = `telegram:${chatId}:${ctx.message?.message_id ?? ctx.update.update_id}`;
    if (/^[#＃]/.test(text)) {
      await sayAll(chatId, await d.staffCommand(staff, text, key, 'private'));
      return;
    }
    const raw = text ? await d.coordination.get(pendingKey(userId)) : null;
    if (raw) {
      const pending = JSON.parse(raw) as Pending;
      const answers = await d.staffCommand(staff, `#${pending.number} 答复 ${pending.eligible ? '' : '不符合 '}${text}`, key, 'private');
      // Answered, or nothing left to answer (replied meanwhile, not this unit's): the next text is not an answer.
      if (!refused(answers) || !(await d.awaitsAnswer(pending.number, staff))) await d.coordination.del(pendingKey(userId));
      await sayAll(chatId, answers);
      return;
    }
    await say(chatId, { kind: 'text', text: liaisonZh.hint });
  });

  return {
    composer,
    /** Delivers the dispatcher's messages to a staff member's private chat; a transfer slip gets its buttons. */
    async send(to: Address, message: Sayable, meta: SendMeta): Promise<SendResult> {
      try {
        if (meta.reason?.startsWith('citizen.')) return { ok: true, channelMessageId: String(await d.asCitizen(to.id, message)) };
        if (meta.reason === SLIP_REASON && meta.caseNumber && message.kind !== 'file') {
          const markup = keyboardOf(signer, to.id, slipButtons(meta.caseNumber));
          const parts = splitText(message.text).map(escapeHtml);
          let last = 0;
          for (const [i, part] of parts.entries())
            last = (await api.sendMessage(to.id, part, { parse_mode: 'HTML', ...(i === parts.length - 1 && markup ? { reply_markup: markup } : {}) })).message_id;
          return { ok: true, channelMessageId: String(last) };
        }
        return { ok: true, channelMessageId: String(await say(to.id, message)) };
      } catch (e) {
        return sendFailure(e, to);
      }
    },
  };
}
