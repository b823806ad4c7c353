// npm run bench -- dialogue [--citizens 300] [--engines 2]
// Many simulated citizens write and submit a whole report at once through the conversation
// engine: real Redis (one connection per engine, as separate bot processes would have) and the
// case services over the embedded store. Prints dialogue steps per second, step latency
// percentiles (all steps, and the submit step that registers the case) and snapshot sizes.
import { randomUUID } from 'node:crypto';
import { createApp } from '../app.js';
import type { Sayable } from '../models/sayable.js';
import type { ChannelIdentity } from '../models/vocabulary.js';
import { ManualClock } from '../services/clock.js';
import { type Coordination, createRedisCoordination } from '../services/coordination/index.js';
import type { ConversationEngine, ConversationInput } from '../services/conversation/index.js';
import { createLogger } from '../services/logger.js';
import { engineFor } from '../test/conversation/harness.js';
import { deleteRedisKeys } from '../test/support/redis.js';
import { arg } from './_args.js';
import { storeProcess } from './_store-process.js';

const PROBLEMS = ['materials', 'complex', 'staff', 'not_stationed', 'unknown_department', 'other'];

/** One citizen's report, as Telegram button presses and typed answers; ends with a supplement after filing. */
function script(i: number): ConversationInput[] {
  const press = (id: string): ConversationInput => ({ type: 'choice', id });
  const say = (text: string): ConversationInput => ({ type: 'text', text });
  return [
    { type: 'command', name: 'start' },
    press('start:report'),
    press('privacy:agree'),
    press('scope:none'),
    say(`食品经营许可变更（第${i}号模拟）`),
    press(`problem:${PROBLEMS[i % PROBLEMS.length]}`),
    say('窗口说我的材料不全，但没有告诉我缺什么，已经来了两次。'),
    say('第二次去的时候换了一个工作人员，说法又不一样，让我回去等通知。'),
    press('account:done'),
    say(i % 2 ? '市场准入综合窗口' : '3号窗口'),
    say('王小明'),
    say(`138${String(10_000_000 + i).slice(-8)}`),
    press('summary:submit'),
    say('补充：营业执照复印件稍后拍照发来。'),
  ];
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const ms = (v: number) => `${v.toFixed(1)} ms`;

export async function run(args: string[]): Promise<void> {
  const citizens = arg(args, 'citizens', 300);
  const engines = arg(args, 'engines', 2);
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const prefix = `bench:dialogue:${randomUUID()}:`;
  const external = process.env.MONGODB_URI;
  const store = external ? null : await storeProcess();
  console.log(
    `dialogue bench: ${citizens} citizens × ${script(0).length} steps at once, ${engines} engines on separate Redis connections, ` +
      (external ? 'MongoDB at MONGODB_URI' : 'embedded store in its own process'),
  );

  const logger = createLogger({ level: 'error', pretty: false });
  // Tuesday 10:00 in Shanghai: office hours, so no registration is deferred.
  const app = await createApp({
    config: { MONGODB_URI: external ?? store!.uri, MONGODB_DB: `bench_dialogue_${randomUUID().slice(0, 8)}` },
    clock: new ManualClock('2026-11-24T10:00:00+08:00'),
    logger,
    calendarOverrides: {},
    channels: [],
  });
  const coordinations: Coordination[] = [];
  try {
    for (let i = 0; i < engines; i++) coordinations.push(await createRedisCoordination({ url: redisUrl, prefix }));
    const bytes: number[] = [];
    const bytesAtSummary: number[] = [];
    const instances: ConversationEngine[] = coordinations.map((coordination) =>
      // Simulated citizens answer instantly: engineFor lifts the human-paced limit that would (rightly) stop them.
      engineFor({ app }, coordination, {
        onTurn: (t) => {
          bytes.push(t.bytes);
          if (t.state === 'summary') bytesAtSummary.push(t.bytes);
        },
      }),
    );

    // Phase 1 writes the report up to the summary: engine + Redis only. Phase 2 submits it and
    // sends a supplement: each step also writes the case in MongoDB. Every citizen runs at once.
    const all = Array.from({ length: citizens }, (_, i) => script(i));
    const submitAt = all[0].findIndex((e) => e.type === 'choice' && e.id === 'summary:submit');
    let filed = 0;
    let silent = 0;
    const phase = async (from: number, to: number) => {
      const latencies: number[] = [];
      const started = performance.now();
      await Promise.all(
        all.map(async (steps, i) => {
          const who: ChannelIdentity = { channel: 'telegram', id: String(700_000_000 + i) };
          for (let n = from; n < to; n++) {
            // Each update goes to whichever process the platform happens to deliver it to.
            const engine = instances[(i + n) % instances.length];
            const t0 = performance.now();
            const out: Sayable[] = await engine.handle(who, { ...steps[n], updateId: String(n) });
            latencies.push(performance.now() - t0);
            if (n === submitAt && out.some((s) => s.kind !== 'file' && s.text.includes('编号'))) filed++;
            if (out.length === 0) silent++;
          }
        }),
      );
      const wall = (performance.now() - started) / 1000;
      latencies.sort((x, y) => x - y);
      return { latencies, wall };
    };
    const write = await phase(0, submitAt);
    const submit = await phase(submitAt, all[0].length);
    const cases = await app.models.Case.countDocuments({ channel: 'telegram' });

    const together = [...write.latencies, ...submit.latencies].sort((x, y) => x - y);
    const wall = write.wall + submit.wall;
    bytes.sort((x, y) => x - y);
    const mean = (xs: number[]) => xs.reduce((sum, x) => sum + x, 0) / Math.max(1, xs.length);
    const line = (r: { latencies: number[]; wall: number }) =>
      `${String(r.latencies.length).padStart(5)} steps  ${(r.latencies.length / r.wall).toFixed(0).padStart(5)} steps/s  ` +
      `p50 ${ms(pct(r.latencies, 50))}  p99 ${ms(pct(r.latencies, 99))}`;
    const rows: [string, string][] = [
      ['whole intake', line({ latencies: together, wall })],
      ['  writing the report (Redis only)', line(write)],
      ['  submit + supplement (+ MongoDB)', line(submit)],
      ['snapshot bytes mean / max', `${mean(bytes).toFixed(0)} / ${bytes.at(-1) ?? 0}`],
      ['snapshot bytes at the summary', mean(bytesAtSummary).toFixed(0)],
      ['cases registered / citizens', `${cases} / ${citizens}${filed === citizens ? '' : `  (only ${filed} told their number)`}`],
      ['steps with no reply', String(silent)],
    ];
    const w = Math.max(...rows.map(([k]) => k.length));
    for (const [k, v] of rows) console.log(`  ${k.padEnd(w)}  ${v}`);
  } finally {
    await Promise.all(coordinations.map((c) => c.close()));
    if (external) await app.connection.dropDatabase().catch(() => undefined);
    await app.stop();
    store?.child.kill('SIGTERM');
    await deleteRedisKeys(redisUrl, prefix);
  }
}
