// The coordination port: the small set of shared-state primitives that let several bot
// processes and workers cooperate through one Redis (or, in a single embedded process, through
// memory). Callers depend on this interface only, never on ioredis.
//
// Namespaces: plain values (get/set/setIfAbsent), versioned values (getVersioned/compareAndSet),
// locks, token buckets and pub/sub channels are separate spaces, so one key name may be used in
// each without collisions. `del` removes the plain and the versioned value under a key.

/** A versioned value: `version` changes on every successful compareAndSet and never repeats. */
export interface Versioned {
  value: string;
  version: number;
}

export type CompareAndSetResult = { ok: true; version: number } | { ok: false; current: Versioned | null };

export interface TokenBucketLimit {
  /** Most tokens the bucket holds: the largest burst admitted at once. */
  capacity: number;
  /** Tokens added per second, continuously (1/60 = one per minute). */
  refillPerSecond: number;
}

export interface TakeTokenResult {
  allowed: boolean;
  /** 0 when allowed; otherwise how long until the same request would be admitted. */
  retryAfterMs: number;
  /** Set when admitted on credit (see TakeTokenOptions.maxDelayMs): start only after this long. */
  delayMs?: number;
}

export interface TakeTokenOptions {
  /**
   * Admit a request that would have to wait at most this long, taking its tokens now (the bucket
   * goes into debt) and telling it how long to wait: bursts queue in arrival order instead of
   * being refused. Default 0: refuse whenever the tokens are not there.
   */
  maxDelayMs?: number;
}

export interface WithLockOptions {
  /** How long to keep trying to acquire before throwing LockTimeoutError. Default 0: one try. */
  waitMs?: number;
}

/** A held lease on a key. Only the holder's token can extend or release it. */
export interface Lock {
  key: string;
  token: string;
  /** Sets the remaining lease to `leaseMs` from now; false when the lease was already lost. */
  extend(leaseMs: number): Promise<boolean>;
  /** Frees the key; false when the lease had expired (and may now belong to someone else). */
  release(): Promise<boolean>;
}

/** What openTurn takes from the bucket named like the turn's key before it tries the lock. */
export interface TurnToken {
  limit: TokenBucketLimit;
  /** Default 1. */
  cost?: number;
  /** As TakeTokenOptions.maxDelayMs: a request admitted on credit comes back `queued`. */
  maxDelayMs?: number;
}

export interface OpenTurnOptions {
  /** Lease of the lock taken on the key. */
  leaseMs: number;
  /** Take a token first; omit on a retry whose token was already taken. */
  token?: TurnToken;
  /**
   * A plain value read in the same step when the versioned value is absent (a marker that
   * outlives it, telling expiry from first contact); `also` is null whenever there is a value,
   * so the common path does not pay for reading it.
   */
  alsoRead?: string;
}

/**
 * One step of the common path of a turn on `key`: the bucket, the lock and the versioned value
 * (in that order, each only if the previous allowed it).
 * - refused: no token; nothing was taken.
 * - queued: the token was taken on credit; wait `delayMs`, then open again without a token.
 * - busy: the token (if asked for) was taken, but another holder has the lock; retry without a token.
 * - open: the lock is held; `current` is the versioned value, `also` the plain value asked for (only read when `current` is null).
 */
export type OpenTurnResult =
  | { kind: 'refused'; retryAfterMs: number }
  | { kind: 'queued'; delayMs: number }
  | { kind: 'busy' }
  | { kind: 'open'; lock: Lock; current: Versioned | null; also: string | null };

export interface CloseTurnWrite {
  /** As compareAndSet: the version read by openTurn, 0 when the value was absent. */
  expectedVersion: number;
  value: string;
  ttlMs?: number;
  /** A plain value written together with the versioned one (same atomic step). */
  alsoSet?: { key: string; value: string; ttlMs?: number };
}

/**
 * - ok: written (when asked) and the lock released.
 * - lockLost: the lease had run out (another holder may be running): nothing written or released.
 * - conflict: the version moved under the lock (a writer that took no lock); nothing written, lock released.
 */
export type CloseTurnResult =
  | { ok: true; version?: number }
  | { ok: false; reason: 'lockLost' }
  | { ok: false; reason: 'conflict'; current: Versioned | null };

export interface Coordination {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, opts?: { ttlMs?: number }): Promise<void>;
  /** Removes the plain value and the versioned value stored under `key`. */
  del(key: string): Promise<void>;
  /** Stores `value` only if `key` holds no plain value; true for the one caller that stored it. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;

  getVersioned(key: string): Promise<Versioned | null>;
  /**
   * Writes `value` only if the stored version is `expectedVersion` (0 = the key must be absent).
   * Without `ttlMs` the value does not expire. On conflict returns what is stored now, so the
   * caller can merge and retry without another read.
   */
  compareAndSet(
    key: string,
    expectedVersion: number,
    value: string,
    opts?: { ttlMs?: number },
  ): Promise<CompareAndSetResult>;

  /** One attempt: the lock, or null when someone else holds an unexpired lease. */
  acquireLock(key: string, leaseMs: number): Promise<Lock | null>;
  /**
   * Runs `fn` while holding the lock on `key`, retrying acquisition for up to `waitMs` and
   * extending the lease every leaseMs/3 while `fn` runs. If the lease is lost anyway (Redis
   * unreachable for longer than the lease), `signal` aborts with a LockLostError so `fn` can
   * stop writing. Throws LockTimeoutError when the lock was not acquired within `waitMs`.
   */
  withLock<T>(key: string, leaseMs: number, fn: (signal: AbortSignal) => Promise<T>, opts?: WithLockOptions): Promise<T>;

  /**
   * The first half of a turn in one round trip: token, lock, read (see OpenTurnResult). The
   * bucket, lock and versioned value all live under `key` in their own namespaces.
   */
  openTurn(key: string, opts: OpenTurnOptions): Promise<OpenTurnResult>;
  /**
   * The second half in one round trip: only while `lock` still holds `key`, writes the value if
   * its version is unchanged (write null: nothing to write) and releases the lock.
   */
  closeTurn(key: string, lock: Lock, write: CloseTurnWrite | null): Promise<CloseTurnResult>;

  publish(channel: string, message: string): Promise<void>;
  /** Resolves once the subscription is active; the returned function unsubscribes this handler. */
  subscribe(channel: string, handler: (message: string) => void): Promise<() => Promise<void>>;

  /** Takes `cost` (default 1) tokens if the bucket has them (or will within `maxDelayMs`); buckets start full. */
  takeToken(bucket: string, limit: TokenBucketLimit, cost?: number, opts?: TakeTokenOptions): Promise<TakeTokenResult>;
  /** Refuses every takeToken on `bucket` for the next `ms` (e.g. Telegram's retry_after). */
  block(bucket: string, ms: number): Promise<void>;

  /** Releases connections; later calls fail with CoordinationUnavailableError. */
  close(): Promise<void>;
}
