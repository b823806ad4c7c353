// The dispatcher against the embedded store and a real Redis, on a hand-moved clock.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MessageDoc } from '../../models/message.js';
import { ManualClock } from '../../services/clock.js';
import type { Coordination } from '../../services/coordination/index.js';
import { chatBucket, createDispatcher, createRelay, type DispatcherOptions } from '../../services/delivery/index.js';
import { RecordingSender } from '../support/recording-sender.js';
import { caseDoc, citizenEntry, type Harness, startHarness } from './harness.js';

let h: Harness;
let coord: Coordination;
let clock: ManualClock;
let telegram: RecordingSender;
let console_: RecordingSender;

beforeAll(async () => {
  h = await startHarness('dispatcher');
  coord = await h.coordination();
});
afterAll(async () => h.close());
beforeEach(async () => {
  await h.models.Case.deleteMany({});
  await h.models.Message.deleteMany({});
  await h.flushRedis();
  // Tuesday 24 Nov 2026, 10:00 in Shanghai: office open, no quiet hours.
  clock = new ManualClock('2026-11-24T10:00:00+08:00');
  telegram = new RecordingSender('telegram');
  console_ = new RecordingSender('console');
});

function dispatcher(over: Partial<DispatcherOptions> = {}) {
  return createDispatcher({
    models: h.models,
    coordination: coord,
    senders: [telegram, console_],
    directory: h.directory,
    clock,
    logger: h.logger,
    // Per-chat buckets run on Redis's real clock; these suites move a manual clock instead.
    limits: { telegram: {} },
    backoff: { baseMs: 10_000, maxMs: 5 * 60_000 },
    ...over,
  });
}

/** A case whose latest change wrote `n` citizen messages, one chat per message. */
async function caseWithMessages(n: number, chatPrefix = '2000') {
  const c = caseDoc({ chatId: chatPrefix });
  c.outbox = Array.from({ length: n }, (_, i) => citizenEntry(c, i + 1, { to: { channel: 'telegram', id: `${chatPrefix}${i}` } }));
  c.outboxAt = c.updatedAt;
  await h.models.Case.create(c);
  return c;
}

const messages = () => h.models.Message.find().lean<MessageDoc[]>().exec();

describe('relay', () => {
  it('loses nothing and duplicates nothing when it dies between copying and acknowledging', async () => {
    const c = await caseWithMessages(3);
    const relay = createRelay({ models: h.models, coordination: coord, clock, logger: h.logger });
    // First relay copies the messages, then "dies" before it removes them from the case.
    await relay.copy(c.outbox);
    // Restarted relay finds the same entries still in the case.
    expect(await relay.relayOnce()).toBe(3);
    expect(await relay.relayOnce()).toBe(0);
    const after = await h.models.Case.findById(c._id).lean().exec();
    expect(after?.outbox).toHaveLength(0);
    expect(after?.outboxAt ?? null).toBeNull();
    expect((await messages()).map((m) => m._id).sort()).toEqual(c.outbox.map((e) => e._id).sort());

    await dispatcher().dispatchOnce();
    expect([...telegram.deliveriesById().values()]).toEqual([1, 1, 1]);
  });

  it('sends nothing for a change that failed its version check', async () => {
    const c = await caseWithMessages(1);
    await createRelay({ models: h.models, coordination: coord, clock, logger: h.logger }).relayOnce();
    // A staff command read version 0 (stale); its update, messages included, must not apply.
    const stale = citizenEntry(c, 1, { _id: `${c._id}:2:1`, sayable: { kind: 'text', text: '不该发出的消息' } });
    const res = await h.models.Case.updateOne(
      { _id: c._id, version: 0 },
      { $push: { outbox: stale }, $min: { outboxAt: clock.now() }, $inc: { version: 1 } },
    );
    expect(res.matchedCount).toBe(0);
    const d = dispatcher();
    await d.relayOnce();
    await d.dispatchOnce();
    expect(telegram.delivered().map((s) => s.meta.messageId)).toEqual([c.outbox[0]._id]);
    expect(await h.models.Message.countDocuments({ _id: stale._id })).toBe(0);
  });

  it('picks up a message pushed while the relay was acknowledging the previous ones', async () => {
    const c = await caseWithMessages(1);
    const relay = createRelay({ models: h.models, coordination: coord, clock, logger: h.logger });
    await relay.copy(c.outbox);
    const later = citizenEntry(c, 9, { _id: `${c._id}:2:1` });
    await h.models.Case.updateOne({ _id: c._id }, { $push: { outbox: later }, $min: { outboxAt: clock.now() } });
    await relay.acknowledge(c._id, [c.outbox[0]._id]);
    expect(await relay.relayOnce()).toBe(1);
    expect(await h.models.Message.countDocuments()).toBe(2);
  });
});

