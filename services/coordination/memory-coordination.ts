// In-memory Coordination for a single embedded process (npm start without Redis, tests of code
// that only needs the port). Every operation runs to completion synchronously inside the event
// loop, which is what makes the compound operations atomic here. Expiry is lazy: entries are
// checked against `now()` when touched and swept when the maps have grown; no intervals run.
// With a journal file, plain and versioned values (dialogues, markers) survive a restart, even
// SIGKILL: each write is appended before the call returns. Locks and buckets are not kept: a
// dead process's lease must not outlive it, and a bucket refills anyway.
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
import type { Logger } from 'pino';
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { bucketLimit, expectedVersion, nonNegativeMs, positiveMs } from './arguments.js';
import { CoordinationUnavailableError } from './errors.js';
import { lockToken } from './lock-token.js';
import { type BucketState, blockBucket, bucketIdleMs, takeFromBucket } from './token-bucket.js';
import { runWithLock } from './with-lock.js';

export interface MemoryCoordinationOptions {
  /** Milliseconds since the epoch; tests pass a hand-moved clock to expire leases and TTLs. */
  now?: () => number;
  /** Where errors thrown by subscribe handlers are reported; without it they are rethrown asynchronously. */
  logger?: Logger;
  /** File that plain and versioned values are journaled to and restored from at start. Default: none (nothing survives). */
  journal?: string;
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

  get size(): number {
    return this.#entries.size;
  }

  /** The entries not yet expired. */
  *entries(): Generator<[string, V]> {
    const now = this.now();
    for (const [k, e] of this.#entries) if (e.expiresAt === null || e.expiresAt > now) yield [k, e];
  }
}

export function createMemoryCoordination(opts: MemoryCoordinationOptions = {}): Coordination {
  const now = opts.now ?? Date.now;
  return new MemoryCoordination(now, opts.logger, opts.journal ? new Journal(opts.journal, now, opts.logger) : undefined);
}

type JournalEntry =
  | { k: string; p: string; x: number | null }
  | { k: string; v: string; n: number; x: number | null }
  | { k: string; d: 1 };

/**
 * An append-only file of value writes. Replayed at start (a torn last line from a crash is
 * skipped), then compacted to the live entries; compacted again whenever it has grown to four
 * times the live entries, so it stays proportional to what is kept.
 */
class Journal {
  readonly #path: string;
  #fd: number;
  #lines = 0;
  readonly restored: { values: Map<string, { value: string; expiresAt: number | null }>; versioned: Map<string, Versioned & Expiring> } = {
    values: new Map(),
    versioned: new Map(),
  };

  constructor(path: string, now: () => number, logger: Logger | undefined) {
    this.#path = path;
    mkdirSync(dirname(path), { recursive: true });
    let text = '';
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    let skipped = 0;
    for (const line of text.split('\n')) {
      if (!line) continue;
      let e: JournalEntry;
      try {
        e = JSON.parse(line) as JournalEntry;
      } catch {
        skipped++;
        continue;
      }
      if ('d' in e) {
        this.restored.values.delete(e.k);
        this.restored.versioned.delete(e.k);
      } else if ('p' in e) this.restored.values.set(e.k, { value: e.p, expiresAt: e.x });
      else this.restored.versioned.set(e.k, { value: e.v, version: e.n, expiresAt: e.x });
    }
    if (skipped > 0) logger?.warn({ journal: path, skipped }, 'coordination journal had unreadable lines (a write cut short by a crash); skipped');
    const t = now();
    for (const [k, e] of this.restored.values) if (e.expiresAt !== null && e.expiresAt <= t) this.restored.values.delete(k);
    for (const [k, e] of this.restored.versioned) if (e.expiresAt !== null && e.expiresAt <= t) this.restored.versioned.delete(k);
    this.#fd = this.#rewrite(this.restored.values, this.restored.versioned);
  }

