// The CLI as an operator meets it: bad configuration is one line and exit code 2; a normal start
// says what it serves and stops cleanly on SIGTERM with exit code 0. With MONGODB_URI set (a real
// MongoDB, or `npm run store`) it serves that, in a database of its own dropped afterwards.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropDatabase } from '../support/mongo.js';
import { afterAll, describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
// As `npm start` runs it: node with tsx's loader, so a signal reaches the desk itself and no
// wrapper process in between decides the exit code.
const START = ['--import', 'tsx', 'bin/start.ts'];
const dirs: string[] = [];
const external = process.env.MONGODB_URI;
const dbName = `cli_${randomBytes(4).toString('hex')}`;
afterAll(async () => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  if (external) await dropDatabase(external, dbName);
});

function run(env: Record<string, string>, opts: { killAfter?: RegExp; closeStdin?: boolean } = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, START, { cwd: root, env: { ...process.env, MONGODB_DB: dbName, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const check = () => {
      if (opts.killAfter?.test(stdout + stderr)) {
        opts.killAfter = undefined;
        child.kill('SIGTERM');
      }
    };
    child.stdout.on('data', (d) => {
      stdout += d;
      check();
    });
    child.stderr.on('data', (d) => {
      stderr += d;
      check();
    });
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
    if (opts.closeStdin) child.stdin.end();
  });
}

describe('npm start', () => {
  it.each([
    ['REDIS_URL', 'not-a-url'],
    ['OFFICE_HOURS', '25:00-17:00'],
    ['MONGODB_URI', 'localhost'],
    ['CHANNELS', 'telegram'],
  ])('prints one clear line and exits 2 for %s=%s', async (name, value) => {
    const r = await run({ [name]: value });
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(name);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('refuses a broken directory file in one line', async () => {
    const r = await run({ DIRECTORY_FILE: 'config/does-not-exist.json', EMBEDDED_IN_MEMORY: '1' });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('does-not-exist.json');
  });

  it('runs headless with CHANNELS=none: a closed stdin does not stop it, SIGTERM does (exit 0)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'desk-cli-'));
    dirs.push(dataDir);
    const started = Date.now();
    // Give it a moment after "serving" with stdin already closed; only then is SIGTERM sent.
    const r = await run({ DATA_DIR: dataDir, CHANNELS: 'none' }, { killAfter: /serving[\s\S]*channels: none/, closeStdin: true });
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).toContain('SIGTERM: stopping');
    expect(r.stdout + r.stderr).not.toContain('end of input');
    expect(Date.now() - started).toBeLessThan(20_000);
  }, 30_000);

  it('starts, says what it serves, and exits 0 on SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'desk-cli-'));
    dirs.push(dataDir);
    const r = await run({ DATA_DIR: dataDir, CHANNELS: '', LOG_LEVEL: 'info' }, { killAfter: /serving/ });
    if (external) {
      expect(r.stdout + r.stderr).toMatch(/serving — MongoDB: mongodb(\+srv)?:\/\/[^;]+; coordination/);
      expect(r.stdout + r.stderr).not.toContain('(embedded');
    } else expect(r.stdout + r.stderr).toMatch(/serving — MongoDB: mongodb:\/\/127\.0\.0\.1:\d+\/ \(embedded/);
    expect(r.code).toBe(0);
  }, 30_000);
});
