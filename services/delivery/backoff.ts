// Exponential backoff with jitter, so that a platform outage does not end in every dispatcher
// retrying the same backlog in lockstep when it comes back.

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 5_000, maxMs: 30 * 60_000 };

/** Delay before the retry that follows failed attempt number `attempt` (1-based): half fixed, half random. */
export function backoffMs(attempt: number, opts: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const ceiling = Math.min(opts.maxMs, opts.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}