describe('dispatching', () => {
  it('two dispatchers working the same queue send every message exactly once', async () => {
    for (let i = 0; i < 4; i++) await caseWithMessages(50, `3${i}00`);
    const a = dispatcher({ owner: 'a' });
    const b = dispatcher({ owner: 'b' });
    await Promise.all([a.relayOnce(), b.relayOnce()]);
    const [na, nb] = await Promise.all([a.dispatchOnce(), b.dispatchOnce()]);
    expect(na + nb).toBe(200);
    const counts = telegram.deliveriesById();
    expect(counts.size).toBe(200);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    const sent = await messages();
    expect(sent.every((m) => m.state === 'sent' && m.sentAt && m.channelMessageId)).toBe(true);
  });

  it('re-sends a message whose dispatcher died holding it, once the lease runs out', async () => {
    await caseWithMessages(1);
    const d = dispatcher({ leaseMs: 30_000 });
    await d.relayOnce();
    // A dispatcher claims the message and dies before sending.
    await h.models.Message.updateOne({}, { $set: { state: 'sending', leaseOwner: 'dead', leaseUntil: new Date(clock.now().getTime() + 30_000) } });
    expect(await d.dispatchOnce()).toBe(0);
    clock.advance(30_001);
    expect(await d.dispatchOnce()).toBe(1);
    expect(telegram.delivered()).toHaveLength(1);
  });

  it('delivers everything after a sender that failed for twenty minutes recovers', async () => {
    await caseWithMessages(20);
    const recoversAt = clock.now().getTime() + 20 * 60_000;
    telegram.answer(() =>
      clock.now().getTime() < recoversAt ? { ok: false, kind: 'retryable', reason: 'ETIMEDOUT' } : { ok: true },
    );
    // Jitter fixed at its middle: with Math.random, short draws could spend all attempts inside
    // the twenty minutes and make this test flaky (it is about recovery, not about the budget).
    const d = dispatcher({ maxAttempts: 12, random: () => 0.5 });
    await d.relayOnce();
    for (let minute = 0; minute < 40; minute++) {
      await d.dispatchOnce();
      clock.advance(60_000);
    }
    const all = await messages();
    expect(all.filter((m) => m.state === 'sent')).toHaveLength(20);
    expect(all.some((m) => m.attempts > 1)).toBe(true);
    expect([...telegram.deliveriesById().values()]).toEqual(Array(20).fill(1));
  });

  it('honours retry_after for the chat without spending an attempt', async () => {
    const c = await caseWithMessages(1);
    telegram.answer(() => ({ ok: false, kind: 'retry_after', retryAfterMs: 600_000, scope: 'chat', reason: 'Too Many Requests: retry after 600' }));
    const d = dispatcher();
    await d.relayOnce();
    expect(await d.dispatchOnce()).toBe(0);
    const m = (await messages())[0];
    expect(m.state).toBe('pending');
    expect(m.attempts).toBe(0);
    expect(m.nextAttemptAt.getTime()).toBe(clock.now().getTime() + 600_000);
    // Every process now sees the chat blocked.
    const probe = await coord.takeToken(chatBucket(c.outbox[0].to), { capacity: 1, refillPerSecond: 1 });
    expect(probe.allowed).toBe(false);
    expect(probe.retryAfterMs).toBeGreaterThan(500_000);
  });

  it('waits for the per-chat limit instead of sending two messages to one chat at once', async () => {
    const c = caseDoc({ chatId: '4444' });
    c.outbox = [citizenEntry(c, 1), citizenEntry(c, 2)];
    c.outboxAt = c.updatedAt;
    await h.models.Case.create(c);
    const d = dispatcher({ limits: { telegram: { private: { capacity: 1, refillPerSecond: 1 / 600 } } } });
    await d.relayOnce();
    expect(await d.dispatchOnce()).toBe(1);
    const waiting = (await messages()).find((m) => m.state === 'pending');
    expect(waiting?.attempts).toBe(0);
    expect(waiting!.nextAttemptAt.getTime() - clock.now().getTime()).toBeGreaterThan(590_000);
  });

  it('carries on from MongoDB after Redis loses everything', async () => {
    await caseWithMessages(5);
    const d = dispatcher();
    await d.relayOnce();
    telegram.answer(() => ({ ok: false, kind: 'retryable', reason: 'ECONNRESET' }));
    await d.dispatchOnce();
    await h.flushRedis();
    telegram.answer(() => ({ ok: true }));
    clock.advance(60 * 60_000);
    expect(await d.dispatchOnce()).toBe(5);
    expect(telegram.deliveriesById().size).toBe(5);
  });
});

