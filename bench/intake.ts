// npm run bench -- intake [--citizens 2000] [--inflight 200] [--rounds 3] [--submitters 300] [--only submit]
// `--only submit` runs only the last part (citizens submitting at once on the real case services)
// and prints its line, with the store round trips and the CPU of both processes per registration;
// BENCH_PROFILE=file.cpuprofile writes a CPU profile of the bot process over those submits.
// The desk's conversation engine behind grammY's update handling (a Bot with botInfo set,
// bot.handleUpdate fed simulated Telegram updates, API calls answered locally) on the real
// Redis layer, side by side in one run with the peer (@grammyjs/conversations +
// @grammyjs/storage-redis, bench/peer/) and the floor (a bare grammY bot, one GET and one SET
// per update), on the same Redis: a redis-server of its own when one is installed, so that its
// command counters see this bench only. Rounds are interleaved (engine, peer, floor, engine, …)
// and the medians reported. Then the engine with the real case services on the embedded store:
// many citizens submitting their report at once.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { createServer } from 'node:net';
import type { Bot, Context } from 'grammy';
import type { Update } from 'grammy/types';
import { Redis } from 'ioredis';
import { createApp } from '../app.js';
import { ManualClock } from '../services/clock.js';
import { type Coordination, createRedisCoordination } from '../services/coordination/index.js';
import { createConversationEngine } from '../services/conversation/index.js';
import { createLogger } from '../services/logger.js';
import { arg } from './_args.js';
import { storeProcess } from './_store-process.js';
import { stubDesk } from './_stub-desk.js';
import { apiCalls, citizenScript, engineBot, updateOf } from './_telegram.js';
import { floorBot } from './peer/floor.js';
import { peerBot } from './peer/conversations.js';

type StackName = 'engine' | 'peer' | 'floor';
const STACKS: StackName[] = ['engine', 'peer', 'floor'];
/** BENCH_ONLY=engine (say) measures one stack alone, e.g. under --cpu-prof; the report then shows only it. */
const ONLY = process.env.BENCH_ONLY as StackName | undefined;
const LABEL: Record<StackName, string> = {
  engine: "this desk's engine (lock, de-dup, rate limit on)",
  peer: '@grammyjs/conversations + storage-redis (peer)',
  floor: 'bare grammY bot, one GET + one SET (floor)',
};

interface OwnRedis {
  url: string;
  own: boolean;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** A throwaway redis-server (no persistence) so INFO commandstats counts this bench only; REDIS_URL when none is installed. */
async function ownRedis(): Promise<OwnRedis> {
  const port = await freePort();
  try {
    execFileSync('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no', '--bind', '127.0.0.1', '--daemonize', 'yes'], { stdio: 'ignore' });
  } catch {
    const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
    return { url, own: false, stop: async () => undefined };
  }
  const url = `redis://127.0.0.1:${port}`;
  const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => 50 });
  probe.on('error', () => undefined);
  for (let i = 0; i < 100; i++) {
    try {
      await probe.connect();
      await probe.ping();
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    url,
    own: true,
    stop: async () => {
      await probe.call('SHUTDOWN', 'NOSAVE').catch(() => undefined);
      probe.disconnect();
    },
  };
}

// Every request an ioredis client sends passes through sendCommand: counting there counts round
// trips (nothing here pipelines), scripts as one.
let roundTrips = 0;
let uncounted: Redis | null = null;
const sendCommand = Redis.prototype.sendCommand;
Redis.prototype.sendCommand = function (this: Redis, ...args: Parameters<Redis['sendCommand']>) {
  if (this !== uncounted) roundTrips++;
  return sendCommand.apply(this, args);
};

async function commandsExecuted(admin: Redis): Promise<number> {
  const info = String(await admin.info('commandstats'));
  let calls = 0;
  for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) if (m[1] !== 'info') calls += Number(m[2]);
  return calls;
}

interface Built {
  bot: Bot<Context>;
  prefix: string;
  close(): Promise<void>;
}

