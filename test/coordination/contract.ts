// The behaviour every Coordination must have, run against each implementation by the
// *.test.ts files beside this one. `a` and `b` are two clients of one store (two processes,
// against Redis); `elapse` moves the store's clock forward.
import { describe, expect, it } from 'vitest';
import {
  type Coordination,
  CoordinationUnavailableError,
  LockLostError,
  LockTimeoutError,
} from '../../services/coordination/index.js';

export interface ContractStore {
  a: Coordination;
  b: Coordination;
  /** Lets `ms` pass for the store's TTLs, leases and buckets. */
  elapse(ms: number): Promise<void>;
  /** Makes the lease on `key` disappear behind its holder's back (as after a Redis failover). */
  breakLock(key: string): Promise<void>;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function coordinationContract(name: string, open: () => Promise<ContractStore>): void {
  describe(`Coordination contract: ${name}`, () => {
    const withStore = (test: (s: ContractStore) => Promise<void>) => async () => {
      const store = await open();
      try {
        await test(store);
      } finally {
        await store.close();
      }
    };

    describe('plain values', () => {
      it(
        'returns what was set, and null for a key never set',
        withStore(async ({ a, b }) => {
          await a.set('greeting', '你好');
          expect(await b.get('greeting')).toBe('你好');
          expect(await b.get('missing')).toBeNull();
        }),
      );

      it(
        'forgets a value after its TTL, and a later set without TTL keeps it',
        withStore(async ({ a, elapse }) => {
          await a.set('short', 'x', { ttlMs: 100 });
          await a.set('kept', 'y', { ttlMs: 100 });
          await a.set('kept', 'z');
          await elapse(150);
          expect(await a.get('short')).toBeNull();
          expect(await a.get('kept')).toBe('z');
        }),
      );

      it(
        'del removes both the plain and the versioned value of a key',
        withStore(async ({ a, b }) => {
          await a.set('k', 'plain');
          await a.compareAndSet('k', 0, 'versioned');
          await b.del('k');
          expect(await a.get('k')).toBeNull();
          expect(await a.getVersioned('k')).toBeNull();
        }),
      );

      it(
        'refuses a TTL that would silently mean "never expires"',
        withStore(async ({ a }) => {
          await expect(a.set('k', 'v', { ttlMs: 0 })).rejects.toThrow(RangeError);
          await expect(a.setIfAbsent('k', 'v', -5)).rejects.toThrow(RangeError);
          expect(await a.get('k')).toBeNull();
        }),
      );
    });

    describe('setIfAbsent (de-duplication)', () => {
      it(
        'admits exactly one of many concurrent callers, and keeps the winner’s value',
        withStore(async ({ a, b }) => {
          const results = await Promise.all(
            Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).setIfAbsent('update:42', `worker-${i}`, 60_000)),
          );
          const winners = results.flatMap((won, i) => (won ? [i] : []));
          expect(winners).toHaveLength(1);
          expect(await a.get('update:42')).toBe(`worker-${winners[0]}`);
        }),
      );

      it(
        'admits again once the TTL has passed',
        withStore(async ({ a, b, elapse }) => {
          expect(await a.setIfAbsent('update:7', '1', 100)).toBe(true);
          expect(await b.setIfAbsent('update:7', '2', 100)).toBe(false);
          await elapse(150);
          expect(await b.setIfAbsent('update:7', '3', 100)).toBe(true);
        }),
      );
    });

    describe('versioned values (compare-and-set)', () => {
      it(
        'creates with expected version 0 and reads back value and version',
        withStore(async ({ a, b }) => {
          const created = await a.compareAndSet('dialogue:1', 0, '{"step":1}');
          expect(created.ok).toBe(true);
          const version = created.ok ? created.version : -1;
          expect(version).toBeGreaterThan(0);
          expect(await b.getVersioned('dialogue:1')).toEqual({ value: '{"step":1}', version });
          expect(await b.getVersioned('dialogue:none')).toBeNull();
        }),
      );

      it(
        'refuses a stale write and hands back what is stored now',
        withStore(async ({ a, b }) => {
          const first = await a.compareAndSet('d', 0, 'one');
          if (!first.ok) throw new Error('create failed');
          const second = await b.compareAndSet('d', first.version, 'two');
          if (!second.ok) throw new Error('update failed');
          expect(await a.compareAndSet('d', first.version, 'stale')).toEqual({
            ok: false,
            current: { value: 'two', version: second.version },
          });
          expect(await a.compareAndSet('d', 0, 'again')).toEqual({
            ok: false,
            current: { value: 'two', version: second.version },
          });
          expect(await a.compareAndSet('absent', 3, 'x')).toEqual({ ok: false, current: null });
          expect((await a.getVersioned('d'))?.value).toBe('two');
        }),
      );

      it(
        'loses no update among 100 concurrent increments that retry on conflict',
        withStore(async ({ a, b }) => {
          const increment = async (c: Coordination) => {
            for (;;) {
              const current = await c.getVersioned('counter');
              const next = String(Number(current?.value ?? 0) + 1);
              const result = await c.compareAndSet('counter', current?.version ?? 0, next);
              if (result.ok) return;
            }
          };
          await Promise.all(Array.from({ length: 100 }, (_, i) => increment(i % 2 ? a : b)));
          expect((await a.getVersioned('counter'))?.value).toBe('100');
        }),
      );

      it(
        'never reuses a version after delete, so a writer holding an old version cannot clobber a new value',
        withStore(async ({ a, b }) => {
          const old = await a.compareAndSet('d', 0, 'first dialogue');
          if (!old.ok) throw new Error('create failed');
          await b.del('d');
          const fresh = await b.compareAndSet('d', 0, 'second dialogue');
          if (!fresh.ok) throw new Error('recreate failed');
          expect(fresh.version).not.toBe(old.version);
          expect((await a.compareAndSet('d', old.version, 'stale')).ok).toBe(false);
          expect((await a.getVersioned('d'))?.value).toBe('second dialogue');
        }),
      );

      it(
        'expires a versioned value after its TTL, and an update without TTL makes it permanent',
        withStore(async ({ a, elapse }) => {
          await a.compareAndSet('gone', 0, 'x', { ttlMs: 100 });
          const kept = await a.compareAndSet('kept', 0, 'x', { ttlMs: 100 });
          if (!kept.ok) throw new Error('create failed');
          await a.compareAndSet('kept', kept.version, 'y');
          await elapse(150);
          expect(await a.getVersioned('gone')).toBeNull();
          expect((await a.getVersioned('kept'))?.value).toBe('y');
        }),
      );
    });

    describe('locks', () => {
      it(
        'lets only one of two contenders hold a lock, and only the owner release it',
        withStore(async ({ a, b }) => {
          const held = await a.acquireLock('chat:1', 10_000);
          expect(held).not.toBeNull();
          expect(await b.acquireLock('chat:1', 10_000)).toBeNull();
          expect(await b.acquireLock('chat:2', 10_000)).not.toBeNull();
          expect(await held!.release()).toBe(true);
          expect(await held!.release()).toBe(false);
          const next = await b.acquireLock('chat:1', 10_000);
          expect(next).not.toBeNull();
          expect(await held!.release()).toBe(false);
          expect(await a.acquireLock('chat:1', 10_000)).toBeNull();
        }),
      );

      it(
        'grants one of many concurrent acquirers',
        withStore(async ({ a, b }) => {
          const locks = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).acquireLock('leader', 10_000)));
          expect(locks.filter((l) => l !== null)).toHaveLength(1);
        }),
      );

