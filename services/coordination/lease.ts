// Keeping a lock's lease alive only when it could run out. Most turns finish in well under a
// millisecond after the lock is taken, and the write that ends them is fenced on the lock
// owner anyway, so a timer and an AbortController per turn bought nothing; a turn that is about
// to wait on something slow (a case registration, a store lookup) arms the keeper first.
// One small object per turn: the timer and its callback exist only once armed (few turns are).
import type { Lock } from './coordination.js';

export interface LeaseKeeper {
  /** Starts extending the lease every leaseMs/3 (from when it was taken); idempotent. */
  arm(): void;
  stop(): void;
  /** True once an extension was refused, or none succeeded for a whole lease. */
  readonly lost: boolean;
}

class LazyKeepAlive implements LeaseKeeper {
  #timer: NodeJS.Timeout | undefined;
  #armed = false;
  #stopped = false;
  #lost = false;
  #lastConfirmed: number;

  constructor(
    private readonly lock: Lock,
    private readonly leaseMs: number,
    takenAt: number,
  ) {
    this.#lastConfirmed = takenAt;
  }

  get #every(): number {
    return Math.max(1, Math.floor(this.leaseMs / 3));
  }

  async #tick(): Promise<void> {
    if (this.#stopped) return;
    try {
      if (await this.lock.extend(this.leaseMs)) this.#lastConfirmed = performance.now();
      else this.#lost = true;
    } catch {
      // Store unreachable: keep trying until the lease we last confirmed has surely run out.
      if (performance.now() - this.#lastConfirmed >= this.leaseMs) this.#lost = true;
    }
    if (this.#lost) this.#stopped = true;
    else this.#schedule(this.#every);
  }

  #schedule(ms: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => void this.#tick(), Math.max(0, ms));
    this.#timer.unref();
  }

  arm(): void {
    if (this.#armed || this.#stopped) return;
    this.#armed = true;
    this.#schedule(this.#lastConfirmed + this.#every - performance.now());
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
  }

  get lost(): boolean {
    return this.#lost;
  }
}

export function lazyKeepAlive(lock: Lock, leaseMs: number, takenAt = performance.now()): LeaseKeeper {
  return new LazyKeepAlive(lock, leaseMs, takenAt);
}
