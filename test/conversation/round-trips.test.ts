// What one update costs in Redis on the common path: every command ioredis sends is counted
// (sendCommand is where each request leaves for the server, scripts included), so a turn that
// grew a third round trip, on first contact, a redelivery or a plain answer, fails here.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Coordination } from '../../services/coordination/index.js';
import type { ConversationInput } from '../../services/conversation/index.js';
import { type TestDesk, startDesk } from '../support/desk.js';
import { allText, chat, engineFor, redisFixture } from './harness.js';

let desk: TestDesk;
const redis = redisFixture();
let coordination: Coordination;
const sent: string[] = [];

beforeAll(async () => {
  desk = await startDesk('conversation_round_trips');
  coordination = await redis.connect();
  const original = Redis.prototype.sendCommand;
  vi.spyOn(Redis.prototype, 'sendCommand').mockImplementation(function (this: Redis, command, stream) {
    sent.push(String((command as { name: string }).name));
    return original.call(this, command, stream);
  });
});
afterAll(async () => {
  vi.restoreAllMocks();
  await redis.close();
  await desk?.close();
});

/** The commands sent while `run` ran. */
async function commandsOf(run: () => Promise<unknown>): Promise<string[]> {
  const from = sent.length;
  await run();
  return sent.slice(from);
}

describe('Redis round trips per update', () => {
  it('costs at most two on every step of writing a report, on first contact and for a redelivery', async () => {
    // Default rate limit, lock and de-duplication: nothing switched off to get here.
    const engine = engineFor(desk, coordination, { rateLimit: undefined });
    const c = chat(engine);
    // Scripts are loaded once per connection (EVALSHA answers NOSCRIPT the first time): warm up on another chat.
    await chat(engine).say('你好');
    const steps: ConversationInput[] = [
      { type: 'command', name: 'start' },
      { type: 'choice', id: 'start:report' },
      { type: 'choice', id: 'privacy:agree' },
      { type: 'choice', id: 'scope:none' },
      { type: 'text', text: '营业执照变更' },
      { type: 'choice', id: 'problem:complex' },
      { type: 'text', text: '窗口让我先去3号窗口盖章，3号窗口又让我回来，来回跑了三趟。' },
      { type: 'choice', id: 'account:done' },
      { type: 'text', text: '市场准入综合窗口' },
      { type: 'text', text: '张三' },
      { type: 'text', text: '138 1234 5678' },
    ];
    const perStep: string[][] = [];
    for (const [i, input] of steps.entries()) perStep.push(await commandsOf(() => c.send({ ...input, updateId: `u${i}` })));
    for (const commands of perStep) expect(commands.length).toBeLessThanOrEqual(2);
    // One to take the chat and read it, one to write it and free it.
    expect(perStep[0]).toEqual(['evalsha', 'evalsha']);
    // The summary was the answer; the redelivered last update hears it again, for two round trips too.
    let again: unknown;
    const redelivery = await commandsOf(async () => {
      again = await c.send({ ...steps.at(-1)!, updateId: `u${steps.length - 1}` });
    });
    expect(redelivery.length).toBeLessThanOrEqual(2);
    expect(allText(again as never)).toContain('营业执照变更');
  });
});
