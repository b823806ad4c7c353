// `npm run store` as a child process, for the tests that kill it: resolves with the URI it prints
// once it listens, rejects with its stderr if it exits before. `wrap` runs it under another
// command (e.g. `unshare --pid --fork`, or a shell that never reaps it).
import { type ChildProcess, spawn } from 'node:child_process';

const root = new URL('../../', import.meta.url).pathname;

export interface StoreProcess {
  proc: ChildProcess;
  uri: string;
  stderr(): string;
}

export interface StoreProcessOptions {
  env?: Record<string, string>;
  wrap?: string[];
  onLog?: (line: string) => void;
  onStdout?: (line: string) => void;
}

export function startStoreProcess(dataDir: string, opts: StoreProcessOptions = {}): Promise<StoreProcess> {
  const argv = [...(opts.wrap ?? []), process.execPath, '--import', 'tsx', 'bin/store.ts'];
  const proc = spawn(argv[0], argv.slice(1), {
    cwd: root,
    env: { ...process.env, DATA_DIR: dataDir, EMBEDDED_MONGO_PORT: '0', LOG_LEVEL: 'info', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  proc.stderr!.on('data', (b: Buffer) => {
    err += b.toString();
    if (opts.onLog) for (const line of b.toString().split('\n')) if (line) opts.onLog(line);
  });
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      if (opts.onStdout) for (const line of b.toString().split('\n')) if (line) opts.onStdout(line);
      const m = /mongodb:\/\/\S+/.exec(out);
      if (m) resolve({ proc, uri: m[0], stderr: () => err });
    });
    proc.once('exit', (code, signal) => reject(Object.assign(new Error(`store exited with ${code ?? signal} before listening: ${err}`), { code, stderr: err })));
  });
}

/** Resolves once `proc` has exited (at once if it already has). */
export function exited(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => proc.once('exit', () => resolve()));
}
