// One place that decides how this project talks to Redis: fail fast instead of queueing. A bot
// that cannot reach Redis must learn so within a second or two (and answer the citizen, or let
// the update be redelivered), not hang with commands piling up in an offline queue.
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';

/** Longest a single command may take before the caller gets an error. Our commands and scripts are O(1). */
export const COMMAND_TIMEOUT_MS = 1500;
/** Longest a TCP connect attempt may take. */
export const CONNECT_TIMEOUT_MS = 2000;
/** Reconnect back-off grows from 50 ms and is capped here, so a restarted Redis is picked up within seconds. */
export const MAX_RECONNECT_DELAY_MS = 2000;

export function reconnectDelay(attempt: number): number {
  const base = Math.min(MAX_RECONNECT_DELAY_MS, 50 * 2 ** Math.min(attempt - 1, 10));
  // Jitter keeps many processes from reconnecting in the same instant after an outage.
  return Math.round(base * (0.75 + Math.random() * 0.25));
}

export function redisOptions(name?: string): RedisOptions {
  return {
    connectionName: name,
    // Commands issued while disconnected are rejected at once instead of waiting for a reconnect.
    enableOfflineQueue: false,
    // Commands in flight when the connection drops fail instead of being resent: a resent
    // INCR, token take or compare-and-set could apply twice.
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    commandTimeout: COMMAND_TIMEOUT_MS,
    connectTimeout: CONNECT_TIMEOUT_MS,
    retryStrategy: reconnectDelay,
    // After a failover the old primary answers READONLY: reconnect to reach the new one.
    reconnectOnError: (err) => err.message.startsWith('READONLY'),
  };
}

/**
 * A connected-on-creation ioredis client with fail-fast options. It reconnects forever with
 * capped back-off; every command fails immediately while it is disconnected. Connection
 * problems are logged (the first at warn, repeats at debug) rather than thrown as events.
 */
export function createRedisConnection(url: string, opts: { logger?: Logger; name?: string } = {}): Redis {
  const redis = new Redis(url, redisOptions(opts.name));
  const log = opts.logger?.child({ redis: opts.name ?? 'redis' });
  let healthy = true;
  // Without an 'error' listener ioredis prints every failed reconnect to the console.
  redis.on('error', (err: Error) => {
    if (healthy) log?.warn({ err }, 'Redis connection error; commands fail until it reconnects');
    else log?.debug({ err }, 'Redis still unreachable');
    healthy = false;
  });
  redis.on('reconnecting', (delay: number) => log?.debug({ delay }, 'Redis reconnecting'));
  redis.on('ready', () => {
    if (!healthy) log?.info('Redis connection restored');
    healthy = true;
  });
  return redis;
}

/** Resolves when `redis` is ready; rejects on the first connection error or after `timeoutMs`. */
export function waitUntilReady(redis: Redis, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = (err?: Error) => {
      clearTimeout(timer);
      redis.off('ready', onReady);
      redis.off('error', onError);
      redis.off('end', onEnd);
      if (err) reject(err);
      else resolve();
    };
    const onReady = () => done();
    const onError = (err: Error) => done(err);
    const onEnd = () => done(new Error('connection ended'));
    const timer = setTimeout(() => done(new Error(`not ready after ${timeoutMs} ms`)), timeoutMs);
    redis.once('ready', onReady);
    redis.once('error', onError);
    redis.once('end', onEnd);
  });
}
