// Citizens in a private chat: Telegram's updates become the conversation engine's events and
// its replies become messages. The rules (what is asked, what is accepted, who may rate a case)
// are the engine's and the services'; this file translates commands and deep links, files, and
// button presses, and answers every press at once — a stale or forged one included.
import { Composer, type Context } from 'grammy';
import type { Message } from 'grammy/types';
import type { ChannelIdentity, Locale } from '../../../models/vocabulary.js';
import type { CitizenEvent, ConversationEngine, ConversationInput } from '../../../services/conversation/index.js';
import type { Sayable } from '../../../models/sayable.js';
import { telegramEn } from '../../../services/locales/en/telegram.js';
import { telegramZh } from '../../../services/locales/zh/telegram.js';
import type { TelegramFeatureContext, TelegramFeatureFactory } from '../feature.js';
import { type Pressed, menuKey, showTurn } from './turn.js';

type Event = CitizenEvent;

const SITE_TTL_MS = 30 * 24 * 3600 * 1000;
const CASE_NUMBER = /^[A-Z]{0,4}\d{11,14}$/;
const SITE_PAYLOAD = /^s_([a-z0-9-]{1,32})$/;
const siteKey = (chatId: number) => `telegram:site:${chatId}`;

export const localeOf = (languageCode: string | undefined): Locale => (languageCode?.toLowerCase().startsWith('en') ? 'en' : 'zh');
const copyFor = (locale: Locale) => (locale === 'en' ? telegramEn : telegramZh);

/** What a command line asks the dialogue for; `siteCode` when a poster's link names a window. */
export function commandEvents(name: string, arg: string): { events: Event[]; siteCode?: string } {
  const a = arg.trim();
  switch (name) {
    case 'start': {
      const site = SITE_PAYLOAD.exec(a);
      if (site) return { events: [{ type: 'command', name: 'start' }, { type: 'choice', id: 'start:report' }], siteCode: site[1] };
      if (CASE_NUMBER.test(a.toUpperCase())) return { events: [{ type: 'command', name: 'progress' }, { type: 'text', text: a.toUpperCase() }] };
      return { events: [{ type: 'command', name: 'start' }] };
    }
    case 'new':
      return { events: [{ type: 'command', name: 'restart' }, { type: 'choice', id: 'start:report' }] };
    case 'status':
      return { events: [{ type: 'command', name: 'progress' }, ...(a ? [{ type: 'text' as const, text: a }] : [])] };
    case 'cancel':
      return { events: [{ type: 'command', name: 'cancel' }] };
    case 'help':
      return { events: [{ type: 'command', name: 'help' }] };
    default:
      return { events: [] };
  }
}

export const CITIZEN_COMMANDS = ['start', 'new', 'status', 'cancel', 'help'] as const;

