// Server-side cursors: the remaining results of a find/aggregate, handed out batch by batch by
// getMore, and killed once idle longer than the timeout as mongod does (10 minutes by default).
// Idleness is measured on an injected clock so tests can age a cursor without waiting; a getMore
// on an expired cursor fails even before the periodic sweep has freed it.
import { Long, calculateObjectSize } from 'bson';
import type { Doc } from './errors.js';
import { CommandError } from './errors.js';

const MAX_BATCH_BYTES = 8 * 1024 * 1024;
const DEFAULT_GETMORE_BATCH = 1000;

interface OpenCursor {
  ns: string;
  docs: Doc[];
  pos: number;
  lastUsed: number;
  noTimeout: boolean;
  /** Applied to each document as it is handed out (projection), so untouched results stay shared. */
  shape: (d: Doc) => Doc;
}

export const DEFAULT_CURSOR_TIMEOUT_MS = 10 * 60_000;

export class CursorRegistry {
  private readonly open = new Map<string, OpenCursor>();
  private nextId = 1n;
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly idleTimeoutMs = DEFAULT_CURSOR_TIMEOUT_MS,
    private readonly now: () => number = Date.now,
  ) {
    this.sweeper = setInterval(() => this.sweep(), Math.min(idleTimeoutMs, 60_000));
    this.sweeper.unref();
  }

  /** Builds the reply's `cursor` document for a first batch, registering the rest if any. */
  first(ns: string, docs: Doc[], batchSize: number | undefined, opts: { single?: boolean; noTimeout?: boolean; shape?: (d: Doc) => Doc } = {}): Doc {
    const shape = opts.shape ?? ((d: Doc) => d);
    const cursor: OpenCursor = { ns, docs, pos: 0, lastUsed: this.now(), noTimeout: opts.noTimeout === true, shape };
    const batch = take(cursor, batchSize ?? 101);
    let id = Long.ZERO;
    if (!opts.single && cursor.pos < docs.length) {
      const n = this.nextId++;
      this.open.set(n.toString(), cursor);
      id = Long.fromBigInt(n);
    }
    return { firstBatch: batch, id, ns };
  }

  getMore(id: Long | number, ns: string, batchSize: number | undefined): Doc {
    const key = BigInt(id.toString()).toString();
    const now = this.now();
    const cursor = this.open.get(key);
    if (!cursor || this.expired(cursor, now)) {
      this.open.delete(key);
      throw new CommandError(43, 'CursorNotFound', `cursor id ${key} not found`);
    }
    if (cursor.ns !== ns)
      throw new CommandError(13, 'Unauthorized', `Requested getMore on namespace '${ns}', but cursor belongs to a different namespace ${cursor.ns}`);
    cursor.lastUsed = now;
    const batch = take(cursor, batchSize ?? DEFAULT_GETMORE_BATCH);
    const done = cursor.pos >= cursor.docs.length;
    if (done) this.open.delete(key);
    return { nextBatch: batch, id: done ? Long.ZERO : Long.fromString(key), ns };
  }

  kill(ids: unknown[]): { killed: Long[]; notFound: Long[] } {
    const killed: Long[] = [];
    const notFound: Long[] = [];
    for (const raw of ids) {
      const long = Long.fromString(String(raw));
      (this.open.delete(long.toString()) ? killed : notFound).push(long);
    }
    return { killed, notFound };
  }

  /** Frees every cursor idle for longer than the timeout (noCursorTimeout ones excepted). */
  private sweep(): void {
    const now = this.now();
    for (const [id, c] of this.open) if (this.expired(c, now)) this.open.delete(id);
  }

  private expired(c: OpenCursor, now: number): boolean {
    return !c.noTimeout && now - c.lastUsed > this.idleTimeoutMs;
  }

  close(): void {
    clearInterval(this.sweeper);
    this.open.clear();
  }
}

function take(cursor: OpenCursor, batchSize: number): Doc[] {
  const limit = batchSize > 0 ? batchSize : DEFAULT_GETMORE_BATCH;
  const batch: Doc[] = [];
  let bytes = 0;
  while (cursor.pos < cursor.docs.length && batch.length < limit) {
    const d = cursor.shape(cursor.docs[cursor.pos]);
    // The first document always goes, whatever its size: it is measured only once a second one
    // may join it (a $facet result is one document of several MB, measured again by the reply).
    if (batch.length > 0) {
      if (batch.length === 1) bytes = calculateObjectSize(batch[0]);
      bytes += calculateObjectSize(d);
      if (bytes > MAX_BATCH_BYTES) break;
    }
    batch.push(d);
    cursor.pos++;
  }
  return batch;
}
