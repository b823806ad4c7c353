// Coordination over one Redis, shared by every bot process and worker. Single commands where
// Redis already gives atomicity (SET NX PX, GET), Lua where a read must decide a write.
// Every call is bounded by the fail-fast connection options and turns connection trouble into
// CoordinationUnavailableError.
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type {
  CloseTurnResult,
  CloseTurnWrite,
  CompareAndSetResult,
  Coordination,
  Lock,
  OpenTurnOptions,
  OpenTurnResult,
  TakeTokenOptions,
  TakeTokenResult,
  TokenBucketLimit,
  Versioned,
  WithLockOptions,
} from './coordination.js';
import { bucketLimit, expectedVersion, nonNegativeMs, positiveMs } from './arguments.js';
import { CoordinationUnavailableError } from './errors.js';
import { lockToken } from './lock-token.js';
import { CONNECT_TIMEOUT_MS, createRedisConnection, waitUntilReady } from './redis-connection.js';
import { SCRIPTS, type ScriptCommands } from './redis-scripts.js';
import { runWithLock } from './with-lock.js';
import { redactUrl } from '../logger.js';

export interface RedisCoordinationOptions {
  url: string;
  /** Prepended to every key and channel. Give each deployment (and each test run) its own. Default "desk:". */
  prefix?: string;
  logger?: Logger;
}

/** Connects eagerly, so a wrong REDIS_URL is reported at start-up rather than on the first update. */
export async function createRedisCoordination(opts: RedisCoordinationOptions): Promise<Coordination> {
  const redis = createRedisConnection(opts.url, { logger: opts.logger, name: 'coordination' });
  try {
    await waitUntilReady(redis, CONNECT_TIMEOUT_MS);
  } catch (err) {
    redis.disconnect();
    throw new CoordinationUnavailableError('connect', err, redactUrl(opts.url, 'an unparseable REDIS_URL'));
  }
  for (const [name, script] of Object.entries(SCRIPTS)) redis.defineCommand(name, script);
  return new RedisCoordination(redis, opts);
}

/** Marks a versioned value stored as a hash {v, n} by an earlier version. */
const LEGACY = Symbol('legacy hash');

/** Error replies that mean "not now" rather than "wrong command". */
const TRANSIENT_REPLY = /^(LOADING|BUSY|MASTERDOWN|READONLY|TRYAGAIN|CLUSTERDOWN)\b/;

function isUnavailable(err: unknown): boolean {
  if (err instanceof Error && err.name === 'ReplyError') return TRANSIENT_REPLY.test(err.message);
  return true;
}

/** One Redis SUBSCRIBE shared by every local handler of a channel. */
interface Subscription {
  handlers: Set<(message: string) => void>;
  /** Settles when Redis has confirmed the SUBSCRIBE. */
  active: Promise<void>;
}

class RedisCoordination implements Coordination {
  readonly #redis: Redis;
  readonly #scripts: ScriptCommands;
  readonly #prefix: string;
  readonly #url: string;
  readonly #logger: Logger | undefined;
  #subscriber: Promise<Redis> | undefined;
  readonly #subscriptions = new Map<string, Subscription>();
  #closed = false;

  constructor(redis: Redis, opts: RedisCoordinationOptions) {
    this.#redis = redis;
    this.#scripts = redis as unknown as ScriptCommands;
    this.#prefix = opts.prefix ?? 'desk:';
    this.#url = opts.url;
    this.#logger = opts.logger;
  }

  async #run<T>(operation: string, command: () => Promise<T>): Promise<T> {
    if (this.#closed) throw CoordinationUnavailableError.closed(operation);
    try {
      return await command();
    } catch (err) {
      if (isUnavailable(err)) throw new CoordinationUnavailableError(operation, err, redactUrl(this.#url, 'an unparseable REDIS_URL'));
      throw err;
    }
  }

  #key(space: 'kv' | 'ver' | 'lock' | 'bucket', key: string): string {
    return `${this.#prefix}${space}:${key}`;
  }

  #lock(key: string, token: string): Lock {
    const k = this.#key('lock', key);
    return {
      key,
      token,
      extend: async (ms: number) => {
        const next = positiveMs('leaseMs', ms);
        return (await this.#run('lock.extend', () => this.#scripts.coordExtendLock(k, token, next))) === 1;
      },
      release: async () => (await this.#run('lock.release', () => this.#scripts.coordReleaseLock(k, token))) === 1,
    };
  }

  async openTurn(key: string, opts: OpenTurnOptions): Promise<OpenTurnResult> {
    const lease = positiveMs('leaseMs', opts.leaseMs);
    const t = opts.token;
    if (t) bucketLimit(t.limit, t.cost ?? 1);
    const maxDelay = t ? nonNegativeMs('maxDelayMs', t.maxDelayMs ?? 0) : 0;
    const token = lockToken();
    const reply = (await this.#run('openTurn', () =>
      this.#scripts.coordOpenTurn(
        this.#key('bucket', key),
        this.#key('lock', key),
        this.#key('ver', key),
        this.#key('kv', opts.alsoRead ?? key),
        t ? t.limit.capacity : 0,
        t ? t.limit.refillPerSecond : 0,
        t ? (t.cost ?? 1) : 0,
        maxDelay,
        token,
        lease,
        opts.alsoRead === undefined ? 0 : 1,
      ),
    )) as [number, (string | number | null)?, (string | null)?, (string | null)?];
    switch (reply[0]) {
      case 0:
        return { kind: 'refused', retryAfterMs: Number(reply[1]) };
      case 2:
        return { kind: 'queued', delayMs: Number(reply[1]) };
      case 3:
        return { kind: 'busy' };
    }
    const [, value, version, also] = reply;
    return {
      kind: 'open',
      lock: this.#lock(key, token),
      current: value != null && version != null ? { value: String(value), version: Number(version) } : null,
      also: also ?? null,
    };
  }

