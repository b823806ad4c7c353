import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blockBucket, type BucketState, takeFromBucket } from '../../services/coordination/token-bucket.js';

const limitArb = fc.record({
  capacity: fc.integer({ min: 1, max: 50 }),
  refillPerSecond: fc.double({ min: 0.01, max: 100, noNaN: true }),
});
const stepsArb = fc.array(fc.record({ gapMs: fc.integer({ min: 0, max: 5_000 }), cost: fc.integer({ min: 1, max: 50 }) }), {
  maxLength: 60,
});

describe('token bucket arithmetic', () => {
  it('never admits more than the capacity plus what refilled meanwhile', () => {
    fc.assert(
      fc.property(limitArb, stepsArb, (limit, steps) => {
        let state: BucketState | undefined;
        let now = 1_000_000;
        const start = now;
        let admitted = 0;
        for (const { gapMs, cost } of steps) {
          now += gapMs;
          const c = Math.min(cost, limit.capacity);
          const outcome = takeFromBucket(state, limit, c, now);
          state = outcome.state;
          if (outcome.allowed) admitted += c;
        }
        expect(admitted).toBeLessThanOrEqual(limit.capacity + ((now - start) * limit.refillPerSecond) / 1000 + 1e-9);
      }),
    );
  });

  it('admits a refused request once its retryAfterMs has passed', () => {
    fc.assert(
      fc.property(limitArb, stepsArb, fc.integer({ min: 0, max: 10_000 }), (limit, steps, blockMs) => {
        let state: BucketState | undefined;
        let now = 1_000_000;
        for (const { gapMs, cost } of steps) {
          now += gapMs;
          state = takeFromBucket(state, limit, Math.min(cost, limit.capacity), now).state;
        }
        state = blockBucket(state, now + blockMs);
        const refused = takeFromBucket(state, limit, limit.capacity, now);
        if (refused.allowed) return;
        expect(takeFromBucket(refused.state, limit, limit.capacity, now + refused.retryAfterMs).allowed).toBe(true);
      }),
    );
  });
});
