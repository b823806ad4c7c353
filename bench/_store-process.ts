// The embedded store in its own process (as a MongoDB server would be), so its work does not
// stall the event loop of the engines being measured. STORE_CPU_PROF=<dir> runs it under
// --cpu-prof, the profile written to that directory when it stops.
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export async function storeProcess(): Promise<{ uri: string; child: ChildProcess }> {
  const prof = process.env.STORE_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.STORE_CPU_PROF}`, '--cpu-prof-interval=200'] : [];
  const child = spawn(process.execPath, [...prof, '--import', 'tsx', 'bin/store.ts'], {
    env: { ...process.env, EMBEDDED_IN_MEMORY: '1', EMBEDDED_MONGO_PORT: '0', LOG_LEVEL: 'error' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const uri = await new Promise<string>((resolve, reject) => {
    lines.once('line', (line) => resolve(line.trim()));
    child.once('exit', (code) => reject(new Error(`bin/store.ts exited with ${code} before printing its URI`)));
  });
  return { uri, child };
}
