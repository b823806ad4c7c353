// Builds conversation engines from a test desk's parts over a chosen coordination store, and a
// chat helper that talks to them the way a channel adapter would.
import { randomUUID } from 'node:crypto';
import type { Sayable } from '../../models/sayable.js';
import type { ChannelIdentity, Locale } from '../../models/vocabulary.js';
import { type Coordination, createRedisCoordination } from '../../services/coordination/index.js';
import {
  type ConversationEngine,
  type ConversationInput,
  createConversationEngine,
} from '../../services/conversation/index.js';
import type { TestDesk } from '../support/desk.js';
import { deleteRedisKeys } from '../support/redis.js';

export const redisUrl = () => process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Redis coordinations under one random prefix per test file, each on its own connection; all keys removed at the end. */
export function redisFixture() {
  const prefix = `test:conversation:${randomUUID()}:`;
  const opened: Coordination[] = [];
  return {
    prefix,
    async connect(): Promise<Coordination> {
      const c = await createRedisCoordination({ url: redisUrl(), prefix });
      opened.push(c);
      return c;
    },
    async close() {
      await Promise.all(opened.splice(0).map((c) => c.close()));
      await deleteRedisKeys(redisUrl(), prefix);
    },
  };
}

/** An engine over a desk's services (a test desk, or any app a harness or bench started). */
export function engineFor(
  desk: Pick<TestDesk, 'app'>,
  coordination: Coordination,
  over: Partial<Parameters<typeof createConversationEngine>[0]> = {},
): ConversationEngine {
  const { app } = desk;
  return createConversationEngine({
    coordination,
    cases: app.cases,
    directory: app.directory,
    calendar: app.calendar,
    logger: app.logger,
    site: 'city',
    // Tests send fast on purpose; the rate-limit test sets its own.
    rateLimit: { capacity: 1000, refillPerSecond: 1000 },
    ...over,
  });
}

export const textOf = (s: Sayable): string => (s.kind === 'file' ? s.caption ?? s.name : s.text);
export const allText = (out: Sayable[]): string => out.map(textOf).join('\n---\n');

let chats = 0;
/** A chat with a fresh id per call, so tests never share a dialogue. */
export function chat(engine: ConversationEngine, channel: ChannelIdentity['channel'] = 'telegram', locale?: Locale) {
  const who: ChannelIdentity = { channel, id: `${process.pid}${Date.now() % 100000}${++chats}` };
  const send = (input: ConversationInput, via: ConversationEngine = engine) => via.handle(who, locale ? { locale, ...input } : input);
  return {
    who,
    send,
    say: (text: string, updateId?: string) => send({ type: 'text', text, ...(updateId ? { updateId } : {}) }),
    press: (id: string, updateId?: string) => send({ type: 'choice', id, ...(updateId ? { updateId } : {}) }),
  };
}
export type Chat = ReturnType<typeof chat>;

/** A report pressed and typed up to the question about the unit. */
export async function writeReportUntilUnit(c: Chat): Promise<void> {
  await c.send({ type: 'command', name: 'start' });
  await c.press('start:report');
  await c.press('privacy:agree');
  await c.press('scope:none');
  await c.say('营业执照变更');
  await c.press('problem:complex');
  await c.say('窗口让我先去3号窗口盖章，3号窗口又让我回来，来回跑了三趟。');
  await c.press('account:done');
}

/** The whole report, pressing buttons as on Telegram; stops at the summary. */
export async function writeReport(c: Chat, over: { unit?: string; name?: string } = {}): Promise<Sayable[]> {
  await writeReportUntilUnit(c);
  await c.say(over.unit ?? '市场准入综合窗口');
  await c.say(over.name ?? '张三');
  return c.say('138 1234 5678');
}

/** The case number the turn announced, from the "registered, number …" reply. */
export function announcedNumber(out: Sayable[]): string {
  const m = /编号：([A-Z]*\d{11,14})|case number[^\d]*([A-Z]*\d{11,14})/i.exec(allText(out));
  if (!m) throw new Error(`no case number announced in:\n${allText(out)}`);
  return m[1] ?? m[2];
}
