// One process per data directory, as mongod's mongod.lock: an exclusive lock on `store.lock` that
// the kernel drops when the owner dies. A pid file cannot tell a live owner from a zombie that is
// not reaped yet, nor from this very process when a container hands out the same pid after every
// restart, and two starters meeting a stale pid file could both take it over.
// The file is never deleted: a starter that opened it just before an unlink would lock an inode
// nobody else looks at. Its content (the owner's pid) only makes the refusal message useful.
import { closeSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { tryLock, unlock } from 'fs-native-extensions';
import { DataDirLockedError } from './errors.js';

/**
 * How long a starter keeps asking before it refuses. A process SIGKILLed a moment ago can already
 * show as a zombie while its other threads (one may be inside an fsync) still hold its files.
 */
export const LOCK_GRACE_MS = 1_000;
const RETRY_MS = 20;

export interface DirLock {
  release(): void;
}

export async function lockDataDir(dir: string, graceMs = LOCK_GRACE_MS): Promise<DirLock> {
  const path = join(dir, 'store.lock');
  const fd = openSync(path, 'a+');
  const deadline = Date.now() + graceMs;
  try {
    while (!tryLock(fd)) {
      if (Date.now() >= deadline) {
        const owner = Number.parseInt(readFileSync(path, 'utf8'), 10);
        throw new DataDirLockedError(dir, Number.isInteger(owner) && owner > 0 ? owner : null);
      }
      await sleep(RETRY_MS);
    }
  } catch (err) {
    closeSync(fd);
    throw err;
  }
  ftruncateSync(fd, 0);
  writeSync(fd, `${process.pid}\n`);
  let held = true;
  return {
    release: () => {
      if (!held) return;
      held = false;
      unlock(fd);
      closeSync(fd);
    },
  };
}
