import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisCoordination } from '../../services/coordination/index.js';
import { coordinationContract } from './contract.js';
import { deleteRedisKeys } from '../support/redis.js';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
// One prefix per run of this file, one sub-prefix per test: parallel suites never share keys.
const runPrefix = `test:${randomUUID()}:`;
let admin: Redis;

beforeAll(() => {
  admin = new Redis(url);
});

afterAll(async () => {
  await deleteRedisKeys(url, runPrefix);
  await admin.quit();
});

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

coordinationContract('Redis', async () => {
  const prefix = `${runPrefix}${randomUUID()}:`;
  // Two clients with separate connections: what two bot processes would be.
  const a = await createRedisCoordination({ url, prefix });
  const b = await createRedisCoordination({ url, prefix });
  return {
    a,
    b,
    elapse: sleep,
    // As if Redis lost the key (failover to a replica that had not seen it yet).
    breakLock: async (key) => {
      await admin.del(`${prefix}lock:${key}`);
    },
    close: async () => {
      await Promise.all([a.close(), b.close()]);
    },
  };
});

describe('Redis coordination key isolation', () => {
  it('keeps values, locks and messages of different prefixes apart', async () => {
    const one = await createRedisCoordination({ url, prefix: `${runPrefix}one:` });
    const two = await createRedisCoordination({ url, prefix: `${runPrefix}two:` });
    try {
      await one.set('shared-name', 'from one');
      expect(await two.get('shared-name')).toBeNull();
      expect(await one.acquireLock('shared-name', 10_000)).not.toBeNull();
      expect(await two.acquireLock('shared-name', 10_000)).not.toBeNull();

      const heardByTwo: string[] = [];
      let markerSeen!: () => void;
      const marker = new Promise<void>((resolve) => {
        markerSeen = resolve;
      });
      await two.subscribe('wake', (m) => heardByTwo.push(m));
      await two.subscribe('marker', () => markerSeen());
      await one.publish('wake', 'for one only');
      await two.publish('marker', 'x');
      await marker;
      expect(heardByTwo).toEqual([]);
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });
});

describe('Redis versioned values written by an earlier version', () => {
  it('reads a value stored as a hash {v, n}, and a compare-and-set or a turn replaces it', async () => {
    const prefix = `${runPrefix}legacy:`;
    const c = await createRedisCoordination({ url, prefix });
    try {
      await admin.hset(`${prefix}ver:old`, 'v', 'stored before', 'n', '7');
      expect(await c.getVersioned('old')).toEqual({ value: 'stored before', version: 7 });
      const opened = await c.openTurn('old', { leaseMs: 10_000 });
      expect(opened).toMatchObject({ kind: 'open', current: { value: 'stored before', version: 7 } });
      if (opened.kind !== 'open') return;
      expect((await c.closeTurn('old', opened.lock, { expectedVersion: 7, value: 'turn' })).ok).toBe(true);
      expect((await c.getVersioned('old'))?.value).toBe('turn');
      await admin.del(`${prefix}ver:old2`);
      await admin.hset(`${prefix}ver:old2`, 'v', 'x:y', 'n', '3');
      expect((await c.compareAndSet('old2', 3, 'a:b')).ok).toBe(true);
      expect((await c.getVersioned('old2'))?.value).toBe('a:b');
    } finally {
      await c.close();
    }
  });
});
