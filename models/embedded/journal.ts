// Durable storage: a write-ahead journal with group commit, plus snapshot compaction.
//
// Files in the data directory:
//   snapshot.bson       the whole state, covering every journal numbered below its `next`
//   journal-NNNNNN.log  one frame per acknowledged command, fsynced before the reply
// Compaction rotates to a fresh journal at an instant when the in-memory state equals everything
// journaled so far, writes the snapshot to a temp file, fsyncs, renames it over the old one and
// only then deletes the covered journals, so a crash at any point leaves a replayable directory.
import { mkdirSync, readdirSync, readFileSync, truncateSync, unlinkSync, existsSync } from 'node:fs';
import { type FileHandle, open, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Catalog } from './catalog.js';
import { type Doc, JournalDamagedError } from './errors.js';
import { decodeFrames, encodeFrame } from './frames.js';
import type { JournalOp } from './journal-ops.js';
import { type DirLock, lockDataDir } from './lock.js';

const SNAPSHOT = 'snapshot.bson';
const SNAPSHOT_TMP = 'snapshot.bson.tmp';
const journalName = (n: number) => `journal-${String(n).padStart(6, '0')}.log`;
const JOURNAL_RE = /^journal-(\d{6,})\.log$/;
const SNAPSHOT_CHUNK = 500;

export interface Recovery {
  snapshotDocs: number;
  replayedRecords: number;
  /** Why the tail of the last journal was discarded, when it was torn by a crash. */
  tornRecord: string | null;
}

interface Waiter {
  resolve(): void;
  reject(err: Error): void;
}

export class Journal {
  private pending: Buffer[] = [];
  private waiters: Waiter[] = [];
  private flushing: Promise<void> | null = null;
  private compaction: Promise<void> | null = null;
  private size: number;
  private failed: Error | null = null;

  private constructor(
    private readonly dir: string,
    private readonly catalog: Catalog,
    private readonly logger: Logger,
    private readonly compactEveryBytes: number,
    private readonly lock: DirLock,
    private fh: FileHandle,
    private number: number,
    size: number,
  ) {
    this.size = size;
  }

