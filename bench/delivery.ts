// npm run bench -- delivery [--messages 10000] [--chats 2000]
// Two dispatchers (two MongoDB connections, two Redis clients: what two processes would have)
// deliver case messages to a local fake Bot API that enforces Telegram's flood limits. Prints the
// achieved rate as a share of the 30/s bot limit, the 429s received, duplicates and losses.
import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import type { CaseDoc } from '../models/case.js';
import { startEmbeddedStore } from '../models/embedded/index.js';
import { createModels, syncIndexes } from '../models/index.js';
import type { OutboxEntry } from '../models/message.js';
import { createWorkCalendar } from '../services/calendar/index.js';
import { systemClock } from '../services/clock.js';
import { createRedisCoordination } from '../services/coordination/index.js';
import { createDispatcher } from '../services/delivery/index.js';
import type { SendResult, Sender } from '../services/delivery/sender.js';
import { createDirectory, loadDirectoryFile, syncDirectory } from '../services/directory/index.js';
import { createLogger } from '../services/logger.js';
import { type FakeBotApi, startFakeBotApi } from './_fake-bot-api.js';
import { arg } from './_args.js';
import { caseDoc } from '../test/support/case-doc.js';

/** The smallest Telegram sender that speaks sendMessage; the real one lives in bots/telegram. */
function benchSender(api: FakeBotApi, token: string): Sender {
  return {
    channel: 'telegram',
    async send(to, message): Promise<SendResult> {
      const text = message.kind === 'file' ? message.name : message.text;
      const res = await fetch(`${api.url}/bot${token}/sendMessage`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ chat_id: to.id, text }),
      });
      const body = (await res.json()) as { ok: boolean; result?: { message_id: number }; description?: string; parameters?: { retry_after?: number } };
      if (body.ok) return { ok: true, channelMessageId: String(body.result?.message_id) };
      if (res.status === 429) {
        return { ok: false, kind: 'retry_after', retryAfterMs: (body.parameters?.retry_after ?? 1) * 1000, scope: 'chat', reason: body.description ?? '429' };
      }
      return { ok: false, kind: res.status >= 500 ? 'retryable' : 'permanent', reason: body.description ?? String(res.status) };
    },
  };
}

export async function run(args: string[]): Promise<void> {
  const total = arg(args, 'messages', 10_000);
  const chats = arg(args, 'chats', 2_000);
  console.log(`delivery bench: ${total} messages to ${chats} private chats, 2 dispatchers, fake Bot API (30/s bot, 1/s chat, 20/min group)`);

  const store = await startEmbeddedStore({ dataDir: null, port: 0 });
  const api = await startFakeBotApi();
  const logger = createLogger({ level: 'warn', pretty: false });
  const prefix = `bench:delivery:${randomUUID()}:`;
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const calendar = createWorkCalendar();
  const conns = [
    await mongoose.createConnection(store.uri, { dbName: 'bench' }).asPromise(),
    await mongoose.createConnection(store.uri, { dbName: 'bench' }).asPromise(),
  ];
  const models = conns.map((c) => createModels(c));
  await syncIndexes(models[0]);
  await syncDirectory(models[0], loadDirectoryFile('config/directory.json'));

  // One case per chat; message i goes to chat i % chats, so consecutive messages hit different chats.
  const start = Date.now();
  const cases: CaseDoc[] = [];
  for (let k = 0; k < chats; k++) {
    cases.push(
      caseDoc({
        chatId: String(100_000 + k),
        number: `B${String(k).padStart(6, '0')}`,
        acceptedAt: new Date(start),
        status: 'handling',
        outboxAt: new Date(start),
      }),
    );
  }
  for (let i = 0; i < total; i++) {
    const c = cases[i % chats];
    const entry: OutboxEntry = {
      _id: `${c._id}:1:${c.outbox.length + 1}`,
      audience: 'citizen',
      to: { channel: 'telegram', id: c.reporter.identity!.id },
      site: 'city',
      caseId: c._id.toString(),
      caseNumber: c.number,
      sayable: { kind: 'text', text: `bench message ${i}` },
      reply: true, // answers, so quiet hours do not hold them whatever time the bench runs
      createdAt: new Date(start - total + i),
      reason: 'bench',
    };
    c.outbox.push(entry);
  }
  for (let i = 0; i < cases.length; i += 500) await models[0].Case.insertMany(cases.slice(i, i + 500));

  const coordinations = [await createRedisCoordination({ url: redisUrl, prefix }), await createRedisCoordination({ url: redisUrl, prefix })];
  const dispatchers = models.map((m, i) =>
    createDispatcher({
      models: m,
      coordination: coordinations[i],
      senders: [benchSender(api, 'bench-bot')],
      directory: createDirectory({ models: m, localDate: calendar.localDate }),
      clock: systemClock,
      logger,
      owner: `bench-${i}`,
      pollMs: 250,
    }),
  );
  const t0 = Date.now();
  for (const d of dispatchers) await d.start();

  let lastProgress = 0;
  let lastChange = Date.now();
  let lastReport = Date.now();
  while (api.texts.size < total && Date.now() - lastChange < 60_000) {
    await new Promise((r) => setTimeout(r, 250));
    if (api.texts.size !== lastProgress) {
      lastProgress = api.texts.size;
      lastChange = Date.now();
    }
    if (Date.now() - lastReport >= 15_000) {
      lastReport = Date.now();
      console.log(`  … ${api.texts.size}/${total} delivered, ${api.tooMany} × 429 so far`);
    }
  }
  const t1 = Date.now();
  for (const d of dispatchers) await d.stop();

  const states = await models[0].Message.aggregate<{ _id: string; n: number }>([{ $group: { _id: '$state', n: { $sum: 1 } } }]);
  const duplicates = [...api.texts.values()].reduce((a, n) => a + (n - 1), 0);
  const losses = total - api.texts.size;
  const span = ((api.lastAt ?? t1) - (api.firstAt ?? t0)) / 1000;
  const rate = (api.texts.size - 1) / Math.max(span, 0.001);
  console.log(`parameters: --messages ${total} --chats ${chats}`);
  console.log(`delivered:  ${api.texts.size} unique in ${((t1 - t0) / 1000).toFixed(1)} s (first→last send ${span.toFixed(1)} s)`);
  console.log(`rate:       ${rate.toFixed(2)} messages/s = ${((rate / 30) * 100).toFixed(1)}% of the 30/s bot limit`);
  console.log(`429s:       ${api.tooMany}`);
  console.log(`duplicates: ${duplicates}`);
  console.log(`losses:     ${losses}`);
  console.log(`messages:   ${states.map((s) => `${s._id}=${s.n}`).join(' ')}`);

  for (const c of coordinations) await c.close();
  for (const c of conns) await c.close();
  await api.close();
  await store.close();
}