describe('dead letters', () => {
  it('stops at a blocked bot, tells the staff room to phone the citizen, and marks the case', async () => {
    const c = await caseWithMessages(1);
    telegram.answer(() => ({ ok: false, kind: 'permanent', reason: 'Forbidden: bot was blocked by the user' }));
    const d = dispatcher();
    await d.relayOnce();
    expect(await d.dispatchOnce()).toBe(1);
    const dead = await h.models.Message.findById(c.outbox[0]._id).lean<MessageDoc>().exec();
    expect(dead?.state).toBe('dead');
    expect(dead?.lastError).toContain('blocked');

    await d.relayOnce();
    await d.dispatchOnce();
    const alert = console_.textsTo('staff-room');
    expect(alert).toHaveLength(1);
    expect(alert[0]).toContain(c.number);
    expect(alert[0]).toContain('Telegram');
    expect(alert[0]).toContain('bot was blocked by the user');
    expect(alert[0]).toContain('请电话联系诉求人');
    expect(alert[0]).not.toContain('王小明');

    const after = await h.models.Case.findById(c._id).lean().exec();
    expect(after?.citizenUnreachable?.reason).toContain('blocked');
    expect(after?.timeline.map((e) => e.type)).toContain('delivery.dead_letter');
  });

  it('keeps the reporter out of the alert, the timeline and the case when the error text echoes the message', async () => {
    const c = await caseWithMessages(1);
    // A platform error that quotes what was sent: the name spaced and traditional, the phone in numerals.
    telegram.answer(() => ({ ok: false, kind: 'permanent', reason: 'Bad Request: message "王 小明 您好，一三八一二三四五六七八" is too long' }));
    const d = dispatcher();
    await d.relayOnce();
    await d.dispatchOnce();
    await d.relayOnce();
    await d.dispatchOnce();
    const alert = console_.textsTo('staff-room').join('\n');
    expect(alert).toContain('is too long');
    const after = await h.models.Case.findById(c._id).lean().exec();
    const dead = await h.models.Message.findById(c.outbox[0]._id).lean<MessageDoc>().exec();
    for (const seen of [alert, JSON.stringify(after?.timeline), after?.citizenUnreachable?.reason, dead?.lastError]) {
      expect(seen).not.toMatch(/王|小明|一三八|1381/);
    }
  });

  it('gives up after maxAttempts retryable failures and alerts once even when two dispatchers finish it', async () => {
    const c = await caseWithMessages(1);
    telegram.answer(() => ({ ok: false, kind: 'retryable', reason: 'HTTP 502' }));
    const d = dispatcher({ maxAttempts: 3 });
    await d.relayOnce();
    for (let i = 0; i < 10; i++) {
      await d.dispatchOnce();
      clock.advance(10 * 60_000);
    }
    expect(telegram.sent).toHaveLength(3);
    // A second dispatcher that crashed half-way through the same dead letter repeats the case update.
    const { deadLetter } = await import('../../services/delivery/dead-letter.js');
    const m = await h.models.Message.findById(c.outbox[0]._id).lean<MessageDoc>().exec();
    await deadLetter({ models: h.models, directory: h.directory, clock, logger: h.logger }, m!, 'HTTP 502', 'other');
    await d.relayOnce();
    await d.dispatchOnce();
    expect(console_.textsTo('staff-room')).toHaveLength(1);
    expect(console_.textsTo('staff-room')[0]).toContain('已尝试 3 次');
  });
});

