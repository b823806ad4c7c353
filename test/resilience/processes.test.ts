// Two bot processes on one Redis and one store, as behind a webhook load balancer: every
// update of a burst is delivered to both at once, and a process is SIGKILLed mid-dialogue and
// restarted. What citizens and the desk notice: each update handled once (both deliveries get
// the same answer), one case per report, one supplement, every case number told exists.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sayable } from '../../models/sayable.js';
import type { ChannelIdentity } from '../../models/vocabulary.js';
import type { ConversationInput } from '../../services/conversation/index.js';
import { deleteRedisKeys } from '../support/redis.js';
import type { StoreProcess } from '../support/store-process.js';
import { type BotProcess, SUBMIT_STEP, announced, burstToAll, citizenSteps, startBot, suiteStore, textOf } from './harness.js';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `test:resilience:${randomUUID()}:`;
const dbName = `resilience_${randomBytes(4).toString('hex')}`;
const dir = mkdtempSync(join(tmpdir(), 'resilience-'));
let store: StoreProcess | null = null;
let uri: string;
let mongo: MongoClient;
const env = () => ({ MONGODB_URI: uri, MONGODB_DB: dbName, REDIS_URL: redisUrl, DESK_PREFIX: prefix });
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

beforeAll(async () => {
  ({ uri, store } = await suiteStore(join(dir, 'data')));
  mongo = await MongoClient.connect(uri);
});
afterAll(async () => {
  if (process.env.MONGODB_URI) await mongo?.db(dbName).dropDatabase().catch(() => undefined);
  await mongo?.close();
  store?.proc.kill('SIGKILL');
  await deleteRedisKeys(redisUrl, prefix);
  rmSync(dir, { recursive: true, force: true });
});

const casesOf = (id: string) => mongo.db(dbName).collection('cases').find({ 'reporter.identity.id': id }).toArray();
const caseByNumber = (number: string) => mongo.db(dbName).collection('cases').findOne({ number });

/** What the desk must show for a chat that submitted and then sent one supplement. */
async function expectFiledOnce(who: ChannelIdentity, told: string | null) {
  const cases = await casesOf(String(who.id));
  expect(cases, `cases of ${who.id}`).toHaveLength(1);
  expect(told, `number told to ${who.id}`).toBe(cases[0].number);
  const doc = await caseByNumber(told!);
  if (!doc) throw new Error(`case ${told} told to ${who.id} does not exist`);
  expect(doc.reporter.identity).toEqual(who);
  expect((doc.handling as { kind: string }[]).filter((h) => h.kind === 'supplement')).toHaveLength(1);
}

describe('two bot processes on one Redis and one store', () => {
  it('handles every update of a burst delivered to both processes once: both answers equal, one case and one supplement per report', async () => {
    const bots = await Promise.all([startBot(env()), startBot(env())]);
    try {
      const chats = Array.from({ length: 12 }, (_, i): ChannelIdentity => ({ channel: 'telegram', id: `71${i}${Date.now() % 100000}` }));
      // One of them runs each turn; the other waits for the chat and answers from the saved turn.
      const told = await burstToAll(bots, chats);
      for (const who of chats) await expectFiledOnce(who, told.get(who.id) ?? null);
    } finally {
      await Promise.all(bots.map((b) => b.kill('SIGTERM')));
    }
  });

  it('loses nothing when a bot process is SIGKILLed mid-dialogue: its updates are redelivered, it restarts, every number told exists once', async () => {
    const bots: BotProcess[] = await Promise.all([startBot(env()), startBot(env())]);
    const portA = bots[0].port;
    let redelivered = 0;
    let busy = 0;
    /** As the platform does: an update not answered is delivered again, to whichever process answers. */
    async function deliver(who: ChannelIdentity, input: ConversationInput, first: number): Promise<Sayable[]> {
      for (let attempt = 0; attempt < 100; attempt++) {
        try {
          const out = await bots[(first + attempt) % bots.length].send(who, input);
          // "Busy, send it again": the killed process's lease on the chat has not run out yet.
          if (!textOf(out).includes('请稍后再发')) return out;
          busy++;
        } catch {
          redelivered++;
        }
        await sleep(100);
      }
      throw new Error(`update ${input.updateId} never handled`);
    }
    const chats = Array.from({ length: 12 }, (_, i): ChannelIdentity => ({ channel: 'telegram', id: `72${i}${Date.now() % 100000}` }));
    const told = new Map<string | number, string | null>();
    const total = chats.reduce((sum, _, i) => sum + citizenSteps(i).length, 0);
    let handled = 0;
    const load = Promise.all(
      chats.map(async (who, i) => {
        for (const [n, step] of citizenSteps(i).entries()) {
          const out = await deliver(who, { ...step, updateId: `${who.id}:${n}` }, i + n);
          handled++;
          if (n === SUBMIT_STEP) told.set(who.id, announced(out));
        }
      }),
    );
    // Mid-dialogue (and, for the faster chats, mid-registration): kill one process outright once a
    // third of the updates are answered, however fast the machine, so updates are in flight to it.
    while (handled < total / 3) await sleep(5);
    await bots[0].kill('SIGKILL');
    await sleep(300);
    bots[0] = await startBot(env(), portA);
    try {
      await load;
      expect(redelivered).toBeGreaterThan(0);
      // A chat the dead process held waits out its lease (5 s) once, then carries on.
      expect(busy).toBeLessThanOrEqual(chats.length * 2);
      for (const who of chats) await expectFiledOnce(who, told.get(who.id) ?? null);
    } finally {
      await Promise.all(bots.map((b) => b.kill('SIGTERM')));
    }
  });
});
