// grammY without a network, for the intake bench: simulated Telegram updates from citizens, a
// Bot whose API calls are answered locally (so ctx.reply runs grammY's whole sending path up to
// the HTTP request), and the translation from updates to the engine's input that a Telegram
// channel makes.
import { Bot, type Context } from 'grammy';
import type { Update, UserFromGetMe } from 'grammy/types';
import type { ConversationEngine, ConversationInput } from '../services/conversation/index.js';

export const BOT_INFO: UserFromGetMe = {
  id: 4242,
  is_bot: true,
  first_name: '办不成事反映',
  username: 'banbucheng_bench_bot',
  can_join_groups: false,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
} as UserFromGetMe;

export type Step = { press: string } | { say: string };

const PROBLEMS = ['materials', 'complex', 'staff', 'not_stationed', 'unknown_department', 'other'];

/** One citizen's report up to the summary, 11 updates, as presses and typed answers. */
export function citizenScript(i: number): Step[] {
  return [
    { say: '/start' },
    { press: 'start:report' },
    { press: 'privacy:agree' },
    { press: 'scope:none' },
    { say: `食品经营许可变更（第${i}号模拟）` },
    { press: `problem:${PROBLEMS[i % PROBLEMS.length]}` },
    { say: '窗口说我的材料不全，但没有告诉我缺什么，已经来了两次，第二次换了工作人员说法又不一样。' },
    { press: 'account:done' },
    { say: i % 2 ? '市场准入综合窗口' : '3号窗口' },
    { say: '王小明' },
    { say: `138${String(10_000_000 + i).slice(-8)}` },
  ];
}

let updateId = 500_000_000;
let messageId = 1;

/** The Telegram update a citizen's step arrives as. */
export function updateOf(chatId: number, step: Step): Update {
  const chat = { id: chatId, type: 'private' as const, first_name: '市民' };
  const from = { id: chatId, is_bot: false, first_name: '市民', language_code: 'zh-hans' };
  const date = Math.floor(Date.now() / 1000);
  if ('press' in step) {
    return {
      update_id: ++updateId,
      callback_query: {
        id: String(updateId),
        from,
        chat_instance: String(chatId),
        data: step.press,
        message: { message_id: messageId++, date, chat, from: { ...BOT_INFO }, text: '请选择' },
      },
    } as Update;
  }
  const entities = step.say.startsWith('/') ? [{ type: 'bot_command' as const, offset: 0, length: step.say.length }] : undefined;
  return { update_id: ++updateId, message: { message_id: messageId++, date, chat, from, text: step.say, ...(entities ? { entities } : {}) } } as Update;
}

/**
 * The Bot API answered in-process: grammY serialises the call and hands it to this fetch as it
 * would to the network; sendMessage returns a message, every other method true.
 */
export const apiCalls = { sendMessage: 0, other: 0 };

const offlineFetch = (async (url: string | URL, init?: { body?: unknown }) => {
  const method = String(url).split('/').pop() ?? '';
  let result: unknown = true;
  if (method === 'sendMessage') apiCalls.sendMessage++;
  else apiCalls.other++;
  if (method === 'sendMessage') {
    const p = JSON.parse(String(init?.body ?? '{}')) as { chat_id?: number; text?: string };
    result = { message_id: messageId++, date: Math.floor(Date.now() / 1000), chat: { id: p.chat_id, type: 'private' }, text: p.text };
  }
  // grammY only reads the body as JSON; a whole Response object would be the bench's cost, not grammY's.
  return { json: async () => ({ ok: true, result }) };
}) as unknown as typeof fetch;

/** A bot whose Bot API answers locally (also inside conversations, which build their own Api from the bot's options). */
export function offlineBot<C extends Context = Context>(): Bot<C> {
  const bot = new Bot<C>('4242:bench', { botInfo: BOT_INFO, client: { fetch: offlineFetch } });
  bot.catch((err) => {
    throw err.error;
  });
  return bot;
}

const COMMANDS = new Set(['start', 'help', 'cancel', 'restart', 'progress', 'withdraw']);

/** What a Telegram channel hands the engine for an update; null for updates it does not handle. */
export function inputOf(ctx: Context): ConversationInput | null {
  const updateId = String(ctx.update.update_id);
  if (ctx.callbackQuery?.data) return { type: 'choice', id: ctx.callbackQuery.data, updateId, locale: 'zh' };
  const text = ctx.message?.text;
  if (text === undefined) return null;
  const command = text.startsWith('/') ? text.slice(1).split(/[\s@]/)[0] : '';
  if (COMMANDS.has(command)) return { type: 'command', name: command as never, updateId, locale: 'zh' };
  return { type: 'text', text, updateId, locale: 'zh' };
}

/** The desk's engine behind grammY: every update to the engine, every answer back as a message (menus as inline keyboards). */
export function engineBot(engine: ConversationEngine): Bot {
  const bot = offlineBot();
  bot.on(['message:text', 'callback_query:data'], async (ctx) => {
    const input = inputOf(ctx);
    if (!input) return;
    if (ctx.callbackQuery) await ctx.answerCallbackQuery();
    const out = await engine.handle({ channel: 'telegram', id: String(ctx.chat!.id) }, input);
    for (const s of out) {
      if (s.kind === 'file') continue;
      if (s.kind === 'choices') {
        await ctx.reply(s.text, { reply_markup: { inline_keyboard: s.choices.map((c) => [{ text: c.label, callback_data: c.id }]) } });
      } else await ctx.reply(s.text);
    }
  });
  return bot;
}