async function build(stack: StackName, url: string): Promise<Built> {
  const prefix = `bench:${stack}:${randomUUID().slice(0, 8)}:`;
  if (stack === 'engine') {
    const coordination: Coordination = await createRedisCoordination({ url, prefix });
    const engine = createConversationEngine({ ...stubDesk(), coordination });
    return { bot: engineBot(engine), prefix, close: () => coordination.close() };
  }
  const redis = new Redis(url);
  const bot = (stack === 'peer' ? peerBot(redis, prefix) : floorBot(redis, prefix)) as unknown as Bot<Context>;
  return { bot, prefix, close: async () => void (await redis.quit()) };
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

let chatSeq = 800_000_000;

/** `citizens` each send their 11 updates one after another; `inflight` citizens at a time. */
async function load(bot: Bot<Context>, citizens: number, inflight: number) {
  const scripts = Array.from({ length: citizens }, (_, i) => ({ chat: ++chatSeq, steps: citizenScript(i) }));
  const latencies: number[] = [];
  let next = 0;
  const worker = async () => {
    for (;;) {
      const c = scripts[next++];
      if (!c) return;
      for (const step of c.steps) {
        const update: Update = updateOf(c.chat, step);
        const t0 = performance.now();
        await bot.handleUpdate(update);
        latencies.push(performance.now() - t0);
      }
    }
  };
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: Math.min(inflight, citizens) }, worker));
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  latencies.sort((a, b) => a - b);
  return { updates: latencies.length, wallMs: wall, cpuUs: cpu.user + cpu.system, latencies };
}

interface Row {
  updatesPerS: number[];
  cpuPerUpdate: number[];
  p50: number[];
  p99: number[];
  commands: number[];
  trips: number[];
  messages: number[];
  p50at1: number;
  p99at1: number;
  bytesByStep: number[];
  memoryByStep: number[];
}

/** One citizen through the stack; after each update the bytes stored and MEMORY USAGE of the conversation's keys. */
async function memoryByStep(stack: StackName, url: string, admin: Redis) {
  const built = await build(stack, url);
  const chat = ++chatSeq;
  const bytes: number[] = [];
  const memory: number[] = [];
  try {
    for (const step of citizenScript(7)) {
      await built.bot.handleUpdate(updateOf(chat, step));
      const keys = (await admin.keys(`${built.prefix}*${chat}*`)).filter((k) => !k.includes(':lock:'));
      let b = 0;
      let m = 0;
      for (const k of keys) {
        m += Number(await admin.memory('USAGE', k, 'SAMPLES', 0));
        const type = await admin.type(k);
        if (type === 'string') b += Number(await admin.strlen(k));
        else if (type === 'hash') for (const f of await admin.hkeys(k)) b += Number(await admin.hstrlen(k, f));
      }
      bytes.push(b);
      memory.push(m);
    }
  } finally {
    await built.close();
  }
  return { bytes, memory };
}

/** BENCH_PROFILE=file.cpuprofile: a CPU profile of the bot process over the submits only, not the dialogues before them. */
async function startProfile(): Promise<{ stop(): Promise<void> }> {
  const file = process.env.BENCH_PROFILE;
  if (!file) return { stop: async () => undefined };
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 200 });
  await post('Profiler.start');
  return {
    stop: async () => {
      const { profile } = (await post('Profiler.stop')) as { profile: object };
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

/** The URI with the driver's command monitoring on, so the submits' wire commands can be counted. */
function withMonitoring(uri: string): string {
  return `${uri}${uri.includes('?') ? '&' : '?'}monitorCommands=true`;
}

/** User + system CPU of another process so far, in µs (Linux /proc; NaN elsewhere). */
function procCpuUs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / 100; // utime, stime in USER_HZ (100)
  } catch {
    return Number.NaN;
  }
}

/** The engine on the real case services: every citizen writes a report, then all submit at once. */
async function submitAtOnce(url: string, submitters: number) {
  const external = process.env.MONGODB_URI;
  const store = external ? null : await storeProcess();
  const logger = createLogger({ level: 'error', pretty: false });
  const app = await createApp({
    config: { MONGODB_URI: withMonitoring(external ?? store!.uri), MONGODB_DB: `bench_intake_${randomUUID().slice(0, 8)}` },
    clock: new ManualClock('2026-11-24T10:00:00+08:00'),
    logger,
    calendarOverrides: {},
    channels: [],
  });
  const coordination = await createRedisCoordination({ url, prefix: `bench:submit:${randomUUID().slice(0, 8)}:` });
  try {
    const engine = createConversationEngine({ coordination, cases: app.cases, directory: app.directory, calendar: app.calendar, logger, site: 'city' });
    const bot = engineBot(engine);
    const chats = Array.from({ length: submitters }, () => ++chatSeq);
    await Promise.all(
      chats.map(async (chat, i) => {
        for (const step of citizenScript(i)) await bot.handleUpdate(updateOf(chat, step));
      }),
    );
    // Wire commands the submits send (the driver's command monitoring), and the CPU both
    // processes spend on them: the store's from /proc, as it is another process.
    const client = app.connection.getClient();
    const commands = new Map<string, number>();
    const count = (e: { commandName: string; command: Record<string, unknown> }) => {
      const coll = e.command[e.commandName];
      const k = `${e.commandName} ${typeof coll === 'string' ? coll : ''}`.trim();
      commands.set(k, (commands.get(k) ?? 0) + 1);
    };
    client.on('commandStarted', count);
    const profile = await startProfile();
    const storeCpu0 = store ? procCpuUs(store.child.pid!) : 0;
    const cpu0 = process.cpuUsage();
    const latencies: number[] = [];
    const t0 = performance.now();
    await Promise.all(
      chats.map(async (chat) => {
        const s = performance.now();
        await bot.handleUpdate(updateOf(chat, { press: 'summary:submit' }));
        latencies.push(performance.now() - s);
      }),
    );
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    await profile.stop();
    const storeCpuUs = store ? procCpuUs(store.child.pid!) - storeCpu0 : Number.NaN;
    client.off('commandStarted', count);
    latencies.sort((a, b) => a - b);
    const registered = await app.models.Case.countDocuments({ channel: 'telegram' });
    return {
      registered,
      wallMs,
      p50: pct(latencies, 50),
      p99: pct(latencies, 99),
      external: Boolean(external),
      commands: [...commands].sort((a, b) => b[1] - a[1]),
      botCpuUs: cpu.user + cpu.system,
      storeCpuUs,
    };
  } finally {
    await coordination.close();
    if (external) await app.connection.dropDatabase().catch(() => undefined);
    await app.stop();
    store?.child.kill('SIGTERM');
  }
}