export const citizenFeature: TelegramFeatureFactory = (f: TelegramFeatureContext) => {
  const { deps } = f;
  const { coordination, logger } = deps;
  const engines = new Map<string, ConversationEngine>();
  const engineFor = (site: string) => {
    const known = engines.get(site);
    if (known) return known;
    const made = deps.conversationEngine(undefined, site);
    engines.set(site, made);
    return made;
  };
  const turnDeps = {
    api: f.api,
    codec: f.codec,
    coordination,
    models: deps.models,
    clock: deps.clock,
    logger,
    kick: () => f.runtime()?.dispatcher.kick(),
  };

  /** Runs `events` as one turn of the chat's dialogue and shows its replies. */
  async function converse(ctx: Context, events: Event[], pressed?: Pressed, notices: string[] = []): Promise<void> {
    const chatId = ctx.chat!.id;
    const who: ChannelIdentity = { channel: 'telegram', id: String(chatId) };
    const locale = localeOf(ctx.from?.language_code);
    const site = (await coordination.get(siteKey(chatId))) ?? deps.site._id;
    const engine = engineFor(site);
    const replies: Sayable[] = notices.map((text) => ({ kind: 'text', text }));
    for (const [i, event] of events.entries()) {
      const said = await engine.handle(who, { ...event, updateId: i ? `${ctx.update.update_id}:${i + 1}` : String(ctx.update.update_id), locale } as ConversationInput);
      // A menu answered by the very next event of this turn was never seen: show only the last.
      replies.push(...(i < events.length - 1 ? said.filter((s) => s.kind !== 'choices') : said));
    }
    await showTurn(turnDeps, { chatId, site, updateId: ctx.update.update_id, replies, ...(pressed ? { pressed } : {}), chosen: copyFor(locale).chosen });
  }

  const composer = new Composer<Context>();
  const chat = composer.chatType('private');

  chat.command([...CITIZEN_COMMANDS], async (ctx) => {
    const name = ctx.message?.text?.slice(1).split(/[@\s]/)[0]?.toLowerCase() ?? '';
    const { events, siteCode } = commandEvents(name, typeof ctx.match === 'string' ? ctx.match : '');
    const notices: string[] = [];
    // A plain /start is a fresh start: reports go to the main center again until another poster is scanned.
    if (name === 'start' && !siteCode && !ctx.match) await coordination.del(siteKey(ctx.chat.id));
    if (siteCode) {
      const copy = copyFor(localeOf(ctx.from?.language_code));
      const site = deps.sites.find((s) => s._id === siteCode);
      if (site) {
        await coordination.set(siteKey(ctx.chat.id), site._id, { ttlMs: SITE_TTL_MS });
        notices.push(copy.siteChosen(site.name));
      } else {
        await coordination.del(siteKey(ctx.chat.id));
        notices.push(copy.unknownSite);
      }
    }
    await converse(ctx, events, undefined, notices);
  });

  chat.on('message:text', (ctx) => converse(ctx, [{ type: 'text', text: ctx.message.text }]));

  chat.on('message:photo', async (ctx) => {
    // Telegram sends every size it made; the last is the largest.
    const best = ctx.message.photo[ctx.message.photo.length - 1];
    const kept = await f.keepFile(best.file_id, 'image/jpeg');
    await converse(ctx, [{ type: 'attachment', kind: 'photo', ...kept, mime: 'image/jpeg' }, ...caption(ctx.message)]);
  });

  chat.on('message:document', async (ctx) => {
    const doc = ctx.message.document;
    const mime = doc.mime_type ?? 'application/octet-stream';
    const kept = await f.keepFile(doc.file_id, mime);
    await converse(ctx, [{ type: 'attachment', kind: 'file', ...kept, mime, ...(doc.file_name ? { name: doc.file_name.slice(0, 255) } : {}) }, ...caption(ctx.message)]);
  });

  chat.on(['message:voice', 'message:audio'], async (ctx) => {
    const v = ctx.message.voice ?? ctx.message.audio!;
    const mime = v.mime_type ?? 'audio/ogg';
    const kept = await f.keepFile(v.file_id, mime);
    const name = ctx.message.audio?.file_name ?? copyFor(localeOf(ctx.from.language_code)).voiceName;
    await converse(ctx, [{ type: 'attachment', kind: 'file', ...kept, mime, name }]);
  });

  chat.on('message:sticker', (ctx) => converse(ctx, [{ type: 'unsupported', kind: 'sticker' }]));
  chat.on('message:location', (ctx) => converse(ctx, [{ type: 'unsupported', kind: 'location' }]));
  chat.on(['message:video', 'message:video_note', 'message:animation'], (ctx) => converse(ctx, [{ type: 'unsupported', kind: 'video' }]));
  chat.on('message', (ctx) => converse(ctx, [{ type: 'unsupported', kind: 'other' }]));

  // What was recorded stays as sent; the citizen is told rather than left thinking the edit counted.
  chat.on('edited_message', (ctx) => ctx.reply(copyFor(localeOf(ctx.from?.language_code)).editIgnored));

  chat.on('callback_query:data', async (ctx) => {
    const q = ctx.callbackQuery;
    const copy = copyFor(localeOf(q.from.language_code));
    const msg = q.message;
    // Telegram builds `message` itself, buttons included: data that is on none of them did not
    // come from pressing this message (a modified client), and changes nothing.
    const buttons = msg && 'reply_markup' in msg ? (msg.reply_markup?.inline_keyboard.flat() ?? []) : [];
    const button = buttons.find((b) => 'callback_data' in b && b.callback_data === q.data);
    const id = button ? await f.codec.decode(q.data) : null;
    if (!msg || !button || id === null) {
      // A message whose buttons are gone (answered, or too old for Telegram to show us whole)
      // was pressed on a screen that had not caught up: stale, not forged.
      const stale = !msg || msg.date === 0 || buttons.length === 0;
      logger.warn({ chat: 'telegram:…', stale }, stale ? 'press on a message too old to read' : 'callback data matches no button of its message; refused');
      await ctx.answerCallbackQuery({ text: stale ? copy.staleButton : copy.forgedButton, show_alert: !stale });
      return;
    }
    // Follow-up ratings belong to a pushed question, not to the dialogue's current menu.
    if (!id.startsWith('fu:')) {
      const current = await coordination.get(menuKey(ctx.chat.id));
      if (current !== String(msg.message_id)) {
        await ctx.answerCallbackQuery({ text: copy.staleButton });
        await ctx.api.editMessageReplyMarkup(ctx.chat.id, msg.message_id, { reply_markup: { inline_keyboard: [] } }).catch(() => undefined);
        return;
      }
    }
    // Answered before the dialogue runs: Telegram's spinner stops whatever the turn takes.
    await ctx.answerCallbackQuery();
    const text = 'text' in msg && typeof msg.text === 'string' ? msg.text : '';
    await converse(ctx, [{ type: 'choice', id }], { messageId: msg.message_id, text, label: button.text });
  });

  // Any other press (a button without data) is still answered.
  chat.on('callback_query', (ctx) => ctx.answerCallbackQuery());

  return { name: 'citizen', composer };
};

function caption(m: Message): Event[] {
  return m.caption?.trim() ? [{ type: 'text', text: m.caption }] : [];
}
