// Typed errors of the coordination port. Callers branch on the class: an unavailable store is
// a transient condition to retry or degrade on; a lock timeout means someone else is busy.

/** The store could not be reached (or has been closed); the operation was not performed or its outcome is unknown. */
export class CoordinationUnavailableError extends Error {
  override readonly name = 'CoordinationUnavailableError';
  readonly operation: string;

  constructor(operation: string, cause: unknown, where?: string) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      `Coordination store temporarily unavailable during ${operation}${where ? ` (${where})` : ''}: ${reason}. ` +
        'Check that Redis is running and reachable at REDIS_URL; the call was not retried, retry it later.',
      { cause },
    );
    this.operation = operation;
  }

  /** A call made after close(): a shutdown-order bug in the caller, not an outage. */
  static closed(operation: string): CoordinationUnavailableError {
    const err = new CoordinationUnavailableError(operation, new Error('closed'));
    err.message =
      `Coordination used for ${operation} after close(). ` +
      'Stop the components that use it (bots, dispatcher, sweeper) before closing it at shutdown.';
    return err;
  }
}

/** withLock could not acquire the lock within its wait budget. */
export class LockTimeoutError extends Error {
  override readonly name = 'LockTimeoutError';
  constructor(
    readonly key: string,
    readonly waitMs: number,
  ) {
    super(
      `Lock "${key}" is held by someone else and was not released within ${waitMs} ms. ` +
        'Retry later, or pass a larger { waitMs } if the holder is expected to finish soon.',
    );
  }
}

/** The lease of a lock held by withLock ran out before the work finished; another process may now hold it. */
export class LockLostError extends Error {
  override readonly name = 'LockLostError';
  constructor(readonly key: string) {
    super(
      `Lost the lease on lock "${key}" while the work was still running. ` +
        'Stop writing shared state; use a longer lease or check the connection to Redis.',
    );
  }
}
