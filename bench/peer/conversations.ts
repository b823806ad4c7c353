// The peer: the same 11-update report written the way the grammY ecosystem does by default,
// a @grammyjs/conversations conversation (replayed from its stored log on every update) kept in
// Redis by @grammyjs/storage-redis. No lock, no de-duplication, no rate limit: what comes with the
// plugins out of the box.
import { type Conversation, type ConversationFlavor, conversations, createConversation } from '@grammyjs/conversations';
import { RedisAdapter } from '@grammyjs/storage-redis';
import type { Context } from 'grammy';
import type { Redis } from 'ioredis';
import { offlineBot } from '../_telegram.js';

type PeerContext = ConversationFlavor<Context>;

const QUESTIONS: { text: string; choices?: string[] }[] = [
  { text: '您好，这里是“办不成事”反映窗口。', choices: ['start:report', 'start:progress'] },
  { text: '我们会保护您的个人信息，同意后继续。', choices: ['privacy:agree', 'privacy:decline'] },
  { text: '您反映的事项是否涉及诉讼、信访或执法？', choices: ['scope:none', 'scope:some'] },
  { text: '请用一句话说明您要办的事项。' },
  { text: '遇到了什么情况？', choices: ['problem:materials', 'problem:complex', 'problem:other'] },
  { text: '请说说经过。' },
  { text: '还有要补充的吗？', choices: ['account:done'] },
  { text: '涉及哪个窗口或单位？' },
  { text: '请留下您的姓名。' },
  { text: '请留下联系电话。' },
];

async function intake(conversation: Conversation<PeerContext, Context>, ctx: Context) {
  const answers: string[] = [];
  const ask = async (c: Context, q: (typeof QUESTIONS)[number]) =>
    c.reply(q.text, q.choices ? { reply_markup: { inline_keyboard: q.choices.map((id) => [{ text: id, callback_data: id }]) } } : {});
  let current = ctx;
  for (const q of QUESTIONS) {
    await ask(current, q);
    current = await conversation.wait();
    if (current.callbackQuery) await current.answerCallbackQuery();
    answers.push(current.callbackQuery?.data ?? current.message?.text ?? '');
  }
  await current.reply(`请核对您的反映：\n${answers.join('\n')}`, {
    reply_markup: { inline_keyboard: [[{ text: '确认提交', callback_data: 'summary:submit' }]] },
  });
  await conversation.wait();
}

export function peerBot(redis: Redis, prefix: string) {
  const bot = offlineBot<PeerContext>();
  bot.use(
    conversations<PeerContext, Context>({
      storage: { type: 'key', prefix, adapter: new RedisAdapter({ instance: redis, ttl: 7 * 24 * 3600 }) },
    }),
  );
  bot.use(createConversation(intake, 'intake'));
  bot.command('start', (ctx) => ctx.conversation.enter('intake'));
  return bot;
}
