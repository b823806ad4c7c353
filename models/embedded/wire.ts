// MongoDB wire protocol framing: parses OP_QUERY and OP_MSG requests (document sequences and the
// checksum flag included) and encodes OP_REPLY / OP_MSG replies.
import { calculateObjectSize, deserialize } from 'bson';
import type { Doc } from './errors.js';
import { serializeExact } from './frames.js';
import { MAX_BSON_OBJECT_BYTES, bsonObjectTooLarge } from './limits.js';

const OP_REPLY = 1;
const OP_QUERY = 2004;
const OP_MSG = 2013;
export const MAX_MESSAGE_BYTES = 48_000_000;
const CHECKSUM_PRESENT = 1;
const MORE_TO_COME = 2;

export class ProtocolError extends Error {}

export interface Request {
  requestId: number;
  opCode: number;
  /** The command document, with OP_MSG document sequences merged in as arrays. */
  command: Doc;
  db: string;
  moreToCome: boolean;
  /** Set when a BSON object in the message is over mongod's limit: answered instead of running the command. */
  refusal: Doc | null;
}

// int64 values arrive as bigint (and go back out as int64): promoted to numbers, a long stored by
// a client came back as an int32 or a double.
const BSON_OPTS = { useBigInt64: true, promoteValues: true, validation: { utf8: false } } as const;

function readDoc(buf: Buffer, off: number): { doc: Doc; end: number; size: number } {
  if (off + 5 > buf.length) throw new ProtocolError('truncated BSON document');
  const size = buf.readInt32LE(off);
  if (size < 5 || off + size > buf.length) throw new ProtocolError(`BSON document size ${size} overruns the message`);
  try {
    return { doc: deserialize(buf.subarray(off, off + size), BSON_OPTS), end: off + size, size };
  } catch (err) {
    throw new ProtocolError(`invalid BSON: ${(err as Error).message}`);
  }
}

/** mongod validates every object of a message against its size limit before running anything. */
function sizeRefusal(r: { doc: Doc; size: number }, refusal: Doc | null): Doc | null {
  return refusal ?? (r.size > MAX_BSON_OBJECT_BYTES ? bsonObjectTooLarge(r.size, r.doc).toReply() : null);
}

function readCString(buf: Buffer, off: number): { value: string; end: number } {
  const nul = buf.indexOf(0, off);
  if (nul < 0) throw new ProtocolError('unterminated string');
  return { value: buf.toString('utf8', off, nul), end: nul + 1 };
}

/** Parses one whole message (header included). Throws ProtocolError on anything malformed. */
export function parseMessage(msg: Buffer): Request {
  const requestId = msg.readInt32LE(4);
  const opCode = msg.readInt32LE(12);
  if (opCode === OP_MSG) {
    const flags = msg.readUInt32LE(16);
    if (flags & ~(CHECKSUM_PRESENT | MORE_TO_COME | (1 << 16)))
      throw new ProtocolError(`OP_MSG carries unknown required flag bits 0x${flags.toString(16)}`);
    const end = flags & CHECKSUM_PRESENT ? msg.length - 4 : msg.length;
    let off = 20;
    let body: Doc | null = null;
    let refusal: Doc | null = null;
    const sequences: [string, Doc[]][] = [];
    while (off < end) {
      const kind = msg[off++];
      if (kind === 0) {
        if (body) throw new ProtocolError('OP_MSG has more than one body section');
        const r = readDoc(msg, off);
        refusal = sizeRefusal(r, refusal);
        body = r.doc;
        off = r.end;
      } else if (kind === 1) {
        if (off + 4 > end) throw new ProtocolError('truncated document sequence');
        const size = msg.readInt32LE(off);
        const seqEnd = off + size;
        if (size < 5 || seqEnd > end) throw new ProtocolError('document sequence overruns the message');
        const id = readCString(msg, off + 4);
        const docs: Doc[] = [];
        let p = id.end;
        while (p < seqEnd) {
          const r = readDoc(msg, p);
          if (r.end > seqEnd) throw new ProtocolError('document overruns its sequence');
          refusal = sizeRefusal(r, refusal);
          docs.push(r.doc);
          p = r.end;
        }
        sequences.push([id.value, docs]);
        off = seqEnd;
      } else throw new ProtocolError(`unknown OP_MSG section kind ${kind}`);
    }
    if (!body) throw new ProtocolError('OP_MSG has no body section');
    for (const [id, docs] of sequences) body[id] = docs;
    const db = typeof body.$db === 'string' ? body.$db : 'admin';
    return { requestId, opCode, command: body, db, moreToCome: (flags & MORE_TO_COME) !== 0, refusal };
  }
  if (opCode === OP_QUERY) {
    const ns = readCString(msg, 20);
    const q = readDoc(msg, ns.end + 8);
    let command = q.doc;
    if (command.$query && typeof command.$query === 'object') command = command.$query as Doc;
    const db = ns.value.endsWith('.$cmd') ? ns.value.slice(0, -5) : ns.value.split('.')[0];
    return { requestId, opCode, command, db, moreToCome: false, refusal: sizeRefusal(q, null) };
  }
  throw new ProtocolError(`unsupported opcode ${opCode}`);
}

let nextResponseId = 1;

function header(length: number, responseTo: number, opCode: number): Buffer {
  const h = Buffer.allocUnsafe(16);
  h.writeInt32LE(length, 0);
  h.writeInt32LE(nextResponseId++ & 0x7fffffff, 4);
  h.writeInt32LE(responseTo, 8);
  h.writeInt32LE(opCode, 12);
  return h;
}

/** A reply over mongod's object limit is answered with mongod's BSONObjectTooLarge instead. */
export function encodeReply(req: Request, doc: Doc): Buffer {
  const size = calculateObjectSize(doc);
  const body = size > MAX_BSON_OBJECT_BYTES ? serializeExact(bsonObjectTooLarge(size, doc).toReply()) : serializeExact(doc, size);
  if (req.opCode === OP_QUERY) {
    const fixed = Buffer.alloc(20);
    fixed.writeInt32LE(0, 0);
    fixed.writeBigInt64LE(0n, 4);
    fixed.writeInt32LE(0, 12);
    fixed.writeInt32LE(1, 16);
    return Buffer.concat([header(16 + 20 + body.length, req.requestId, OP_REPLY), fixed, body]);
  }
  const flags = Buffer.alloc(5);
  return Buffer.concat([header(16 + 5 + body.length, req.requestId, OP_MSG), flags, body]);
}
