// In-memory Coordination for a single embedded process (npm start without Redis, tests of code
// that only needs the port). Every operation runs to completion synchronously inside the event
// loop, which is what makes the compound operations atomic here. Expiry is lazy: entries are
// checked against `now()` when touched and swept when the maps have grown; no intervals run.
import type {
  CompareAndSetResult,
  Coordination,
  Lock,
  TakeTokenOptions,
  TakeTokenResult,
  TokenBucketLimit,
  Versioned,
  WithLockOptions,
} from './coordination.js';
import type { Logger } from 'pino';
import { randomUUID } from 'node:crypto';
import { bucketLimit, expectedVersion, nonNegativeMs, positiveMs } from './arguments.js';
import { CoordinationUnavailableError } from './errors.js';
import { type BucketState, blockBucket, bucketIdleMs, takeFromBucket } from './token-bucket.js';
import { runWithLock } from './with-lock.js';

export interface MemoryCoordinationOptions {
  /** Milliseconds since the epoch; tests pass a hand-moved clock to expire leases and TTLs. */
  now?: () => number;
  /** Where errors thrown by subscribe handlers are reported; without it they are rethrown asynchronously. */
  logger?: Logger;
}

interface Expiring {
  expiresAt: number | null;
}

class ExpiringMap<V extends Expiring> {
  readonly #entries = new Map<string, V>();
  #sweepAt = 1024;
  constructor(private readonly now: () => number) {}

  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (entry && entry.expiresAt !== null && entry.expiresAt <= this.now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  set(key: string, entry: V): void {
    this.#entries.set(key, entry);
    // Amortised sweep: only when the map has doubled since the last one.
    if (this.#entries.size >= this.#sweepAt) {
      const now = this.now();
      for (const [k, e] of this.#entries) if (e.expiresAt !== null && e.expiresAt <= now) this.#entries.delete(k);
      this.#sweepAt = Math.max(1024, this.#entries.size * 2);
    }
  }

  delete(key: string): boolean {
    return this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }
}

export function createMemoryCoordination(opts: MemoryCoordinationOptions = {}): Coordination {
  return new MemoryCoordination(opts.now ?? Date.now, opts.logger);
}

class MemoryCoordination implements Coordination {
  readonly #values: ExpiringMap<{ value: string } & Expiring>;
  readonly #versioned: ExpiringMap<Versioned & Expiring>;
  readonly #locks: ExpiringMap<{ token: string } & Expiring>;
  readonly #buckets: ExpiringMap<BucketState & Expiring>;
  readonly #channels = new Map<string, Set<(message: string) => void>>();
  readonly #releaseWaiters = new Map<string, Set<() => void>>();
  /** Versions come from one counter so a deleted-and-recreated key never reuses an old version. */
  #lastVersion = 0;
  #closed = false;

  constructor(
    private readonly now: () => number,
    private readonly logger: Logger | undefined,
  ) {
    this.#values = new ExpiringMap(now);
    this.#versioned = new ExpiringMap(now);
    this.#locks = new ExpiringMap(now);
    this.#buckets = new ExpiringMap(now);
  }

  #open(operation: string): void {
    if (this.#closed) throw CoordinationUnavailableError.closed(operation);
  }

  #expiry(ttlMs: number | undefined): number | null {
    return ttlMs === undefined ? null : this.now() + positiveMs('ttlMs', ttlMs);
  }

  async get(key: string): Promise<string | null> {
    this.#open('get');
    return this.#values.get(key)?.value ?? null;
  }

  async set(key: string, value: string, opts: { ttlMs?: number } = {}): Promise<void> {
    this.#open('set');
    this.#values.set(key, { value, expiresAt: this.#expiry(opts.ttlMs) });
  }

  async del(key: string): Promise<void> {
    this.#open('del');
    this.#values.delete(key);
    this.#versioned.delete(key);
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    this.#open('setIfAbsent');
    const expiresAt = this.#expiry(ttlMs);
    if (this.#values.get(key)) return false;
    this.#values.set(key, { value, expiresAt });
    return true;
  }

  async getVersioned(key: string): Promise<Versioned | null> {
    this.#open('getVersioned');
    const entry = this.#versioned.get(key);
    return entry ? { value: entry.value, version: entry.version } : null;
  }

  async compareAndSet(
    key: string,
    expected: number,
    value: string,
    opts: { ttlMs?: number } = {},
  ): Promise<CompareAndSetResult> {
    this.#open('compareAndSet');
    expectedVersion(expected);
    const expiresAt = this.#expiry(opts.ttlMs);
    const current = this.#versioned.get(key);
    if ((current?.version ?? 0) !== expected) {
      return { ok: false, current: current ? { value: current.value, version: current.version } : null };
    }
    const version = ++this.#lastVersion;
    this.#versioned.set(key, { value, version, expiresAt });
    return { ok: true, version };
  }

  async acquireLock(key: string, leaseMs: number): Promise<Lock | null> {
    this.#open('acquireLock');
    const lease = positiveMs('leaseMs', leaseMs);
    if (this.#locks.get(key)) return null;
    const token = randomUUID();
    this.#locks.set(key, { token, expiresAt: this.now() + lease });
    const held = () => this.#locks.get(key)?.token === token;
    return {
      key,
      token,
      extend: async (ms: number) => {
        this.#open('lock.extend');
        const next = positiveMs('leaseMs', ms);
        if (!held()) return false;
        this.#locks.set(key, { token, expiresAt: this.now() + next });
        return true;
      },
      release: async () => {
        this.#open('lock.release');
        if (!held()) return false;
        this.#locks.delete(key);
        this.#wakeWaiters(key);
        return true;
      },
    };
  }

  withLock<T>(
    key: string,
    leaseMs: number,
    fn: (signal: AbortSignal) => Promise<T>,
    opts?: WithLockOptions,
  ): Promise<T> {
    return runWithLock(
      { acquireLock: (k, ms) => this.acquireLock(k, ms), waitForRelease: (k, ms) => this.#waitForRelease(k, ms) },
      key,
      leaseMs,
      fn,
      opts,
    );
  }

  #waitForRelease(key: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const set = this.#releaseWaiters.get(key) ?? new Set<() => void>();
      this.#releaseWaiters.set(key, set);
      const wake = () => {
        clearTimeout(timer);
        set.delete(wake);
        if (set.size === 0 && this.#releaseWaiters.get(key) === set) this.#releaseWaiters.delete(key);
        resolve();
      };
      // Also the way a lease that merely expired is noticed, so it is a real (unref'd) timer.
      const timer = setTimeout(wake, ms);
      timer.unref();
      set.add(wake);
    });
  }

  #wakeWaiters(key: string): void {
    for (const wake of [...(this.#releaseWaiters.get(key) ?? [])]) wake();
  }

  async publish(channel: string, message: string): Promise<void> {
    this.#open('publish');
    const handlers = [...(this.#channels.get(channel) ?? [])];
    // Delivered after publish returns, as with Redis, so a publisher never runs subscriber code
    // inside its own call stack.
    for (const handler of handlers) queueMicrotask(() => this.#deliver(channel, handler, message));
  }

  #deliver(channel: string, handler: (message: string) => void, message: string): void {
    if (!this.#channels.get(channel)?.has(handler)) return;
    try {
      handler(message);
    } catch (err) {
      if (!this.logger) throw err;
      this.logger.error({ err, channel }, 'coordination subscriber handler threw');
    }
  }

  async subscribe(channel: string, handler: (message: string) => void): Promise<() => Promise<void>> {
    this.#open('subscribe');
    // Wrapped so that the same function subscribed twice is two subscriptions, like in Redis.
    const entry = (message: string) => handler(message);
    const handlers = this.#channels.get(channel) ?? new Set();
    this.#channels.set(channel, handlers);
    handlers.add(entry);
    return async () => {
      const set = this.#channels.get(channel);
      set?.delete(entry);
      if (set?.size === 0) this.#channels.delete(channel);
    };
  }

  async takeToken(bucket: string, limit: TokenBucketLimit, cost = 1, opts: TakeTokenOptions = {}): Promise<TakeTokenResult> {
    this.#open('takeToken');
    bucketLimit(limit, cost);
    const maxDelay = nonNegativeMs('maxDelayMs', opts.maxDelayMs ?? 0);
    const now = this.now();
    const outcome = takeFromBucket(this.#buckets.get(bucket), limit, cost, now, maxDelay);
    this.#buckets.set(bucket, { ...outcome.state, expiresAt: now + bucketIdleMs(outcome.state, limit, now) });
    const result: TakeTokenResult = { allowed: outcome.allowed, retryAfterMs: outcome.retryAfterMs };
    if (outcome.delayMs) result.delayMs = outcome.delayMs;
    return result;
  }

  async block(bucket: string, ms: number): Promise<void> {
    this.#open('block');
    const duration = nonNegativeMs('ms', ms);
    if (duration === 0) return;
    const now = this.now();
    const previous = this.#buckets.get(bucket);
    const state = blockBucket(previous, now + duration);
    const keepUntil = Math.max(previous?.expiresAt ?? 0, state.blockedUntil);
    this.#buckets.set(bucket, { ...state, expiresAt: keepUntil });
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#channels.clear();
    for (const key of [...this.#releaseWaiters.keys()]) this.#wakeWaiters(key);
    this.#values.clear();
    this.#versioned.clear();
    this.#locks.clear();
    this.#buckets.clear();
  }
}