  async closeTurn(key: string, lock: Lock, write: CloseTurnWrite | null): Promise<CloseTurnResult> {
    if (write) expectedVersion(write.expectedVersion);
    const ttl = write?.ttlMs === undefined ? 0 : positiveMs('ttlMs', write.ttlMs);
    const also = write?.alsoSet;
    const alsoTtl = also?.ttlMs === undefined ? 0 : positiveMs('ttlMs', also.ttlMs);
    const reply = (await this.#run('closeTurn', () =>
      this.#scripts.coordCloseTurn(
        this.#key('lock', key),
        this.#key('ver', key),
        `${this.#prefix}ver-seq`,
        this.#key('kv', also?.key ?? key),
        lock.token,
        write ? 1 : 0,
        write?.expectedVersion ?? 0,
        write?.value ?? '',
        ttl,
        also ? 1 : 0,
        also?.value ?? '',
        alsoTtl,
      ),
    )) as [number, (string | number)?, string?];
    if (reply[0] === -1) return { ok: false, reason: 'lockLost' };
    if (reply[0] === 0) {
      return { ok: false, reason: 'conflict', current: reply.length > 1 ? { value: String(reply[2]), version: Number(reply[1]) } : null };
    }
    return reply.length > 1 ? { ok: true, version: Number(reply[1]) } : { ok: true };
  }

  get(key: string): Promise<string | null> {
    return this.#run('get', () => this.#redis.get(this.#key('kv', key)));
  }

  async set(key: string, value: string, opts: { ttlMs?: number } = {}): Promise<void> {
    const k = this.#key('kv', key);
    if (opts.ttlMs === undefined) await this.#run('set', () => this.#redis.set(k, value));
    else {
      const ttl = positiveMs('ttlMs', opts.ttlMs);
      await this.#run('set', () => this.#redis.set(k, value, 'PX', ttl));
    }
  }

  async del(key: string): Promise<void> {
    await this.#run('del', () => this.#redis.del(this.#key('kv', key), this.#key('ver', key)));
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    const ttl = positiveMs('ttlMs', ttlMs);
    const reply = await this.#run('setIfAbsent', () => this.#redis.set(this.#key('kv', key), value, 'PX', ttl, 'NX'));
    return reply === 'OK';
  }

  async getVersioned(key: string): Promise<Versioned | null> {
    const k = this.#key('ver', key);
    const raw = await this.#run('getVersioned', () => this.#redis.get(k)).catch((err: unknown) => {
      // A value an earlier version stored as a hash: read it the way the scripts do.
      if (err instanceof Error && err.message.startsWith('WRONGTYPE')) return LEGACY;
      throw err;
    });
    if (raw === null) return null;
    if (typeof raw !== 'string') {
      const [value, version] = (await this.#run('getVersioned', () => this.#scripts.coordGetVersioned(k))) as [string?, string?];
      return value !== undefined && version !== undefined ? { value, version: Number(version) } : null;
    }
    const at = raw.indexOf(':');
    return { value: raw.slice(at + 1), version: Number(raw.slice(0, at)) };
  }

  async compareAndSet(
    key: string,
    expected: number,
    value: string,
    opts: { ttlMs?: number } = {},
  ): Promise<CompareAndSetResult> {
    expectedVersion(expected);
    const ttl = opts.ttlMs === undefined ? 0 : positiveMs('ttlMs', opts.ttlMs);
    const reply = (await this.#run('compareAndSet', () =>
      this.#scripts.coordCompareAndSet(this.#key('ver', key), `${this.#prefix}ver-seq`, expected, value, ttl),
    )) as [number, (string | number)?, string?];
    if (reply[0] === 1) return { ok: true, version: Number(reply[1]) };
    return {
      ok: false,
      current: reply.length > 1 ? { value: String(reply[2]), version: Number(reply[1]) } : null,
    };
  }

  async acquireLock(key: string, leaseMs: number): Promise<Lock | null> {
    const lease = positiveMs('leaseMs', leaseMs);
    const token = lockToken();
    const reply = await this.#run('acquireLock', () => this.#redis.set(this.#key('lock', key), token, 'PX', lease, 'NX'));
    return reply === 'OK' ? this.#lock(key, token) : null;
  }

  withLock<T>(
    key: string,
    leaseMs: number,
    fn: (signal: AbortSignal) => Promise<T>,
    opts?: WithLockOptions,
  ): Promise<T> {
    return runWithLock(
      {
        acquireLock: (k, ms) => this.acquireLock(k, ms),
        // Polling: the holder may be another process, and polling needs no subscription.
        waitForRelease: (_k, ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      },
      key,
      leaseMs,
      fn,
      opts,
    );
  }

  async publish(channel: string, message: string): Promise<void> {
    await this.#run('publish', () => this.#redis.publish(this.#channel(channel), message));
  }

  #channel(channel: string): string {
    return `${this.#prefix}ch:${channel}`;
  }

  async subscribe(channel: string, handler: (message: string) => void): Promise<() => Promise<void>> {
    const ch = this.#channel(channel);
    const subscriber = await this.#run('subscribe', () => this.#connectSubscriber());
    const entry = (message: string) => handler(message);
    let subscription = this.#subscriptions.get(ch);
    if (!subscription) {
      const created: Subscription = { handlers: new Set(), active: Promise.resolve() };
      created.active = this.#run('subscribe', async () => {
        await subscriber.subscribe(ch);
      }).catch((err: unknown) => {
        if (this.#subscriptions.get(ch) === created) this.#subscriptions.delete(ch);
        throw err;
      });
      this.#subscriptions.set(ch, created);
      subscription = created;
    }
    subscription.handlers.add(entry);
    try {
      // A second subscriber to a channel also waits for the one SUBSCRIBE in flight.
      await subscription.active;
    } catch (err) {
      subscription.handlers.delete(entry);
      throw err;
    }
    let active = true;
    return async () => {
      if (!active) return;
      active = false;
      const current = this.#subscriptions.get(ch);
      if (!current?.handlers.delete(entry) || current.handlers.size > 0) return;
      this.#subscriptions.delete(ch);
      if (!this.#closed) await this.#run('unsubscribe', () => subscriber.unsubscribe(ch));
    };
  }

  /** A connection in subscriber mode cannot run other commands, so pub/sub gets its own, opened on first use. */
  #connectSubscriber(): Promise<Redis> {
    this.#subscriber ??= (async () => {
      const sub = createRedisConnection(this.#url, { logger: this.#logger, name: 'coordination:sub' });
      try {
        await waitUntilReady(sub, CONNECT_TIMEOUT_MS);
      } catch (err) {
        sub.disconnect();
        this.#subscriber = undefined;
        throw err;
      }
      sub.on('message', (ch: string, message: string) => this.#deliver(ch, message));
      return sub;
    })();
    return this.#subscriber;
  }

  #deliver(ch: string, message: string): void {
    for (const handler of [...(this.#subscriptions.get(ch)?.handlers ?? [])]) {
      try {
        handler(message);
      } catch (err) {
        // Never let a handler's exception unwind into ioredis's reply parser.
        if (this.#logger) this.#logger.error({ err, channel: ch }, 'coordination subscriber handler threw');
        else
          queueMicrotask(() => {
            throw err;
          });
      }
    }
  }

  async takeToken(bucket: string, limit: TokenBucketLimit, cost = 1, opts: TakeTokenOptions = {}): Promise<TakeTokenResult> {
    bucketLimit(limit, cost);
    const maxDelay = nonNegativeMs('maxDelayMs', opts.maxDelayMs ?? 0);
    const [allowed, retryAfterMs, delayMs] = (await this.#run('takeToken', () =>
      this.#scripts.coordTakeToken(this.#key('bucket', bucket), limit.capacity, limit.refillPerSecond, cost, maxDelay),
    )) as [number, number, number];
    const result: TakeTokenResult = { allowed: allowed === 1, retryAfterMs: Number(retryAfterMs) };
    if (Number(delayMs) > 0) result.delayMs = Number(delayMs);
    return result;
  }

  async block(bucket: string, ms: number): Promise<void> {
    const duration = nonNegativeMs('ms', ms);
    if (duration === 0) return;
    await this.#run('block', () => this.#scripts.coordBlockBucket(this.#key('bucket', bucket), duration));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#subscriptions.clear();
    const subscriber = this.#subscriber?.catch(() => undefined);
    this.#subscriber = undefined;
    await Promise.all([end(this.#redis), subscriber?.then((sub) => sub && end(sub))]);
  }
}

/** QUIT lets replies in flight arrive; if Redis is gone it fails fast and we drop the socket. */
async function end(redis: Redis): Promise<void> {
  try {
    await redis.quit();
  } catch {
    // Already unreachable: nothing left to flush.
  } finally {
    redis.disconnect();
  }
}
