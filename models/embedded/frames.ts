// On-disk record framing shared by the journal and the snapshot: [u32 length][u32 crc32][BSON].
// A frame whose length or checksum does not add up is a torn (partially written) record.
import { crc32 } from 'node:zlib';
import { deserialize, serialize } from 'bson';
import type { Doc } from './errors.js';

const HEADER = 8;

export function encodeFrame(doc: Doc): Buffer {
  const body = serialize(doc);
  const frame = Buffer.allocUnsafe(HEADER + body.length);
  frame.writeUInt32LE(body.length, 0);
  frame.writeUInt32LE(crc32(body), 4);
  frame.set(body, HEADER);
  return frame;
}

export interface Decoded {
  docs: Doc[];
  /** Byte offset just after the last whole frame. */
  goodBytes: number;
  /** Set when bytes after `goodBytes` do not form a whole, valid frame. */
  torn: string | null;
}

export function decodeFrames(buf: Buffer): Decoded {
  const docs: Doc[] = [];
  let off = 0;
  while (off < buf.length) {
    if (buf.length - off < HEADER) return { docs, goodBytes: off, torn: `${buf.length - off} trailing bytes` };
    const len = buf.readUInt32LE(off);
    const sum = buf.readUInt32LE(off + 4);
    if (len < 5 || off + HEADER + len > buf.length)
      return { docs, goodBytes: off, torn: `record at byte ${off} declares ${len} bytes, ${buf.length - off - HEADER} present` };
    const body = buf.subarray(off + HEADER, off + HEADER + len);
    if (crc32(body) !== sum) return { docs, goodBytes: off, torn: `record at byte ${off} fails its checksum` };
    try {
      docs.push(deserialize(body, { promoteLongs: true, promoteValues: true }));
    } catch (err) {
      return { docs, goodBytes: off, torn: `record at byte ${off} is not valid BSON (${(err as Error).message})` };
    }
    off += HEADER + len;
  }
  return { docs, goodBytes: off, torn: null };
}
