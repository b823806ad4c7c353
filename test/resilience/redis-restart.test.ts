// Redis restarted under load (a redis-server of the test's own, without persistence, so the
// restart also forgets every dialogue): citizens hear 系统繁忙，请稍后再发 instead of silence or
// an exception, nothing already submitted is lost, and the desk recovers by itself as soon as
// Redis is back: no process restarted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelIdentity } from '../../models/vocabulary.js';
import { type Coordination, createRedisCoordination } from '../../services/coordination/index.js';
import type { ConversationEngine } from '../../services/conversation/index.js';
import { engineFor } from '../conversation/harness.js';
import { type TestDesk, startDesk } from '../support/desk.js';
import { type OwnRedis, SUBMIT_STEP, announced, citizenSteps, ownRedis, textOf } from './harness.js';

let desk: TestDesk;
let redis: OwnRedis;
let coordination: Coordination;
let engine: ConversationEngine;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

beforeAll(async () => {
  desk = await startDesk('resilience_redis_restart', { now: '2026-11-24T10:00:00+08:00', level: 'error' });
  redis = await ownRedis();
  coordination = await createRedisCoordination({ url: redis.url, prefix: 'desk:' });
  engine = engineFor(desk, coordination);
});
afterAll(async () => {
  await coordination?.close();
  await redis?.stop();
  await desk?.close();
});

const casesOf = (id: string) => desk.app.models.Case.find({ 'reporter.identity.id': id }).lean().exec();

/** A whole report and its submission; the number told. */
async function file(who: ChannelIdentity, i: number, tag: string): Promise<string | null> {
  let told: string | null = null;
  for (const [n, step] of citizenSteps(i).slice(0, SUBMIT_STEP + 1).entries()) {
    const out = await engine.handle(who, { ...step, updateId: `${tag}:${n}` });
    if (n === SUBMIT_STEP) told = announced(out);
  }
  return told;
}

describe('Redis restarted during load', () => {
  it('answers 系统繁忙 while it is down, keeps every submitted case, and recovers by itself', async () => {
    const chats = Array.from({ length: 8 }, (_, i): ChannelIdentity => ({ channel: 'telegram', id: `73${i}${Date.now() % 100000}` }));
    // Half the citizens file before the outage.
    const before = await Promise.all(chats.slice(0, 4).map((who, i) => file(who, i, 'before')));
    expect(before.every(Boolean)).toBe(true);

    // The other half are writing when Redis goes away.
    await Promise.all(chats.slice(4).map((who, i) => engine.handle(who, { ...citizenSteps(i)[0], updateId: 'w0' })));
    await redis.stop();
    const during = await Promise.all(chats.map((who) => engine.handle(who, { type: 'text', text: '还在吗？', updateId: 'down' })));
    for (const out of during) expect(textOf(out)).toContain('系统繁忙，请稍后再发');

    await redis.start();
    // The connection comes back on its own (reconnect back-off is capped at 2 s).
    let answered = false;
    for (let i = 0; i < 100 && !answered; i++) {
      const out = await engine.handle(chats[4], { type: 'command', name: 'start', updateId: `probe:${i}` });
      answered = !textOf(out).includes('系统繁忙');
      if (!answered) await sleep(100);
    }
    expect(answered).toBe(true);

    // Redis forgot the dialogues; the citizens start over and file, and nothing filed before is lost.
    const after = await Promise.all(chats.slice(4).map((who, i) => file(who, i + 4, 'after')));
    expect(after.every(Boolean)).toBe(true);
    for (const [i, who] of chats.entries()) {
      const cases = await casesOf(String(who.id));
      expect(cases, `cases of ${who.id}`).toHaveLength(1);
      expect(cases[0].number).toBe(i < 4 ? before[i] : after[i - 4]);
    }
  });
});
