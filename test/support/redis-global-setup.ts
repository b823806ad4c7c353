// Tests talk to a real Redis. Use the one at REDIS_URL when it answers; otherwise start a
// throwaway redis-server on a free loopback port for this run, or say in one line how to get one.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import net from 'node:net';
import { freePort } from './net.js';

const DEFAULT_URL = 'redis://127.0.0.1:6379';

function ping(url: string, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      resolve(false);
      return;
    }
    const socket = net.connect({ host: u.hostname || '127.0.0.1', port: Number(u.port || 6379) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => {
      const auth = u.password ? `AUTH ${decodeURIComponent(u.password)}\r\n` : '';
      socket.write(`${auth}PING\r\n`);
    });
    socket.on('data', (buf) => {
      if (buf.toString().includes('PONG')) done(true);
      else if (buf.toString().startsWith('-')) done(false);
    });
  });
}


function hasRedisServer(): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

let child: ChildProcess | undefined;

export default async function setup({ provide }: { provide: (key: string, value: unknown) => void }) {
  const url = process.env.REDIS_URL || DEFAULT_URL;
  if (await ping(url)) {
    process.env.REDIS_URL = url;
    provide('redisUrl', url);
    return;
  }
  if (!hasRedisServer()) {
    throw new Error(
      `No Redis answers at ${url} and redis-server is not installed: run "apt-get install -y redis-server" or set REDIS_URL to a running server.`,
    );
  }
  const port = await freePort();
  child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  const started = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 50 && !(await ping(started, 200)); i++) await new Promise((r) => setTimeout(r, 100));
  if (!(await ping(started))) throw new Error(`redis-server did not start on port ${port}`);
  process.env.REDIS_URL = started;
  provide('redisUrl', started);
  return async () => {
    child?.kill('SIGTERM');
  };
}
