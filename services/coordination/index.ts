// The coordination port's public surface. Import from here, never from the files behind it.
export type {
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
  TurnToken,
  Versioned,
  WithLockOptions,
} from './coordination.js';
export { CoordinationUnavailableError, LockLostError, LockTimeoutError } from './errors.js';
export { createMemoryCoordination, type MemoryCoordinationOptions } from './memory-coordination.js';
export { createRedisConnection } from './redis-connection.js';
export { createRedisCoordination, type RedisCoordinationOptions } from './redis-coordination.js';
export { lockToken } from './lock-token.js';
export { type LeaseKeeper, lazyKeepAlive } from './lease.js';