  /** Writes only the live entries to a new file and swaps it in; returns the descriptor to append to. */
  #rewrite(values: Iterable<[string, { value: string; expiresAt: number | null }]>, versioned: Iterable<[string, Versioned & Expiring]>): number {
    const tmp = `${this.#path}.tmp`;
    const lines: string[] = [];
    for (const [k, e] of values) lines.push(JSON.stringify({ k, p: e.value, x: e.expiresAt }));
    for (const [k, e] of versioned) lines.push(JSON.stringify({ k, v: e.value, n: e.version, x: e.expiresAt }));
    writeFileSync(tmp, lines.length ? `${lines.join('\n')}\n` : '');
    renameSync(tmp, this.#path);
    this.#lines = lines.length;
    return openSync(this.#path, 'a');
  }

  append(entry: JournalEntry, live: () => { values: Iterable<[string, { value: string; expiresAt: number | null }]>; versioned: Iterable<[string, Versioned & Expiring]>; size: number }): void {
    writeSync(this.#fd, `${JSON.stringify(entry)}\n`);
    if (++this.#lines < 1024) return;
    const now = live();
    if (this.#lines < now.size * 4) return;
    closeSync(this.#fd);
    this.#fd = this.#rewrite(now.values, now.versioned);
  }

  close(): void {
    closeSync(this.#fd);
  }
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
    private readonly journal: Journal | undefined,
  ) {
    this.#values = new ExpiringMap(now);
    this.#versioned = new ExpiringMap(now);
    this.#locks = new ExpiringMap(now);
    this.#buckets = new ExpiringMap(now);
    if (journal) {
      for (const [k, e] of journal.restored.values) this.#values.set(k, e);
      for (const [k, e] of journal.restored.versioned) {
        this.#versioned.set(k, e);
        this.#lastVersion = Math.max(this.#lastVersion, e.version);
      }
    }
  }

  #journal(entry: JournalEntry): void {
    this.journal?.append(entry, () => ({
      values: this.#values.entries(),
      versioned: this.#versioned.entries(),
      size: this.#values.size + this.#versioned.size,
    }));
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
    const expiresAt = this.#expiry(opts.ttlMs);
    this.#values.set(key, { value, expiresAt });
    this.#journal({ k: key, p: value, x: expiresAt });
  }

  async del(key: string): Promise<void> {
    this.#open('del');
    this.#values.delete(key);
    this.#versioned.delete(key);
    this.#journal({ k: key, d: 1 });
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    this.#open('setIfAbsent');
    const expiresAt = this.#expiry(ttlMs);
    if (this.#values.get(key)) return false;
    this.#values.set(key, { value, expiresAt });
    this.#journal({ k: key, p: value, x: expiresAt });
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
    this.#journal({ k: key, v: value, n: version, x: expiresAt });
    return { ok: true, version };
  }

  async acquireLock(key: string, leaseMs: number): Promise<Lock | null> {
    this.#open('acquireLock');
    return this.#takeLock(key, positiveMs('leaseMs', leaseMs));
  }

  #takeLock(key: string, lease: number): Lock | null {
    if (this.#locks.get(key)) return null;
    const token = lockToken();
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
        this.#releaseLock(key);
        return true;
      },
    };
  }

  #releaseLock(key: string): void {
    this.#locks.delete(key);
    this.#wakeWaiters(key);
  }

  async openTurn(key: string, opts: OpenTurnOptions): Promise<OpenTurnResult> {
    this.#open('openTurn');
    const lease = positiveMs('leaseMs', opts.leaseMs);
    const t = opts.token;
    if (t) {
      const taken = this.#take(key, t.limit, t.cost ?? 1, t.maxDelayMs ?? 0);
      if (!taken.allowed) return { kind: 'refused', retryAfterMs: taken.retryAfterMs };
      if (taken.delayMs) return { kind: 'queued', delayMs: taken.delayMs };
    }
    const lock = this.#takeLock(key, lease);
    if (!lock) return { kind: 'busy' };
    const entry = this.#versioned.get(key);
    return {
      kind: 'open',
      lock,
      current: entry ? { value: entry.value, version: entry.version } : null,
      also: opts.alsoRead === undefined || entry ? null : (this.#values.get(opts.alsoRead)?.value ?? null),
    };
  }

  async closeTurn(key: string, lock: Lock, write: CloseTurnWrite | null): Promise<CloseTurnResult> {
    this.#open('closeTurn');
    if (write) expectedVersion(write.expectedVersion);
    const expiresAt = this.#expiry(write?.ttlMs);
    const also = write?.alsoSet;
    const alsoExpiresAt = this.#expiry(also?.ttlMs);
    if (this.#locks.get(key)?.token !== lock.token) return { ok: false, reason: 'lockLost' };
    if (!write) {
      this.#releaseLock(key);
      return { ok: true };
    }
    const current = this.#versioned.get(key);
    if ((current?.version ?? 0) !== write.expectedVersion) {
      this.#releaseLock(key);
      return { ok: false, reason: 'conflict', current: current ? { value: current.value, version: current.version } : null };
    }
    const version = ++this.#lastVersion;
    this.#versioned.set(key, { value: write.value, version, expiresAt });
    this.#journal({ k: key, v: write.value, n: version, x: expiresAt });
    if (also) {
      this.#values.set(also.key, { value: also.value, expiresAt: alsoExpiresAt });
      this.#journal({ k: also.key, p: also.value, x: alsoExpiresAt });
    }
    this.#releaseLock(key);
    return { ok: true, version };
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
    return this.#take(bucket, limit, cost, opts.maxDelayMs ?? 0);
  }

  #take(bucket: string, limit: TokenBucketLimit, cost: number, maxDelayMs: number): TakeTokenResult {
    bucketLimit(limit, cost);
    const maxDelay = nonNegativeMs('maxDelayMs', maxDelayMs);
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
    if (!this.#closed) this.journal?.close();
    this.#closed = true;
    this.#channels.clear();
    for (const key of [...this.#releaseWaiters.keys()]) this.#wakeWaiters(key);
    this.#values.clear();
    this.#versioned.clear();
    this.#locks.clear();
    this.#buckets.clear();
  }
}
