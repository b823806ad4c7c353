// Token-bucket arithmetic as a pure function. The in-memory implementation calls it directly;
// the Redis Lua script in redis-scripts.ts is a line-by-line transcription, and the contract
// suite holds both to the same behaviour.

export interface BucketState {
  /** Tokens at `updatedAt` (fractional); null when only a block is known, which means full. */
  tokens: number | null;
  updatedAt: number;
  /** takeToken refuses until this instant (0 = not blocked). */
  blockedUntil: number;
}

export interface TakeOutcome {
  state: BucketState;
  allowed: boolean;
  retryAfterMs: number;
  /** Admitted on credit: the caller starts only after this long (absent when admitted at once). */
  delayMs?: number;
}

export function takeFromBucket(
  previous: BucketState | undefined,
  limit: { capacity: number; refillPerSecond: number },
  cost: number,
  now: number,
  maxDelayMs = 0,
): TakeOutcome {
  const blockedUntil = previous?.blockedUntil ?? 0;
  let tokens = limit.capacity;
  if (previous && previous.tokens !== null) {
    const elapsed = Math.max(0, now - previous.updatedAt);
    tokens = Math.min(limit.capacity, previous.tokens + (elapsed * limit.refillPerSecond) / 1000);
  }
  const state: BucketState = { tokens, updatedAt: now, blockedUntil };
  const refillWait = tokens >= cost ? 0 : Math.ceil(((cost - tokens) * 1000) / limit.refillPerSecond);
  if (blockedUntil <= now && tokens >= cost) {
    state.tokens = tokens - cost;
    return { state, allowed: true, retryAfterMs: 0 };
  }
  // Queued: the tokens are taken now (the bucket goes into debt), so later callers queue behind
  // this one in arrival order instead of racing for the next token.
  if (blockedUntil <= now && refillWait <= maxDelayMs) {
    state.tokens = tokens - cost;
    return { state, allowed: true, retryAfterMs: 0, delayMs: refillWait };
  }
  // Refused: wait for whichever comes later, the end of a block or enough tokens.
  return { state, allowed: false, retryAfterMs: Math.max(refillWait, Math.ceil(blockedUntil - now)) };
}

/** A block extends, never shortens, an existing one: two retry_after answers keep the later. */
export function blockBucket(previous: BucketState | undefined, until: number): BucketState {
  return {
    tokens: previous?.tokens ?? null,
    updatedAt: previous?.updatedAt ?? until,
    blockedUntil: Math.max(previous?.blockedUntil ?? 0, until),
  };
}

/** How long an untouched bucket state still matters: until it would be full (debt paid back too) and unblocked. */
export function bucketIdleMs(
  state: BucketState,
  limit: { capacity: number; refillPerSecond: number } | undefined,
  now: number,
): number {
  const missing = limit ? limit.capacity - Math.min(0, state.tokens ?? 0) : 0;
  const refill = limit ? Math.ceil((missing * 1000) / limit.refillPerSecond) : 0;
  return Math.max(refill, state.blockedUntil - now, 1);
}
