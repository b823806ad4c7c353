// The chat platform failing for a long stretch: a local stand-in for the Telegram Bot API
// answers 500s, hangs past the client's timeout and answers 429 with retry_after for twenty
// minutes of the dispatchers' (hand-moved) clock, then recovers. Two dispatchers on their own
// Redis connections share the queue through the real Telegram sender. Afterwards every message
// has been delivered exactly once, and each chat got its messages in the order they were written
// (before the dispatcher sent only the head of each chat, retries on their own back-offs let a
// later message overtake: 2 before 1).
import { createServer, type Server } from 'node:http';
import { Api } from 'grammy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callbackCodec } from '../../bots/telegram/render.js';
import { createTelegramSender } from '../../bots/telegram/sender.js';
import { ManualClock } from '../../services/clock.js';
import { createDispatcher } from '../../services/delivery/index.js';
import { caseDoc, citizenEntry, type Harness, startHarness } from '../delivery/harness.js';

let h: Harness;
let server: Server;
let url: string;
let healthy = false;
let failures = 0;
const delivered: { chat: string; text: string }[] = [];
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

beforeAll(async () => {
  h = await startHarness('resilience_platform');
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      const json = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      if (!healthy) {
        failures++;
        // In turn: an internal error, a hang past the client's timeout, a flood limit.
        const kind = failures % 3;
        if (kind === 0) return json(500, { ok: false, error_code: 500, description: 'Internal Server Error' });
        if (kind === 1) return setTimeout(() => json(502, { ok: false, error_code: 502, description: 'Bad Gateway' }), 1500);
        return json(429, { ok: false, error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } });
      }
      const p = JSON.parse(body || '{}') as { chat_id: number | string; text: string };
      delivered.push({ chat: String(p.chat_id), text: p.text });
      json(200, { ok: true, result: { message_id: delivered.length, date: 0, chat: { id: Number(p.chat_id), type: 'private' }, text: p.text } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  server?.closeAllConnections();
  server?.close();
  await h?.close();
});

/** Four chats with three messages each, two dispatchers, twenty minutes of failures, then recovery. */
async function outageAndRecovery() {
  delivered.length = 0;
  failures = 0;
  healthy = false;
  await h.models.Case.deleteMany({});
  await h.models.Message.deleteMany({});
  await h.flushRedis();
  const clock = new ManualClock('2026-11-24T10:00:00+08:00');
  const chats = ['81001', '81002', '81003', '81004'];
  for (const chat of chats) {
    const c = caseDoc({ chatId: chat });
    c.outbox = [1, 2, 3].map((n) => citizenEntry(c, n, { sayable: { kind: 'text', text: `${chat} 第 ${n} 条` } }));
    c.outboxAt = c.updatedAt;
    await h.models.Case.create(c);
  }
  const dispatchers = await Promise.all(
    [0, 1].map(async () => {
      const coordination = await h.coordination();
      const api = new Api('4242:resilience', { apiRoot: url, timeoutSeconds: 1 });
      const sender = createTelegramSender({ api, codec: callbackCodec(coordination), coordination, features: () => [] });
      return createDispatcher({
        models: h.models,
        coordination,
        senders: [sender],
        directory: h.directory,
        clock,
        logger: h.logger,
        limits: { telegram: {} },
        backoff: { baseMs: 10_000, maxMs: 5 * 60_000 },
        maxAttempts: 30,
        random: () => 0.5,
      });
    }),
  );
  await dispatchers[0].relayOnce();
  const round = async () => {
    await Promise.all(dispatchers.map((d) => d.dispatchOnce()));
    clock.advance(60_000);
  };
  for (let minute = 0; minute < 20; minute++) await round();
  const failedMeanwhile = failures;
  const deliveredMeanwhile = delivered.length;
  healthy = true;
  for (let minute = 0; minute < 60 && delivered.length < chats.length * 3; minute++) {
    await round();
    // A 429's retry_after blocks the bot on Redis's own clock: let that second pass for real.
    await sleep(50);
  }
  return { chats, failedMeanwhile, deliveredMeanwhile };
}

describe('the chat platform failing for twenty minutes', () => {
  it('delivers everything afterwards, each message exactly once, through two dispatchers', async () => {
    const { chats, failedMeanwhile, deliveredMeanwhile } = await outageAndRecovery();
    expect(failedMeanwhile).toBeGreaterThan(6);
    expect(deliveredMeanwhile).toBe(0);
    expect(delivered).toHaveLength(chats.length * 3);
    const texts = delivered.map((d) => d.text);
    expect(new Set(texts).size).toBe(texts.length);
    for (const chat of chats) expect(delivered.filter((d) => d.chat === chat).map((d) => d.text).sort()).toEqual([1, 2, 3].map((n) => `${chat} 第 ${n} 条`));
  });

  it('keeps each chat\'s messages in the order they were written', async () => {
    const { chats } = await outageAndRecovery();
    for (const chat of chats) expect(delivered.filter((d) => d.chat === chat).map((d) => d.text)).toEqual([1, 2, 3].map((n) => `${chat} 第 ${n} 条`));
  });
});
