// `npm run bench -- crash [--rounds N]`: the store as a supervisor runs it, SIGKILLed under 16 writers
// N times (default 20) and restarted at once each time on the same data directory. After
// every restart, every write acknowledged in any earlier round must be there, every batch whole,
// every counter between its acknowledged and attempted increments. Exits 1 on any loss.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type StoreProcess, exited, startStoreProcess } from '../test/support/store-process.js';
import { BATCH, WRITERS, ledgerProblems, newLedger, writeUntilDown } from '../test/support/write-ledger.js';
import { arg } from './_args.js';

export async function run(args: string[]): Promise<void> {
  const rounds = arg(args, 'rounds', 20);
  const dir = mkdtempSync(join(tmpdir(), 'bench-crash-'));
  const ledger = newLedger();
  const started = Date.now();
  let store: StoreProcess = await startStoreProcess(dir, { env: { LOG_LEVEL: 'warn' } });
  let lost = 0;
  try {
    for (let round = 1; round <= rounds; round++) {
      let acks = 0;
      const target = 100 + Math.floor(Math.random() * 300);
      const victim = store;
      await writeUntilDown(victim.uri, 'crash', ledger, () => {
        if (++acks === target) victim.proc.kill('SIGKILL');
      }, round * 1_000_000);
      // Restart at once, as a supervisor does: the dead store may not even be reaped yet.
      store = await startStoreProcess(dir, { env: { LOG_LEVEL: 'warn' } });
      await exited(victim.proc);
      const found = await ledgerProblems(store.uri, 'crash', ledger);
      lost += found.length;
      console.log(`round ${round}: killed after ${acks} acknowledged batches; ${ledger.acked.size} acknowledged so far; ${found.length === 0 ? 'none lost' : found.slice(0, 5).join('; ')}`);
    }
  } finally {
    store.proc.kill('SIGTERM');
    await exited(store.proc);
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`${rounds} SIGKILLs under ${WRITERS} writers: ${ledger.acked.size} batches of ${BATCH} acknowledged, ${lost} problems, ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (lost > 0) process.exitCode = 1;
}
