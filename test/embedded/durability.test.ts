// Crash safety: the store runs as a child process, is SIGKILLed under concurrent load (once at a
// random point, once right as a compaction starts), and must come back with every acknowledged
// write and no half-applied command.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type StoreProcess, startStoreProcess } from '../support/store-process.js';
import { type Ledger, ledgerProblems, newLedger, writeUntilDown } from '../support/write-ledger.js';

const dirs: string[] = [];
const children: ChildProcess[] = [];

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function startChild(dataDir: string, env: Record<string, string> = {}, onLog?: (line: string) => void): Promise<StoreProcess> {
  const started = startStoreProcess(dataDir, { env, onLog });
  void started.then((c) => children.push(c.proc), () => undefined);
  return started;
}

async function verify(uri: string, ledger: Ledger): Promise<void> {
  expect(await ledgerProblems(uri, 'dur', ledger)).toEqual([]);
}

describe('durability across SIGKILL', () => {
  it('keeps every acknowledged write and never half-applies a command', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'store-dur-'));
    dirs.push(dir);
    const first = await startChild(dir);
    const ledger = newLedger();
    let acks = 0;
    const target = 300 + Math.floor(Math.random() * 300);
    await writeUntilDown(first.uri, 'dur', ledger, () => {
      if (++acks === target) first.proc.kill('SIGKILL');
    });
    expect(ledger.acked.size).toBeGreaterThanOrEqual(target);
    const second = await startChild(dir);
    await verify(second.uri, ledger);
    second.proc.kill('SIGTERM');
  }, 60_000);

  it('recovers when killed while compacting', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'store-compact-'));
    dirs.push(dir);
    let compactions = 0;
    let proc: ChildProcess | null = null;
    const first = await startChild(dir, { EMBEDDED_COMPACT_EVERY_BYTES: '200000' }, (line) => {
      if (line.includes('compaction started') && ++compactions === 3) proc?.kill('SIGKILL');
    });
    proc = first.proc;
    const ledger = newLedger();
    await writeUntilDown(first.uri, 'dur', ledger, () => undefined);
    expect(compactions).toBeGreaterThanOrEqual(3);
    const second = await startChild(dir, { EMBEDDED_COMPACT_EVERY_BYTES: '200000' });
    await verify(second.uri, ledger);
    second.proc.kill('SIGTERM');
  }, 60_000);
});
