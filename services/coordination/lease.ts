// Keeping a lock's lease alive only when it could run out. Most turns finish in well under a
// millisecond after the lock is taken, and the write that ends them is fenced on the lock
// owner anyway, so a timer and an AbortController per turn bought nothing; a turn that is about
// to wait on something slow (a case registration, a store lookup) arms the keeper first.
import type { Lock } from './coordination.js';

export interface LeaseKeeper {
  /** Starts extending the lease every leaseMs/3 (from when it was taken); idempotent. */
  arm(): void;
  stop(): void;
  /** True once an extension was refused, or none succeeded for a whole lease. */
  readonly lost: boolean;
}

export function lazyKeepAlive(lock: Lock, leaseMs: number, takenAt = performance.now()): LeaseKeeper {
  const every = Math.max(1, Math.floor(leaseMs / 3));
  let lastConfirmed = takenAt;
  let timer: NodeJS.Timeout | undefined;
  let armed = false;
  let stopped = false;
  let lost = false;
  const tick = async () => {
    if (stopped) return;
    try {
      if (await lock.extend(leaseMs)) lastConfirmed = performance.now();
      else lost = true;
    } catch {
      // Store unreachable: keep trying until the lease we last confirmed has surely run out.
      if (performance.now() - lastConfirmed >= leaseMs) lost = true;
    }
    if (lost) stopped = true;
    else schedule(every);
  };
  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(tick, Math.max(0, ms));
    timer.unref();
  };
  return {
    arm() {
      if (armed || stopped) return;
      armed = true;
      schedule(lastConfirmed + every - performance.now());
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
    get lost() {
      return lost;
    },
  };
}