export async function run(args: string[]): Promise<void> {
  const citizens = arg(args, 'citizens', 2000);
  const inflight = arg(args, 'inflight', 200);
  const rounds = arg(args, 'rounds', 3);
  const submitters = arg(args, 'submitters', 300);
  const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
  if (only !== undefined && only !== 'submit') throw new Error('--only expects "submit"');
  const redis = await ownRedis();
  const admin = new Redis(redis.url);
  uncounted = admin;
  const steps = citizenScript(0).length;
  console.log(
    `intake bench: ${citizens} simulated citizens × ${steps} updates, ${inflight} in flight, ${rounds} interleaved rounds (medians); ` +
      `Redis ${redis.own ? `of its own at ${redis.url}` : `at ${redis.url} (shared: command counts include other clients)`}`,
  );
  const rows = Object.fromEntries(
    STACKS.map((s) => [s, { updatesPerS: [], cpuPerUpdate: [], p50: [], p99: [], commands: [], trips: [], messages: [], p50at1: 0, p99at1: 0, bytesByStep: [], memoryByStep: [] } as Row]),
  ) as Record<StackName, Row>;
  try {
    if (only === 'submit') {
      console.log(submitLine(await submitAtOnce(redis.url, submitters), submitters));
      return;
    }
    for (let round = 0; round < rounds; round++) {
      for (const stack of STACKS) {
        if (ONLY && stack !== ONLY) continue;
        if (redis.own) await admin.flushall();
        const built = await build(stack, redis.url);
        try {
          await load(built.bot, 20, 20); // warm-up: JIT, script cache
          const commands0 = await commandsExecuted(admin);
          const trips0 = roundTrips;
          const sent0 = apiCalls.sendMessage;
          const r = await load(built.bot, citizens, inflight);
          const row = rows[stack];
          row.updatesPerS.push(r.updates / (r.wallMs / 1000));
          row.cpuPerUpdate.push(r.cpuUs / r.updates);
          row.p50.push(pct(r.latencies, 50));
          row.p99.push(pct(r.latencies, 99));
          row.commands.push(((await commandsExecuted(admin)) - commands0) / r.updates);
          row.trips.push((roundTrips - trips0) / r.updates);
          row.messages.push((apiCalls.sendMessage - sent0) / r.updates);
          process.stderr.write(`  round ${round + 1} ${stack}: ${(r.updates / (r.wallMs / 1000)).toFixed(0)} updates/s, ${(r.cpuUs / r.updates).toFixed(0)} µs CPU/update\n`);
        } finally {
          await built.close();
        }
      }
    }
    if (ONLY) return;
    for (const stack of STACKS) {
      const built = await build(stack, redis.url);
      try {
        const r = await load(built.bot, Math.max(10, Math.floor(citizens / 40)), 1);
        rows[stack].p50at1 = pct(r.latencies, 50);
        rows[stack].p99at1 = pct(r.latencies, 99);
      } finally {
        await built.close();
      }
      if (redis.own) await admin.flushall();
      const m = await memoryByStep(stack, redis.url, admin);
      rows[stack].bytesByStep = m.bytes;
      rows[stack].memoryByStep = m.memory;
    }
    const submit = await submitAtOnce(redis.url, submitters);
    report(rows, submit, submitters);
  } finally {
    uncounted = null;
    admin.disconnect();
    await redis.stop();
  }
}

