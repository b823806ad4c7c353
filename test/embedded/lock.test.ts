// The data-directory lock as a supervisor meets it: a restart right after SIGKILL (the dead store
// still a zombie), a restart that gets the same pid (pid 1 in its own pid namespace, as in a
// container), and many starters racing for a directory whose lock file names a dead process.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { MongoClient } from 'mongodb';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmbeddedStore } from '../../models/embedded/index.js';
import { exited, startStoreProcess } from '../support/store-process.js';

const root = new URL('../../', import.meta.url).pathname;
const dirs: string[] = [];
const procs: ChildProcess[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'store-lock-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const p of procs.splice(0)) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function insertAndCount(uri: string, doc?: object): Promise<number> {
  const c = await MongoClient.connect(uri, { serverSelectionTimeoutMS: 5000 });
  try {
    const coll = c.db('lock').collection('c');
    if (doc) await coll.insertOne({ ...doc });
    return await coll.countDocuments();
  } finally {
    await c.close();
  }
}

const lockOwner = (dir: string) => readFileSync(join(dir, 'store.lock'), 'utf8').trim();

function processState(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0];
  } catch {
    return null;
  }
}

async function until(what: string, check: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!check()) throw new Error(`gave up waiting until ${what}`);
}

const canUnshare = spawnSync('unshare', ['--pid', '--fork', 'true']).status === 0;

describe('data-directory lock', () => {
  it('lets a restart in at once while the SIGKILLed store is still an unreaped zombie', async () => {
    const dir = tempDir();
    let storePid = 0;
    // The shell backgrounds the store and becomes `sleep`, which never reaps it: after SIGKILL the
    // store stays a zombie whose pid still answers kill(pid, 0), as under a slow init.
    const first = await startStoreProcess(dir, {
      wrap: ['sh', '-c', '"$@" & echo "store pid $!"; exec sleep 600', 'sh'],
      onStdout: (line) => {
        const m = /^store pid (\d+)$/.exec(line);
        if (m) storePid = Number(m[1]);
      },
    });
    procs.push(first.proc);
    expect(await insertAndCount(first.uri, { before: 'crash' })).toBe(1);
    expect(lockOwner(dir)).toBe(String(storePid));
    process.kill(storePid, 'SIGKILL');
    await until('the store is a zombie', () => processState(storePid) === 'Z');
    const again = await startEmbeddedStore({ dataDir: dir });
    try {
      expect(await insertAndCount(again.uri)).toBe(1);
    } finally {
      await again.close();
    }
    expect(processState(storePid)).toBe('Z');
  }, 30_000);

  it.skipIf(!canUnshare)('restarts after SIGKILL when the new store gets the dead one’s pid (pid 1 in a pid namespace)', async () => {
    const dir = tempDir();
    const wrap = ['unshare', '--pid', '--fork', '--kill-child'];
    const first = await startStoreProcess(dir, { wrap });
    procs.push(first.proc);
    expect(await insertAndCount(first.uri, { n: 1 })).toBe(1);
    expect(lockOwner(dir)).toBe('1');
    const gone = new Promise((r) => first.proc.stdout!.once('close', r));
    first.proc.kill('SIGKILL'); // --kill-child: the store (pid 1 inside) gets SIGKILL too
    await gone;
    await exited(first.proc);
    const second = await startStoreProcess(dir, { wrap });
    procs.push(second.proc);
    expect(lockOwner(dir)).toBe('1');
    expect(await insertAndCount(second.uri, { n: 2 })).toBe(2);
    second.proc.kill('SIGKILL'); // unshare --fork ignores SIGTERM
    await exited(second.proc);
  }, 60_000);

  it('gives a stale lock to exactly one of several starters racing for it', async () => {
    const dir = tempDir();
    const RACERS = 8;
    const racers = Array.from({ length: RACERS }, () => {
      const proc = spawn(process.execPath, ['--import', 'tsx', 'test/embedded/fixtures/lock-racer.ts', dir], {
        cwd: root,
        stdio: ['pipe', 'pipe', 'inherit'],
      });
      procs.push(proc);
      const lines: string[] = [];
      let wake: (() => void) | null = null;
      createInterface({ input: proc.stdout! }).on('line', (l) => {
        lines.push(l);
        wake?.();
      });
      const next = async (): Promise<string> => {
        while (lines.length === 0) await new Promise<void>((r) => (wake = r));
        return lines.shift()!;
      };
      return { proc, next };
    });
    for (const r of racers) expect(await r.next()).toBe('ready');
    const dead = spawnSync('true').pid!;
    for (let round = 0; round < 60; round++) {
      writeFileSync(join(dir, 'store.lock'), String(dead)); // left behind by a store that died
      for (const r of racers) r.proc.stdin!.write('lock\n');
      const answers = await Promise.all(racers.map((r) => r.next()));
      expect(answers.filter((a) => a === 'locked'), `round ${round}: ${answers.join(', ')}`).toHaveLength(1);
      expect(answers.filter((a) => a === 'refused DataDirLockedError')).toHaveLength(RACERS - 1);
      for (const r of racers) r.proc.stdin!.write('release\n');
      for (const r of racers) expect(await r.next()).toBe('released');
    }
  }, 60_000);
});
