// The store SIGKILLed and restarted (same data directory, same port) while citizens write and
// submit: those submitting during the outage are told their report was not registered and is
// kept, the desk reconnects by itself, their retry registers once, and nothing registered
// before the outage is lost.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../app.js';
import type { ChannelIdentity } from '../../models/vocabulary.js';
import { ManualClock } from '../../services/clock.js';
import { type Coordination, createRedisCoordination } from '../../services/coordination/index.js';
import type { ConversationEngine } from '../../services/conversation/index.js';
import { createLogger } from '../../services/logger.js';
import { engineFor } from '../conversation/harness.js';
import { freePort } from '../support/net.js';
import { deleteRedisKeys } from '../support/redis.js';
import { type StoreProcess, exited, startStoreProcess } from '../support/store-process.js';
import { SUBMIT_STEP, announced, citizenSteps, textOf } from './harness.js';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `test:resilience:store:${randomUUID()}:`;
const dir = mkdtempSync(join(tmpdir(), 'resilience-store-'));
let port: number;
let store: StoreProcess;
let app: App;
let coordination: Coordination;
let engine: ConversationEngine;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const startStore = () => startStoreProcess(join(dir, 'data'), { env: { EMBEDDED_MONGO_PORT: String(port), LOG_LEVEL: 'error' } });

beforeAll(async () => {
  port = await freePort();
  store = await startStore();
  app = await createApp({
    config: { MONGODB_URI: store.uri, MONGODB_DB: 'resilience' },
    clock: new ManualClock('2026-11-24T10:00:00+08:00'),
    logger: createLogger({ level: 'fatal', pretty: false }),
    calendarOverrides: {},
    channels: [],
    workers: false,
  });
  coordination = await createRedisCoordination({ url: redisUrl, prefix });
  engine = engineFor({ app }, coordination);
});
afterAll(async () => {
  await coordination?.close();
  await app?.stop().catch(() => undefined);
  store?.proc.kill('SIGKILL');
  await deleteRedisKeys(redisUrl, prefix);
  rmSync(dir, { recursive: true, force: true });
});

const casesOf = (id: string) => app.models.Case.find({ 'reporter.identity.id': id }).lean().exec();

describe('the store restarted during load', () => {
  it('tells a citizen submitting during the outage, keeps the report, and registers the retry once', async () => {
    const chats = Array.from({ length: 6 }, (_, i): ChannelIdentity => ({ channel: 'telegram', id: `74${i}${Date.now() % 100000}` }));
    const steps = (i: number) => citizenSteps(i).slice(0, SUBMIT_STEP + 1);
    // Three file before the outage; three have written up to the summary.
    const before: (string | null)[] = [];
    for (const [i, who] of chats.entries()) {
      for (const [n, step] of steps(i).entries()) {
        if (i >= 3 && n === SUBMIT_STEP) break;
        const out = await engine.handle(who, { ...step, updateId: `s${n}` });
        if (n === SUBMIT_STEP) before.push(announced(out));
      }
    }
    expect(before.every(Boolean)).toBe(true);

    store.proc.kill('SIGKILL');
    await exited(store.proc);
    const during = await Promise.all(chats.slice(3).map((who) => engine.handle(who, { type: 'choice', id: 'summary:submit', updateId: 'down' })));
    for (const out of during) {
      expect(textOf(out)).toContain('没能登记成功');
      expect(textOf(out)).toContain('内容都还在');
    }

    store = await startStore();
    // The driver reconnects by itself; the citizens press "try again" until it goes through.
    const after: (string | null)[] = [];
    for (const who of chats.slice(3)) {
      let told: string | null = null;
      for (let attempt = 0; attempt < 60 && !told; attempt++) {
        told = announced(await engine.handle(who, { type: 'choice', id: 'submitFailed:retry', updateId: `retry${attempt}` }));
        if (!told) await sleep(250);
      }
      after.push(told);
    }
    expect(after.every(Boolean)).toBe(true);
    for (const [i, who] of chats.entries()) {
      const cases = await casesOf(String(who.id));
      expect(cases, `cases of ${who.id}`).toHaveLength(1);
      expect(cases[0].number).toBe(i < 3 ? before[i] : after[i - 3]);
    }
  });
});