function report(rows: Record<StackName, Row>, submit: Awaited<ReturnType<typeof submitAtOnce>>, submitters: number) {
  const e = rows.engine;
  const m = (r: Row, k: keyof Pick<Row, 'updatesPerS' | 'cpuPerUpdate' | 'p50' | 'p99' | 'commands' | 'trips' | 'messages'>) => median(r[k]);
  const n0 = (v: number) => v.toLocaleString('en-US', { maximumFractionDigits: 0 });
  const n1 = (v: number) => v.toFixed(1);
  const n2 = (v: number) => v.toFixed(2);
  const peak = (r: Row) => Math.max(...r.memoryByStep);
  const header = ['stack', 'updates/s', 'CPU µs/update', 'messages sent/update', 'p50/p99 ms @inflight', 'p50/p99 ms @1', 'Redis commands (round trips)/update', 'peak MEMORY USAGE/conversation'];
  const lines = STACKS.map((s) => {
    const r = rows[s];
    return [
      LABEL[s],
      n0(m(r, 'updatesPerS')),
      n0(m(r, 'cpuPerUpdate')),
      n2(m(r, 'messages')),
      `${n1(m(r, 'p50'))} / ${n1(m(r, 'p99'))}`,
      `${n2(r.p50at1)} / ${n2(r.p99at1)}`,
      `${n2(m(r, 'commands'))} (${n2(m(r, 'trips'))})`,
      `${n0(peak(r))} B`,
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  console.log('');
  console.log(fmt(header));
  console.log(`|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  for (const l of lines) console.log(fmt(l));
  console.log('');
  console.log('bytes stored / MEMORY USAGE per conversation after each update (engine | peer | floor):');
  for (let i = 0; i < e.bytesByStep.length; i++) {
    const cell = (s: StackName) => `${String(rows[s].bytesByStep[i]).padStart(6)} / ${String(rows[s].memoryByStep[i]).padStart(6)}`;
    console.log(`  step ${String(i + 1).padStart(2)}: ${cell('engine')} | ${cell('peer')} | ${cell('floor')}`);
  }
  const ratioPeer = m(e, 'updatesPerS') / m(rows.peer, 'updatesPerS');
  const ratioFloorCpu = m(e, 'cpuPerUpdate') / m(rows.floor, 'cpuPerUpdate');
  const check = (ok: boolean) => (ok ? 'met' : 'NOT met');
  console.log('');
  console.log('targets (ratios from the same run):');
  console.log(`  updates/s ≥ 5× the peer ................ ${n1(ratioPeer)}×  ${check(ratioPeer >= 5)}`);
  console.log(`  CPU per update ≤ 2.5× the floor ......... ${n2(ratioFloorCpu)}×  ${check(ratioFloorCpu <= 2.5)}  (peer: ${n2(m(rows.peer, 'cpuPerUpdate') / m(rows.floor, 'cpuPerUpdate'))}×)`);
  console.log(`  ≤ 2 Redis round trips per update ........ ${n2(m(e, 'trips'))}  ${check(m(e, 'trips') <= 2)}`);
  console.log(`  peak MEMORY USAGE ≤ 1,536 B/conversation  ${n0(peak(e))} B  ${check(peak(e) <= 1536)}`);
  console.log(submitLine(submit, submitters));
}

function submitLine(submit: Awaited<ReturnType<typeof submitAtOnce>>, submitters: number): string {
  const n0 = (v: number) => v.toLocaleString('en-US', { maximumFractionDigits: 0 });
  const check = (ok: boolean) => (ok ? 'met' : 'NOT met');
  const regPerS = submit.registered / (submit.wallMs / 1000);
  return (
    `  ${submitters} citizens submitting at once (real case services, ${submit.external ? 'MongoDB at MONGODB_URI' : 'embedded store in its own process'}): ` +
    `p50 ${n0(submit.p50)} ms, p99 ${n0(submit.p99)} ms (target < 500: ${check(submit.p99 < 500)}), ` +
    `${n0(regPerS)} registrations/s (target ≥ 300: ${check(regPerS >= 300)}), ${submit.registered}/${submitters} registered\n` +
    `    per registration: CPU ${n0(submit.botCpuUs / submitters)} µs in the bot process, ${n0(submit.storeCpuUs / submitters)} µs in the store; ` +
    `${(submit.commands.reduce((t, [, c]) => t + c, 0) / submitters).toFixed(2)} store commands (${submit.commands
      .map(([k, c]) => `${k} ${(c / submitters).toFixed(2)}`)
      .join(', ')})`
  );
}
