// On-disk record framing shared by the journal and the snapshot: [u32 length][u32 crc32][BSON].
// A frame whose length or checksum does not add up is damaged: at the very end of the last
// journal that is a torn write (never acknowledged, since replies wait for the fsync after it);
// anywhere else, records that were acknowledged follow it, so recovery must not skip past it.
import { crc32 } from 'node:zlib';
import { calculateObjectSize, deserialize, serialize, setInternalBufferSize } from 'bson';
import type { Doc } from './errors.js';

const HEADER = 8;
/** bson's serialize() writes into a 17 MiB scratch buffer and silently cuts anything longer. */
const BSON_SCRATCH_BYTES = 17 * 1024 * 1024;

let scratchBytes = BSON_SCRATCH_BYTES;

/** BSON of `doc`, whole whatever its size; throws rather than returning a cut document. */
export function serializeExact(doc: Doc, size = calculateObjectSize(doc)): Buffer {
  if (size > scratchBytes) {
    setInternalBufferSize(size);
    scratchBytes = size;
  }
  const out = serialize(doc);
  if (out.length !== size) throw new Error(`BSON encoding produced ${out.length} of ${size} bytes`);
  return Buffer.from(out.buffer, out.byteOffset, out.length);
}

/**
 * `{ ops: [...] }` assembled from each op's own BSON, so a record of many documents (an insert
 * of up to 48 MB, a snapshot chunk) never goes through bson's scratch buffer as one document.
 */
function serializeRecord(ops: Doc[], extra: Doc): Buffer {
  const parts: Buffer[] = [];
  let arrayBytes = 4 + 1;
  for (const [i, op] of ops.entries()) {
    const key = Buffer.from(`\x03${i}\x00`, 'latin1');
    const body = serializeExact(op);
    parts.push(key, body);
    arrayBytes += key.length + body.length;
  }
  const rest = Object.keys(extra).length > 0 ? serializeExact(extra) : null;
  const restElements = rest ? rest.subarray(4, rest.length - 1) : Buffer.alloc(0);
  const total = 4 + restElements.length + 1 + 4 + arrayBytes + 1;
  const head = Buffer.alloc(4 + restElements.length + 5 + 4);
  head.writeInt32LE(total, 0);
  restElements.copy(head, 4);
  head.write('\x04ops\x00', 4 + restElements.length, 'latin1');
  head.writeInt32LE(arrayBytes, 4 + restElements.length + 5);
  return Buffer.concat([head, ...parts, Buffer.from([0, 0])], total);
}

export function encodeFrame(doc: Doc): Buffer {
  const { ops, ...extra } = doc;
  const body = Array.isArray(ops) ? serializeRecord(ops as Doc[], extra) : serializeExact(doc);
  const frame = Buffer.allocUnsafe(HEADER + body.length);
  frame.writeUInt32LE(body.length, 0);
  frame.writeUInt32LE(crc32(body), 4);
  frame.set(body, HEADER);
  return frame;
}

export interface Decoded {
  docs: Doc[];
  /** Byte offset just after the last whole frame before any damage. */
  goodBytes: number;
  /** Set when bytes from `goodBytes` on do not form a whole, valid frame. */
  torn: string | null;
  /** Where the next whole, valid frame after the damage starts; null when none follows (a torn tail). */
  intactAfter: number | null;
}

type FrameRead = { doc: Doc; end: number } | { bad: string };

function readFrame(buf: Buffer, off: number): FrameRead {
  if (buf.length - off < HEADER) return { bad: `${buf.length - off} trailing bytes` };
  const len = buf.readUInt32LE(off);
  const sum = buf.readUInt32LE(off + 4);
  if (len < 5 || off + HEADER + len > buf.length)
    return { bad: `record at byte ${off} declares ${len} bytes, ${buf.length - off - HEADER} present` };
  const body = buf.subarray(off + HEADER, off + HEADER + len);
  if (crc32(body) !== sum) return { bad: `record at byte ${off} fails its checksum` };
  try {
    return { doc: deserialize(body, { useBigInt64: true, promoteValues: true }), end: off + HEADER + len };
  } catch (err) {
    return { bad: `record at byte ${off} is not valid BSON (${(err as Error).message})` };
  }
}

/** The first offset after `from` where a whole, valid frame starts, or null. */
function nextIntactFrame(buf: Buffer, from: number): number | null {
  for (let off = from + 1; off + HEADER + 5 <= buf.length; off++) if ('doc' in readFrame(buf, off)) return off;
  return null;
}

export function decodeFrames(buf: Buffer): Decoded {
  const docs: Doc[] = [];
  let off = 0;
  while (off < buf.length) {
    const r = readFrame(buf, off);
    if ('bad' in r) return { docs, goodBytes: off, torn: r.bad, intactAfter: nextIntactFrame(buf, off) };
    docs.push(r.doc);
    off = r.end;
  }
  return { docs, goodBytes: off, torn: null, intactAfter: null };
}