      it(
        'lets a contender take over an expired lease; the old owner can then neither extend nor release it',
        withStore(async ({ a, b, elapse }) => {
          const old = (await a.acquireLock('sweeper', 10_000))!;
          expect(await old.extend(100)).toBe(true);
          await elapse(150);
          const taken = await b.acquireLock('sweeper', 10_000);
          expect(taken).not.toBeNull();
          expect(await old.extend(10_000)).toBe(false);
          expect(await old.release()).toBe(false);
          expect(await a.acquireLock('sweeper', 10_000)).toBeNull();
          expect(await taken!.release()).toBe(true);
        }),
      );

      it(
        'keeps a renewed lease past its original expiry',
        withStore(async ({ a, b, elapse }) => {
          const leader = (await a.acquireLock('leader', 100))!;
          expect(await leader.extend(10_000)).toBe(true);
          await elapse(150);
          expect(await b.acquireLock('leader', 100)).toBeNull();
        }),
      );
    });

    describe('withLock', () => {
      it(
        'runs critical sections one at a time across clients, waiting for the lock',
        withStore(async ({ a, b }) => {
          let inside = 0;
          let maxInside = 0;
          const work = (c: Coordination) =>
            c.withLock(
              'chat:9',
              5_000,
              async () => {
                inside++;
                maxInside = Math.max(maxInside, inside);
                const n = Number((await c.get('processed')) ?? 0);
                await sleep(2);
                await c.set('processed', String(n + 1));
                inside--;
                return n;
              },
              { waitMs: 15_000 },
            );
          const seen = await Promise.all(Array.from({ length: 10 }, (_, i) => work(i % 2 ? a : b)));
          expect(maxInside).toBe(1);
          expect(await a.get('processed')).toBe('10');
          expect([...seen].sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        }),
      );

      it(
        'throws LockTimeoutError when the lock stays taken for the whole wait',
        withStore(async ({ a, b }) => {
          await a.acquireLock('chat:busy', 10_000);
          let ran = false;
          const attempt = b.withLock('chat:busy', 1_000, async () => {
            ran = true;
          }, { waitMs: 50 });
          await expect(attempt).rejects.toBeInstanceOf(LockTimeoutError);
          await expect(attempt).rejects.toMatchObject({ key: 'chat:busy', waitMs: 50 });
          expect(ran).toBe(false);
        }),
      );

      it(
        'releases the lock when the work throws, and passes the error on',
        withStore(async ({ a, b }) => {
          const boom = new Error('handler failed');
          await expect(
            a.withLock('chat:3', 10_000, async () => {
              throw boom;
            }),
          ).rejects.toBe(boom);
          expect(await b.acquireLock('chat:3', 1_000)).not.toBeNull();
        }),
      );

      it(
        'keeps extending the lease while the work runs longer than the lease',
        withStore(async ({ a, b }) => {
          const result = await a.withLock('chat:slow', 300, async (signal) => {
            await sleep(1_000);
            const stolen = await b.acquireLock('chat:slow', 300);
            return { stolen: stolen !== null, aborted: signal.aborted };
          });
          expect(result).toEqual({ stolen: false, aborted: false });
          expect(await b.acquireLock('chat:slow', 300)).not.toBeNull();
        }),
      );

      it(
        'aborts the work’s signal with LockLostError when the lease is lost',
        withStore(async ({ a, b, breakLock }) => {
          const reason = await a.withLock('chat:lost', 300, async (signal) => {
            await breakLock('chat:lost');
            const thief = await b.acquireLock('chat:lost', 10_000);
            expect(thief).not.toBeNull();
            return new Promise<unknown>((resolve) => signal.addEventListener('abort', () => resolve(signal.reason)));
          });
          expect(reason).toBeInstanceOf(LockLostError);
          expect(await a.acquireLock('chat:lost', 1_000)).toBeNull();
        }),
      );
    });

    describe('turns (openTurn / closeTurn)', () => {
      const lease = 10_000;
      const token = { limit: { capacity: 2, refillPerSecond: 1 / 3600 } };

      it(
        'opens with the token, the lock and the stored value (and the marker asked for), and closes writing it',
        withStore(async ({ a, b }) => {
          await a.set('known:1', 'en');
          const first = await a.openTurn('chat:1', { leaseMs: lease, token, alsoRead: 'known:1' });
          if (first.kind !== 'open') throw new Error(`expected open, got ${first.kind}`);
          expect(first.current).toBeNull();
          expect(first.also).toBe('en');
          // The lock is held: another process finds the chat busy (and has spent a token).
          expect((await b.openTurn('chat:1', { leaseMs: lease, token })).kind).toBe('busy');
          expect(await b.acquireLock('chat:1', lease)).toBeNull();
          const closed = await a.closeTurn('chat:1', first.lock, {
            expectedVersion: 0,
            value: 'turn 1',
            ttlMs: 60_000,
            alsoSet: { key: 'known:1', value: 'zh', ttlMs: 60_000 },
          });
          expect(closed.ok).toBe(true);
          expect(await b.get('known:1')).toBe('zh');
          const stored = await b.getVersioned('chat:1');
          expect(stored?.value).toBe('turn 1');
          // Both tokens of the bucket are spent: the third update is refused, lock untouched.
          const refused = await b.openTurn('chat:1', { leaseMs: lease, token });
          expect(refused).toMatchObject({ kind: 'refused' });
          expect(refused.kind === 'refused' && refused.retryAfterMs).toBeGreaterThan(0);
          // Without a token (a retry whose token was taken) it opens, reading the new value.
          const second = await b.openTurn('chat:1', { leaseMs: lease });
          if (second.kind !== 'open') throw new Error(`expected open, got ${second.kind}`);
          expect(second.current).toEqual(stored);
          expect(second.also).toBeNull(); // not asked for
          expect(await b.closeTurn('chat:1', second.lock, null)).toEqual({ ok: true });
          // With a value stored the marker tells nothing, so it is not read.
          const third = await b.openTurn('chat:1', { leaseMs: lease, alsoRead: 'known:1' });
          if (third.kind !== 'open') throw new Error(`expected open, got ${third.kind}`);
          expect(third.current).toEqual(stored);
          expect(third.also).toBeNull();
          expect(await b.closeTurn('chat:1', third.lock, null)).toEqual({ ok: true });
          expect(await a.getVersioned('chat:1')).toEqual(stored);
          expect(await a.acquireLock('chat:1', lease)).not.toBeNull();
        }),
      );

      it(
        'queues a request beyond the burst on credit without taking the lock',
        withStore(async ({ a, b }) => {
          const burst = { limit: { capacity: 1, refillPerSecond: 10 }, maxDelayMs: 1_000 };
          const first = await a.openTurn('chat:2', { leaseMs: lease, token: burst });
          expect(first.kind).toBe('open');
          const queued = await b.openTurn('chat:2', { leaseMs: lease, token: burst });
          expect(queued.kind).toBe('queued');
          expect(queued.kind === 'queued' && queued.delayMs).toBeGreaterThan(50);
          // Its token is taken: the next one queues behind it, further back.
          const later = await b.openTurn('chat:2', { leaseMs: lease, token: burst });
          expect(later.kind === 'queued' && queued.kind === 'queued' && later.delayMs > queued.delayMs).toBe(true);
        }),
      );

      it(
        'writes nothing and releases nothing once the lease is lost, and the new holder is unaffected',
        withStore(async ({ a, b, elapse }) => {
          const opened = await a.openTurn('chat:3', { leaseMs: 100 });
          if (opened.kind !== 'open') throw new Error('expected open');
          await elapse(150);
          const other = await b.openTurn('chat:3', { leaseMs: lease });
          if (other.kind !== 'open') throw new Error('expected open');
          expect(await a.closeTurn('chat:3', opened.lock, { expectedVersion: 0, value: 'stale' })).toEqual({ ok: false, reason: 'lockLost' });
          expect(await a.getVersioned('chat:3')).toBeNull();
          // b still holds the chat and writes its turn.
          expect((await a.openTurn('chat:3', { leaseMs: lease })).kind).toBe('busy');
          expect((await b.closeTurn('chat:3', other.lock, { expectedVersion: 0, value: 'fresh' })).ok).toBe(true);
          expect((await a.getVersioned('chat:3'))?.value).toBe('fresh');
        }),
      );

      it(
        'refuses a write whose version moved, returning the current value, and frees the chat',
        withStore(async ({ a, b }) => {
          const opened = await a.openTurn('chat:4', { leaseMs: lease });
          if (opened.kind !== 'open') throw new Error('expected open');
          const sneaked = await b.compareAndSet('chat:4', 0, 'written without the lock');
          const closed = await a.closeTurn('chat:4', opened.lock, { expectedVersion: 0, value: 'mine', alsoSet: { key: 'm:4', value: 'x' } });
          expect(closed).toEqual({ ok: false, reason: 'conflict', current: { value: 'written without the lock', version: sneaked.ok ? sneaked.version : -1 } });
          expect(await a.get('m:4')).toBeNull();
          expect((await b.openTurn('chat:4', { leaseMs: lease })).kind).toBe('open');
        }),
      );

      it(
        'serialises many concurrent turns on one chat across two clients: every increment kept',
        withStore(async ({ a, b }) => {
          const many = { limit: { capacity: 100, refillPerSecond: 100 } };
          const turn = async (c: Coordination, first: boolean) => {
            let opened = await c.openTurn('chat:5', { leaseMs: lease, token: first ? many : undefined });
            while (opened.kind === 'busy') {
              await sleep(1);
              opened = await c.openTurn('chat:5', { leaseMs: lease });
            }
            if (opened.kind !== 'open') throw new Error(`unexpected ${opened.kind}`);
            const n = Number(opened.current?.value ?? '0');
            const closed = await c.closeTurn('chat:5', opened.lock, { expectedVersion: opened.current?.version ?? 0, value: String(n + 1) });
            if (!closed.ok) throw new Error(`turn not written: ${closed.reason}`);
          };
          await Promise.all(Array.from({ length: 20 }, (_, i) => turn(i % 2 ? a : b, true)));
          expect((await a.getVersioned('chat:5'))?.value).toBe('20');
        }),
      );
    });

    describe('publish/subscribe', () => {
      it(
        'delivers messages to subscribers on other clients, in order',
        withStore(async ({ a, b }) => {
          const received: string[] = [];
          let allReceived!: () => void;
          const all = new Promise<void>((resolve) => {
            allReceived = resolve;
          });
          const unsubscribe = await b.subscribe('wake:dispatcher', (m) => {
            received.push(m);
            if (received.length === 20) allReceived();
          });
          for (let i = 0; i < 20; i++) await a.publish('wake:dispatcher', `m${i}`);
          await all;
          expect(received).toEqual(Array.from({ length: 20 }, (_, i) => `m${i}`));
          await unsubscribe();
        }),
      );

      it(
        'stops delivering to an unsubscribed handler but keeps the channel’s other handlers',
        withStore(async ({ a, b }) => {
          const gone: string[] = [];
          const kept: string[] = [];
          let markerSeen!: () => void;
          const marker = new Promise<void>((resolve) => {
            markerSeen = resolve;
          });
          let firstSeen!: () => void;
          const first = new Promise<void>((resolve) => {
            firstSeen = resolve;
          });
          const unsubscribe = await b.subscribe('wake', (m) => gone.push(m));
          await b.subscribe('wake', (m) => {
            kept.push(m);
            if (m === 'first') firstSeen();
            if (m === 'last') markerSeen();
          });
          await a.publish('wake', 'first');
          // Pub/sub is asynchronous across connections: unsubscribe only once 'first' has arrived.
          await first;
          await unsubscribe();
          await a.publish('wake', 'second');
          await a.publish('wake', 'last');
          await marker;
          expect(gone).toEqual(['first']);
          expect(kept).toEqual(['first', 'second', 'last']);
        }),
      );

      it(
        'does not deliver a message to another channel’s subscribers',
        withStore(async ({ a, b }) => {
          const other: string[] = [];
          let done!: () => void;
          const marker = new Promise<void>((resolve) => {
            done = resolve;
          });
          await b.subscribe('chat:1', (m) => other.push(m));
          await b.subscribe('chat:2', () => done());
          await a.publish('chat:2', 'marker');
          await marker;
          expect(other).toEqual([]);
        }),
      );
    });

    describe('token buckets', () => {
      it(
        'admits exactly its budget among many concurrent requests',
        withStore(async ({ a, b }) => {
          const limit = { capacity: 5, refillPerSecond: 1 / 3600 };
          const results = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).takeToken('citizen:1', limit)));
          expect(results.filter((r) => r.allowed)).toHaveLength(5);
          for (const r of results.filter((x) => !x.allowed)) {
            expect(r.retryAfterMs).toBeGreaterThan(0);
            expect(r.retryAfterMs).toBeLessThanOrEqual(3_600_000);
          }
          expect((await a.takeToken('citizen:2', limit)).allowed).toBe(true);
        }),
      );

      it(
        'tells how long until the next token, and admits again after that',
        withStore(async ({ a, elapse }) => {
          const limit = { capacity: 2, refillPerSecond: 10 };
          expect(await a.takeToken('chat:1', limit)).toEqual({ allowed: true, retryAfterMs: 0 });
          expect(await a.takeToken('chat:1', limit)).toEqual({ allowed: true, retryAfterMs: 0 });
          const refused = await a.takeToken('chat:1', limit);
          expect(refused.allowed).toBe(false);
          expect(refused.retryAfterMs).toBeGreaterThan(0);
          expect(refused.retryAfterMs).toBeLessThanOrEqual(100);
          await elapse(refused.retryAfterMs + 20);
          expect((await a.takeToken('chat:1', limit)).allowed).toBe(true);
        }),
      );

      it(
        'queues a burst within maxDelayMs in arrival order, and refuses what would wait longer',
        withStore(async ({ a, b, elapse }) => {
          const limit = { capacity: 2, refillPerSecond: 10 };
          const queue = { maxDelayMs: 250 };
          expect(await a.takeToken('burst:1', limit, 1, queue)).toEqual({ allowed: true, retryAfterMs: 0 });
          expect(await b.takeToken('burst:1', limit, 1, queue)).toEqual({ allowed: true, retryAfterMs: 0 });
          // Each one queued takes its token on credit, so the next waits a refill longer.
          const delays = [];
          for (let i = 0; i < 2; i++) {
            const r = await (i % 2 ? a : b).takeToken('burst:1', limit, 1, queue);
            expect(r.allowed).toBe(true);
            delays.push(r.delayMs ?? 0);
          }
          expect(delays[0]).toBeGreaterThan(0);
          expect(delays[0]).toBeLessThanOrEqual(100);
          expect(delays[1]).toBeGreaterThan(delays[0]);
          expect(delays[1]).toBeLessThanOrEqual(200);
          const refused = await a.takeToken('burst:1', limit, 1, queue);
          expect(refused.allowed).toBe(false);
          expect(refused.retryAfterMs).toBeGreaterThan(250);
          // The debt is paid back by refill before anything is admitted at once again: one refill after the last queued one.
          await elapse(delays[1] + 120);
          expect(await a.takeToken('burst:1', limit)).toEqual({ allowed: true, retryAfterMs: 0 });
          expect((await a.takeToken('burst:1', limit)).allowed).toBe(false);
        }),
      );

      it(
        'gives a Telegram group 20 messages a minute, then asks to wait about 3 s',
        withStore(async ({ a }) => {
          const perGroup = { capacity: 20, refillPerSecond: 20 / 60 };
          for (let i = 0; i < 20; i++) expect((await a.takeToken('group:-100', perGroup)).allowed).toBe(true);
          const refused = await a.takeToken('group:-100', perGroup);
          expect(refused.allowed).toBe(false);
          expect(refused.retryAfterMs).toBeGreaterThan(2_500);
          expect(refused.retryAfterMs).toBeLessThanOrEqual(3_000);
        }),
      );

      it(
        'charges the cost of a request, and refuses a cost larger than the bucket',
        withStore(async ({ a }) => {
          const limit = { capacity: 10, refillPerSecond: 1 / 3600 };
          expect((await a.takeToken('bulk', limit, 4)).allowed).toBe(true);
          expect((await a.takeToken('bulk', limit, 4)).allowed).toBe(true);
          expect((await a.takeToken('bulk', limit, 4)).allowed).toBe(false);
          expect((await a.takeToken('bulk', limit, 2)).allowed).toBe(true);
          await expect(a.takeToken('bulk', limit, 11)).rejects.toThrow(RangeError);
        }),
      );

      it(
        'refuses a blocked bucket until the block ends (retry_after), then admits from a full bucket',
        withStore(async ({ a, b, elapse }) => {
          const limit = { capacity: 3, refillPerSecond: 1 / 3600 };
          await b.block('bot:1', 200);
          const refused = await a.takeToken('bot:1', limit);
          expect(refused.allowed).toBe(false);
          expect(refused.retryAfterMs).toBeGreaterThan(0);
          expect(refused.retryAfterMs).toBeLessThanOrEqual(200);
          await elapse(250);
          for (let i = 0; i < 3; i++) expect((await a.takeToken('bot:1', limit)).allowed).toBe(true);
          expect((await a.takeToken('bot:1', limit)).allowed).toBe(false);
        }),
      );

      it(
        'never shortens a block with a shorter one',
        withStore(async ({ a, b }) => {
          const limit = { capacity: 3, refillPerSecond: 1 };
          expect((await a.takeToken('bot:2', limit)).allowed).toBe(true);
          await b.block('bot:2', 60_000);
          await a.block('bot:2', 10);
          const refused = await a.takeToken('bot:2', limit);
          expect(refused.allowed).toBe(false);
          expect(refused.retryAfterMs).toBeGreaterThan(50_000);
        }),
      );
    });

    describe('token buckets and blocks together', () => {
      it(
        'asks to wait for the refill when that is later than the end of a block',
        withStore(async ({ a }) => {
          const limit = { capacity: 1, refillPerSecond: 1 / 60 };
          expect((await a.takeToken('chat:5', limit)).allowed).toBe(true);
          await a.block('chat:5', 100);
          const refused = await a.takeToken('chat:5', limit);
          expect(refused.allowed).toBe(false);
          expect(refused.retryAfterMs).toBeGreaterThan(50_000);
        }),
      );
    });

    describe('after close', () => {
      it('fails every call with CoordinationUnavailableError naming the operation', async () => {
        const store = await open();
        await store.a.close();
        const failure = store.a.get('k');
        await expect(failure).rejects.toBeInstanceOf(CoordinationUnavailableError);
        await expect(failure).rejects.toMatchObject({ operation: 'get', message: expect.stringContaining('after close()') });
        await expect(store.a.takeToken('t', { capacity: 1, refillPerSecond: 1 })).rejects.toBeInstanceOf(
          CoordinationUnavailableError,
        );
        await expect(store.a.openTurn('t', { leaseMs: 1000 })).rejects.toBeInstanceOf(CoordinationUnavailableError);
        await store.close();
      });
    });
  });
}
