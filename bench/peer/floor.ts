// The floor: a bare grammY bot that touches one JSON key per update (one GET, one SET) and
// answers once. Nothing a real desk needs, so the cost of grammY, ioredis and one key read and
// written is all that is left.
import type { Redis } from 'ioredis';
import { offlineBot } from '../_telegram.js';

export function floorBot(redis: Redis, prefix: string) {
  const bot = offlineBot();
  bot.on(['message:text', 'callback_query:data'], async (ctx) => {
    const key = `${prefix}${ctx.chat!.id}`;
    const raw = await redis.get(key);
    const state = raw ? (JSON.parse(raw) as { step: number; answers: string[] }) : { step: 0, answers: [] };
    state.step += 1;
    state.answers.push(ctx.callbackQuery?.data ?? ctx.message?.text ?? '');
    await redis.set(key, JSON.stringify(state), 'EX', 7 * 24 * 3600);
    if (ctx.callbackQuery) await ctx.answerCallbackQuery();
    await ctx.reply(`第 ${state.step} 步已收到`);
  });
  return bot;
}
