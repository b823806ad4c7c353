// Processes for the resilience suite: bot processes (bot-process.ts) and dispatcher processes
// (dispatcher-process.ts) spawned against one store and one Redis, and a throwaway redis-server of the suite's own that a test may stop and start.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { expect } from 'vitest';
import type { Sayable } from '../../models/sayable.js';
import type { ChannelIdentity } from '../../models/vocabulary.js';
import type { ConversationInput } from '../../services/conversation/index.js';
import { freePort } from '../support/net.js';
import { type StoreProcess, startStoreProcess } from '../support/store-process.js';

const root = new URL('../../', import.meta.url).pathname;

export interface BotProcess {
  proc: ChildProcess;
  port: number;
  /** Sends one update; resolves with the replies, or rejects when the process failed or died. */
  send(who: ChannelIdentity, input: ConversationInput): Promise<Sayable[]>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface DeskEnv {
  MONGODB_URI: string;
  MONGODB_DB: string;
  REDIS_URL: string;
  DESK_PREFIX: string;
  /** The directory every process syncs (one for all of them, or they overwrite each other's). */
  DIRECTORY_FILE?: string;
  /** Moves every process's clock by the same amount, onto a working day. */
  CLOCK_OFFSET_MS?: string;
}

/** A desk process of the suite, once it printed the line that says it is ready. */
interface Spawned {
  proc: ChildProcess;
  ready: RegExpExecArray;
  stderr(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

async function spawnReady(script: string, env: object, ready: RegExp, what: string): Promise<Spawned> {
  const proc = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: root,
    env: { ...process.env, ...env, LOG_LEVEL: 'error' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  proc.stderr!.on('data', (b: Buffer) => {
    err += b.toString();
  });
  const m = await new Promise<RegExpExecArray>((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const found = ready.exec(out);
      if (found) resolve(found);
    });
    proc.once('exit', (code, signal) => reject(new Error(`${what} exited (${code ?? signal}) before it was ready: ${err}`)));
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  return {
    proc,
    ready: m,
    stderr: () => err,
    async kill(signal = 'SIGKILL') {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      await exited;
    },
  };
}

export async function startBot(env: DeskEnv, port?: number): Promise<BotProcess> {
  const p = await spawnReady('test/resilience/bot-process.ts', { ...env, PORT: String(port ?? 0) }, /listening (\d+)/, 'bot process');
  const listening = Number(p.ready[1]);
  return {
    proc: p.proc,
    port: listening,
    async send(who, input) {
      const res = await fetch(`http://127.0.0.1:${listening}/update`, { method: 'POST', body: JSON.stringify({ who, input }) });
      const body = await res.json();
      if (res.status !== 200) throw new Error(`update not handled: ${JSON.stringify(body)}`);
      return body as Sayable[];
    },
    kill: p.kill,
  };
}

export interface DispatcherProcess {
  proc: ChildProcess;
  /** What its delivery leases are signed with (messages.leaseOwner). */
  owner: string;
  /** What it logged (errors only), for a failing test's message. */
  stderr(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** A process running the desk's delivery workers against the Bot API at `api` (the test's fake). */
export async function startDispatcher(
  env: DeskEnv & { DIRECTORY_FILE: string; TELEGRAM_API_ROOT: string; TELEGRAM_BOT_TOKEN: string; LEASE_MS?: string },
): Promise<DispatcherProcess> {
  const p = await spawnReady('test/resilience/dispatcher-process.ts', env, /dispatching (\S+)/, 'dispatcher process');
  return { proc: p.proc, owner: p.ready[1], stderr: p.stderr, kill: p.kill };
}

/**
 * Each chat writes its whole report, every update delivered to every bot at once (a webhook
 * load balancer retrying on the other node). Whichever ran the turn, all must answer alike.
 * Returns the case number each chat was told.
 */
export async function burstToAll(bots: BotProcess[], chats: ChannelIdentity[]): Promise<Map<string | number, string | null>> {
  const told = new Map<string | number, string | null>();
  await Promise.all(
    chats.map(async (who, i) => {
      for (const [n, step] of citizenSteps(i).entries()) {
        const input: ConversationInput = { ...step, updateId: `${who.id}:${n}` };
        const [first, ...others] = await Promise.all(bots.map((bot) => bot.send(who, input)));
        for (const other of others) expect(other).toEqual(first);
        expect(first.length).toBeGreaterThan(0);
        if (n === SUBMIT_STEP) told.set(who.id, announced(first));
      }
    }),
  );
  return told;
}

/** The store a suite's processes share: MONGODB_URI when set, otherwise an in-memory embedded store process of its own. */
export async function suiteStore(dataDir: string): Promise<{ uri: string; store: StoreProcess | null }> {
  if (process.env.MONGODB_URI) return { uri: process.env.MONGODB_URI, store: null };
  const store = await startStoreProcess(dataDir, { env: { EMBEDDED_IN_MEMORY: '1', LOG_LEVEL: 'error' } });
  return { uri: store.uri, store };
}

export interface OwnRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
  start(): Promise<void>;
}

/** A redis-server of the test's own (no persistence), on a port of its own, that the test may stop and start again. */
export async function ownRedis(): Promise<OwnRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const ping = async () => {
    const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    r.on('error', () => undefined);
    try {
      await r.connect();
      return (await r.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      r.disconnect();
    }
  };
  const own: OwnRedis = {
    url,
    port,
    async start() {
      execFileSync('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no', '--bind', '127.0.0.1', '--daemonize', 'yes'], { stdio: 'ignore' });
      for (let i = 0; i < 100 && !(await ping()); i++) await new Promise((r) => setTimeout(r, 50));
    },
    async stop() {
      const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      r.on('error', () => undefined);
      try {
        await r.connect();
        await r.call('SHUTDOWN', 'NOSAVE').catch(() => undefined);
      } catch {
        // already down
      } finally {
        r.disconnect();
      }
      for (let i = 0; i < 100 && (await ping()); i++) await new Promise((r2) => setTimeout(r2, 50));
    },
  };
  await own.start();
  return own;
}

/** The report of citizen `i`, up to and including the submission, then one supplement. */
export function citizenSteps(i: number): ConversationInput[] {
  const press = (id: string): ConversationInput => ({ type: 'choice', id });
  const say = (text: string): ConversationInput => ({ type: 'text', text });
  return [
    { type: 'command', name: 'start' },
    press('start:report'),
    press('privacy:agree'),
    press('scope:none'),
    say(`营业执照变更（第${i}号）`),
    press('problem:complex'),
    say('窗口让我先去3号窗口盖章，3号窗口又让我回来，来回跑了三趟。'),
    press('account:done'),
    say('市场准入综合窗口'),
    say('张三'),
    say('138 1234 5678'),
    press('summary:submit'),
    say(`补充：第${i}号的营业执照复印件稍后补交。`),
  ];
}

export const SUBMIT_STEP = 11;

export const textOf = (out: Sayable[]) => out.map((s) => (s.kind === 'file' ? (s.caption ?? s.name) : s.text)).join('\n');

/** The case number a reply announced, or null. */
export function announced(out: Sayable[]): string | null {
  return /编号：([A-Z]*\d{11,14})/.exec(textOf(out))?.[1] ?? null;
}
