// withLock on top of acquireLock, shared by both implementations: wait for the lock within a
// budget, keep the lease alive while the work runs, and always release afterwards.
import type { Lock, WithLockOptions } from './coordination.js';
import { nonNegativeMs, positiveMs } from './arguments.js';
import { LockLostError, LockTimeoutError } from './errors.js';

export interface LockSource {
  acquireLock(key: string, leaseMs: number): Promise<Lock | null>;
  /** Resolves after `ms`, or earlier when the implementation knows `key` was just released. */
  waitForRelease(key: string, ms: number): Promise<void>;
}

/** Polling back-off while waiting: quick first retries for short critical sections, capped so a waiting process does not hammer Redis. */
const FIRST_RETRY_MS = 5;
const MAX_RETRY_MS = 100;

export async function runWithLock<T>(
  source: LockSource,
  key: string,
  leaseMs: number,
  fn: (signal: AbortSignal) => Promise<T>,
  opts: WithLockOptions = {},
): Promise<T> {
  const lease = positiveMs('leaseMs', leaseMs);
  const waitMs = nonNegativeMs('waitMs', opts.waitMs ?? 0);
  const lock = await acquireWithin(source, key, lease, waitMs);
  const keeper = keepAlive(lock, lease);
  try {
    return await fn(keeper.signal);
  } finally {
    keeper.stop();
    // A failed release must not turn finished work into an error (the caller would redo it);
    // the lease runs out by itself.
    await lock.release().catch(() => false);
  }
}

async function acquireWithin(source: LockSource, key: string, leaseMs: number, waitMs: number): Promise<Lock> {
  // The wait budget is wall-clock time on this process, independent of the store's clock.
  const deadline = performance.now() + waitMs;
  let retry = FIRST_RETRY_MS;
  for (;;) {
    const lock = await source.acquireLock(key, leaseMs);
    if (lock) return lock;
    const remaining = deadline - performance.now();
    if (remaining <= 0) throw new LockTimeoutError(key, waitMs);
    // Jitter spreads contenders so they do not retry in lock-step.
    await source.waitForRelease(key, Math.min(remaining, retry * (0.5 + Math.random())));
    retry = Math.min(MAX_RETRY_MS, retry * 2);
  }
}

function keepAlive(lock: Lock, leaseMs: number): { signal: AbortSignal; stop(): void } {
  const controller = new AbortController();
  const every = Math.max(1, Math.floor(leaseMs / 3));
  let lastConfirmed = performance.now();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const lose = () => {
    stopped = true;
    controller.abort(new LockLostError(lock.key));
  };
  const tick = async () => {
    if (stopped) return;
    try {
      if (await lock.extend(leaseMs)) lastConfirmed = performance.now();
      else return lose();
    } catch {
      // Store unreachable: keep trying until the lease we last confirmed has surely run out.
      if (performance.now() - lastConfirmed >= leaseMs) return lose();
    }
    schedule();
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(tick, every);
    timer.unref();
  };
  schedule();
  return {
    signal: controller.signal,
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
