// One OP_MSG command over a raw socket, for sizes the driver cannot send intact (it serializes
// through bson's 17 MiB scratch buffer): the body plus optional document sequences.
import net from 'node:net';
import { calculateObjectSize, deserialize, serialize, setInternalBufferSize } from 'bson';

function bson(doc: object): Buffer {
  const size = calculateObjectSize(doc);
  setInternalBufferSize(size);
  const out = Buffer.from(serialize(doc));
  if (out.length !== size) throw new Error(`test BSON cut to ${out.length} of ${size} bytes`);
  return out;
}

export function rawCommand(port: number, body: object, sequences: Record<string, object[]> = {}): Promise<Record<string, unknown>> {
  const sections: Buffer[] = [Buffer.from([0]), bson(body)];
  for (const [id, docs] of Object.entries(sequences)) {
    const payload = Buffer.concat([Buffer.from(`${id}\0`, 'utf8'), ...docs.map(bson)]);
    const size = Buffer.alloc(4);
    size.writeInt32LE(4 + payload.length);
    sections.push(Buffer.from([1]), size, payload);
  }
  const header = Buffer.alloc(20);
  const length = 20 + sections.reduce((n, b) => n + b.length, 0);
  header.writeInt32LE(length, 0);
  header.writeInt32LE(1, 4);
  header.writeInt32LE(2013, 12);
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(Buffer.concat([header, ...sections])));
    let got = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      got = Buffer.concat([got, chunk]);
      if (got.length >= 4 && got.length >= got.readInt32LE(0)) {
        socket.destroy();
        resolve(deserialize(got.subarray(21, got.readInt32LE(0))));
      }
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error('connection closed before a reply')));
  });
}