describe('order within a chat', () => {
  it('holds a chat\'s later message while an earlier one backs off, lets other chats go on, and sends it right after', async () => {
    const c = caseDoc({ chatId: '6100' });
    c.outbox = [
      citizenEntry(c, 1, { sayable: { kind: 'text', text: '第一条' } }),
      citizenEntry(c, 2, { sayable: { kind: 'text', text: '第二条' } }),
      citizenEntry(c, 3, { to: { channel: 'telegram', id: '6200' }, sayable: { kind: 'text', text: '别的对话' } }),
    ];
    c.outboxAt = c.updatedAt;
    await h.models.Case.create(c);
    telegram.answer((_to, message) => ('text' in message && message.text === '第一条' ? { ok: false, kind: 'retryable', reason: '502 Bad Gateway' } : { ok: true }));
    const d = dispatcher();
    await d.relayOnce();
    expect(await d.dispatchOnce()).toBe(1);
    expect(telegram.textsTo('6200')).toEqual(['别的对话']);
    expect(telegram.textsTo('6100')).toEqual([]);
    // The second was never tried: it waits without spending an attempt.
    const waiting = await h.models.Message.findById(c.outbox[1]._id).lean<MessageDoc>().exec();
    expect(waiting).toMatchObject({ state: 'pending', attempts: 0, waitingFor: c.outbox[0]._id });

    telegram.answer(() => ({ ok: true }));
    clock.advance(10_000);
    // One pass: the first goes at its retry, and its end wakes the second at once.
    expect(await d.dispatchOnce()).toBe(2);
    expect(telegram.textsTo('6100')).toEqual(['第一条', '第二条']);
  });

  it('keeps the order when several dispatchers claim the same chat at once', async () => {
    const c = caseDoc({ chatId: '6300' });
    c.outbox = Array.from({ length: 6 }, (_, i) => citizenEntry(c, i + 1, { sayable: { kind: 'text', text: `第 ${i + 1} 条` } }));
    c.outboxAt = c.updatedAt;
    await h.models.Case.create(c);
    // A slow platform, slowest for the earliest: each send is still in flight when the other
    // workers look for work, and a later one sent alongside would land first.
    telegram.answer((_to, message) => {
      const n = 'text' in message ? Number(/\d+/.exec(message.text)?.[0]) : 0;
      return new Promise((resolve) => setTimeout(() => resolve({ ok: true }), (7 - n) * 10));
    });
    const a = dispatcher({ concurrency: 3 });
    const b = dispatcher({ concurrency: 3 });
    await a.relayOnce();
    for (let round = 0; round < 10 && telegram.delivered().length < 6; round++) {
      await Promise.all([a.dispatchOnce(), b.dispatchOnce()]);
      clock.advance(1_000);
    }
    expect(telegram.textsTo('6300')).toEqual(Array.from({ length: 6 }, (_, i) => `第 ${i + 1} 条`));
  });
});

describe('quiet hours', () => {
  it('holds a citizen push at night and releases it at 08:00; replies and staff alerts go at once', async () => {
    clock.set('2026-11-24T22:15:00+08:00');
    const c = caseDoc({ chatId: '5555', updatedAt: clock.now() });
    c.outbox = [
      citizenEntry(c, 1, { sayable: { kind: 'text', text: '进度推送' } }),
      citizenEntry(c, 2, { reply: true, sayable: { kind: 'text', text: '收到您的补充' } }),
      { ...citizenEntry(c, 3), audience: 'staff', to: { channel: 'console', id: 'staff-room' }, reason: 'case.new' },
    ];
    c.outboxAt = c.updatedAt;
    await h.models.Case.create(c);
    const d = dispatcher();
    await d.relayOnce();
    expect(await d.dispatchOnce()).toBe(2);
    expect(telegram.textsTo('5555')).toEqual(['收到您的补充']);
    expect(console_.textsTo('staff-room')).toHaveLength(1);
    const held = await h.models.Message.findById(c.outbox[0]._id).lean<MessageDoc>().exec();
    expect(held?.attempts).toBe(0);

    clock.set('2026-11-25T07:59:59+08:00');
    expect(await d.dispatchOnce()).toBe(0);
    clock.set('2026-11-25T08:00:00+08:00');
    expect(await d.dispatchOnce()).toBe(1);
    expect(telegram.textsTo('5555')).toEqual(['收到您的补充', '进度推送']);
  });
});

describe('background loop', () => {
  it('delivers what a case change writes while running, and stops cleanly', async () => {
    const { systemClock } = await import('../../services/clock.js');
    const d = dispatcher({ clock: systemClock, pollMs: 50 });
    await d.start();
    const c = caseDoc({ updatedAt: new Date() });
    c.outbox = [{ ...citizenEntry(c, 1), audience: 'staff', to: { channel: 'console', id: 'staff-room' }, reason: 'case.new' }];
    c.outboxAt = c.updatedAt;
    await h.models.Case.create(c);
    d.kick();
    for (let i = 0; i < 200 && console_.delivered().length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    await d.stop();
    expect(console_.textsTo('staff-room')).toHaveLength(1);
    const m = await h.models.Message.findById(c.outbox[0]._id).lean<MessageDoc>().exec();
    expect(m?.state).toBe('sent');
  });
});