  static async open(
    dir: string,
    catalog: Catalog,
    logger: Logger,
    compactEveryBytes: number,
  ): Promise<{ journal: Journal; recovery: Recovery }> {
    mkdirSync(dir, { recursive: true });
    const lock = await lockDataDir(dir);
    try {
      const recovery: Recovery = { snapshotDocs: 0, replayedRecords: 0, tornRecord: null };
      if (existsSync(join(dir, SNAPSHOT_TMP))) unlinkSync(join(dir, SNAPSHOT_TMP));
      let next = 1;
      if (existsSync(join(dir, SNAPSHOT))) next = loadSnapshot(join(dir, SNAPSHOT), catalog, recovery);
      const numbers = readdirSync(dir)
        .map((f) => JOURNAL_RE.exec(f))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => Number(m[1]))
        .sort((a, b) => a - b);
      for (const n of numbers.filter((n) => n < next)) unlinkSync(join(dir, journalName(n)));
      const live = numbers.filter((n) => n >= next);
      let size = 0;
      for (const [i, n] of live.entries()) {
        const path = join(dir, journalName(n));
        const decoded = decodeFrames(readFileSync(path));
        for (const rec of decoded.docs) {
          for (const op of rec.ops as JournalOp[]) catalog.replay(op);
          recovery.replayedRecords++;
        }
        if (decoded.torn) {
          if (i !== live.length - 1 || decoded.intactAfter !== null)
            throw new JournalDamagedError(path, decoded.goodBytes, decoded.torn, decoded.intactAfter);
          recovery.tornRecord = `${journalName(n)}: ${decoded.torn}`;
          logger.warn({ file: path, reason: decoded.torn }, 'embedded store: discarded a torn last journal record');
          truncateSync(path, decoded.goodBytes);
        }
        size = decoded.goodBytes;
      }
      const current = live.length > 0 ? live[live.length - 1] : next;
      const fh = await open(join(dir, journalName(current)), 'a');
      await syncDir(dir);
      const journal = new Journal(dir, catalog, logger, compactEveryBytes, lock, fh, current, size);
      return { journal, recovery };
    } catch (err) {
      lock.release();
      throw err;
    }
  }

  /** Resolves once the ops are on disk (fsynced); concurrent callers share one fsync. */
  append(ops: JournalOp[]): Promise<void> {
    if (ops.length === 0) return Promise.resolve();
    if (this.failed) return Promise.reject(this.failed);
    try {
      this.pending.push(encodeFrame({ ops }));
    } catch (err) {
      // The change is already in memory but can never reach the disk: acknowledging anything after
      // it would build on state a restart does not have.
      this.failed = new Error(`embedded store journal could not encode a record: ${(err as Error).message}`);
      this.logger.error({ err }, 'embedded store: journal record could not be encoded; refusing further writes');
      return Promise.reject(this.failed);
    }
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (!this.flushing) this.flushing = new Promise((r) => setImmediate(r)).then(() => this.flushLoop());
    return done;
  }

  private async flushLoop(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const bufs = this.pending;
        const waiters = this.waiters;
        this.pending = [];
        this.waiters = [];
        // Captured synchronously with taking `bufs`: the state now equals everything in `bufs`
        // and before, so the snapshot covers exactly the journals up to the current one.
        const snapshot = this.size >= this.compactEveryBytes && !this.compaction ? [...this.catalog.dump()] : null;
        try {
          const data = bufs.length === 1 ? bufs[0] : Buffer.concat(bufs);
          let written = 0;
          while (written < data.length) written += (await this.fh.write(data, written)).bytesWritten;
          await this.fh.datasync();
          this.size += data.length;
          for (const w of waiters) w.resolve();
        } catch (err) {
          this.failed = new Error(`embedded store journal write failed: ${(err as Error).message}`);
          this.logger.error({ err }, 'embedded store: journal write failed; refusing further writes');
          for (const w of waiters) w.reject(this.failed);
        }
        if (snapshot && !this.failed) {
          // The records are already durable and acknowledged; a compaction that cannot start only
          // leaves the journal growing, so it must not end this loop (nor the process).
          try {
            await this.rotateAndCompact(snapshot);
          } catch (err) {
            this.logger.error({ err }, 'embedded store: could not rotate the journal for a compaction; the current journal is kept');
          }
        }
      }
    } finally {
      this.flushing = null;
    }
  }

  private async rotateAndCompact(snapshot: JournalOp[]): Promise<void> {
    const covered = this.number;
    const next = covered + 1;
    const newFh = await open(join(this.dir, journalName(next)), 'a');
    try {
      await syncDir(this.dir);
    } catch (err) {
      await newFh.close();
      throw err;
    }
    const old = this.fh;
    this.fh = newFh;
    this.number = next;
    this.size = 0;
    await old.close();
    this.logger.info({ covered, docs: snapshot.length }, 'embedded store: compaction started');
    this.compaction = this.writeSnapshot(snapshot, next, covered)
      .catch((err) => this.logger.error({ err }, 'embedded store: compaction failed; the journal is kept'))
      .finally(() => {
        this.compaction = null;
      });
  }

  private async writeSnapshot(ops: JournalOp[], next: number, covered: number): Promise<void> {
    const tmp = join(this.dir, SNAPSHOT_TMP);
    const fh = await open(tmp, 'w');
    try {
      await fh.write(encodeFrame({ t: 'snapshot', v: 1, next }));
      for (let i = 0; i < ops.length; i += SNAPSHOT_CHUNK) {
        await fh.write(encodeFrame({ ops: ops.slice(i, i + SNAPSHOT_CHUNK) }));
      }
      await fh.write(encodeFrame({ t: 'end', count: ops.length }));
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, join(this.dir, SNAPSHOT));
    await syncDir(this.dir);
    for (let n = covered; n >= 1; n--) {
      try {
        await unlink(join(this.dir, journalName(n)));
      } catch {
        break;
      }
    }
    this.logger.info({ next }, 'embedded store: compaction finished');
  }

  /** Waits for pending writes and any compaction, then closes the journal and releases the lock. */
  async close(): Promise<void> {
    while (this.flushing || this.compaction) {
      await this.flushing;
      await this.compaction;
    }
    await this.fh.close();
    this.lock.release();
  }
}

function loadSnapshot(path: string, catalog: Catalog, recovery: Recovery): number {
  const decoded = decodeFrames(readFileSync(path));
  const [header, ...rest] = decoded.docs;
  const trailer = rest.pop() as Doc | undefined;
  if (decoded.torn || header?.t !== 'snapshot' || trailer?.t !== 'end')
    throw new Error(`snapshot ${path} is incomplete or damaged; restore the data directory from a backup`);
  for (const rec of rest) {
    for (const op of rec.ops as JournalOp[]) {
      catalog.replay(op);
      if (op.k === 'put') recovery.snapshotDocs++;
    }
  }
  return Number(header.next);
}

async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
