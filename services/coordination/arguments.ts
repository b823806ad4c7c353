// Argument checks shared by both implementations, so that a bad TTL or limit is refused the
// same way in embedded runs as against Redis (where it would otherwise surface as an obscure
// Redis reply error or, worse, as a key that never expires).

/** Whole milliseconds > 0; fractions round up so a 0.5 ms TTL does not become "no expiry". */
export function positiveMs(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${name} must be a positive number of milliseconds, got ${value}; omit it for no expiry where allowed.`);
  }
  return Math.ceil(value);
}

export function nonNegativeMs(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`${name} must be zero or a positive number of milliseconds, got ${value}.`);
  }
  return Math.ceil(value);
}

export function expectedVersion(value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`expectedVersion must be 0 (key must be absent) or a version returned earlier, got ${value}.`);
  }
  return value;
}

export function bucketLimit(limit: { capacity: number; refillPerSecond: number }, cost: number): void {
  if (!Number.isFinite(limit.capacity) || limit.capacity <= 0) {
    throw new RangeError(`Token bucket capacity must be a positive number, got ${limit.capacity}.`);
  }
  if (!Number.isFinite(limit.refillPerSecond) || limit.refillPerSecond <= 0) {
    throw new RangeError(
      `Token bucket refillPerSecond must be positive, got ${limit.refillPerSecond} (20 per minute is 20 / 60).`,
    );
  }
  if (!Number.isFinite(cost) || cost <= 0 || cost > limit.capacity) {
    throw new RangeError(
      `Token cost must be positive and at most the capacity (${limit.capacity}), got ${cost}: a larger cost could never be admitted.`,
    );
  }
}
