import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createMemoryCoordination } from '../../services/coordination/index.js';
import { type ContractStore, coordinationContract } from './contract.js';

/** Real time plus a hand-moved offset: leases and TTLs can be skipped past instantly, while withLock's renewal timers still run in real time. */
function memoryStore(withJournal: boolean): ContractStore {
  let offset = 0;
  const dir = withJournal ? mkdtempSync(join(tmpdir(), 'coord-journal-')) : undefined;
  const store = createMemoryCoordination({ now: () => Date.now() + offset, ...(dir ? { journal: join(dir, 'coordination.jsonl') } : {}) });
  return {
    a: store,
    b: store,
    elapse: async (ms) => {
      offset += ms;
    },
    breakLock: async () => {
      offset += 60_000;
    },
    close: async () => {
      await store.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

coordinationContract('in-memory', async () => memoryStore(false));
// The same contract with a journal, so journaling changes nothing a caller can see.
coordinationContract('in-memory with a journal', async () => memoryStore(true));

describe('in-memory coordination with a journal', () => {
  it('brings values and versions back after the process is killed, and no lock or bucket', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'coord-journal-'));
    const journal = join(dir, 'coordination.jsonl');
    try {
      // A real process, killed with SIGKILL after its writes returned: nothing gets to flush or close.
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          '-e',
          `import { createMemoryCoordination } from ${JSON.stringify(pathToFileURL(join(import.meta.dirname, '../../services/coordination/index.ts')).href)};
           const c = createMemoryCoordination({ journal: ${JSON.stringify(journal)} });
           await c.set('gone', 'x');
           await c.del('gone');
           await c.set('short', 'x', { ttlMs: 1 });
           await c.set('kept', 'yes', { ttlMs: 60000 });
           const first = await c.compareAndSet('dialogue', 0, 'one');
           await c.compareAndSet('dialogue', first.version, 'two');
           await c.acquireLock('chat', 60000);
           await c.takeToken('chat', { capacity: 1, refillPerSecond: 0.001 });
           process.stdout.write('ready\\n');
           setInterval(() => {}, 1000);`,
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => String(d).includes('ready') && resolve());
        child.on('exit', (code) => reject(new Error(`child exited with ${code}`)));
      });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;

      const c = createMemoryCoordination({ journal });
      expect(await c.get('kept')).toBe('yes');
      expect(await c.get('gone')).toBeNull();
      expect(await c.get('short')).toBeNull();
      const dialogue = await c.getVersioned('dialogue');
      expect(dialogue?.value).toBe('two');
      // Versions keep counting up from where they were: a stale writer's expected version cannot match.
      const next = await c.compareAndSet('dialogue', dialogue!.version, 'three');
      expect(next.ok && next.version > dialogue!.version).toBe(true);
      expect(await c.acquireLock('chat', 1000)).not.toBeNull();
      expect((await c.takeToken('chat', { capacity: 1, refillPerSecond: 0.001 })).allowed).toBe(true);
      await c.close();
      // Compacted at start: what was deleted or expired is not carried along.
      const again = createMemoryCoordination({ journal });
      expect((await again.getVersioned('dialogue'))?.value).toBe('three');
      await again.close();
      expect(readFileSync(journal, 'utf8')).not.toContain('gone');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
