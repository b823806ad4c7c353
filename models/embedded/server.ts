// The TCP side: frames messages per connection, runs them one at a time per connection (as a
// driver expects), and closes only the offending connection on malformed input.
import net from 'node:net';
import type { Logger } from 'pino';
import type { CommandContext } from './commands/context.js';
import { runCommand } from './commands/registry.js';
import { encodeReply, MAX_MESSAGE_BYTES, parseMessage, ProtocolError } from './wire.js';

type ContextFactory = (connectionId: number) => CommandContext;

export class WireServer {
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private nextConnectionId = 1;

  constructor(
    private readonly makeContext: ContextFactory,
    private readonly logger: Logger,
  ) {
    this.server = net.createServer((socket) => this.accept(socket));
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve((this.server.address() as net.AddressInfo).port);
      });
    });
  }

  /** Open connections and every connection accepted since start, as serverStatus reports them. */
  connections(): { current: number; totalCreated: number } {
    return { current: this.sockets.size, totalCreated: this.nextConnectionId - 1 };
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await closed;
  }

  private accept(socket: net.Socket): void {
    const connectionId = this.nextConnectionId++;
    const ctx = this.makeContext(connectionId);
    this.sockets.add(socket);
    socket.setNoDelay(true);
    let buffered: Buffer[] = [];
    let bufferedBytes = 0;
    let queue = Promise.resolve();
    const drop = (reason: string) => {
      this.logger.warn({ connectionId, remote: socket.remoteAddress, reason }, 'embedded store: closing connection');
      buffered = [];
      bufferedBytes = 0;
      socket.destroy();
    };
    socket.on('data', (chunk) => {
      buffered.push(chunk);
      bufferedBytes += chunk.length;
      while (bufferedBytes >= 4) {
        if (buffered[0].length < 4) buffered = [Buffer.concat(buffered)];
        const length = buffered[0].readInt32LE(0);
        if (length < 21 || length > MAX_MESSAGE_BYTES) {
          drop(`message length ${length} is outside 21..${MAX_MESSAGE_BYTES} bytes`);
          return;
        }
        // Join the chunks once the whole message is here: joining on every chunk copied a large
        // insert again for each 64 KiB that arrived.
        if (bufferedBytes < length) return;
        const all = buffered.length === 1 ? buffered[0] : Buffer.concat(buffered);
        const msg = all.subarray(0, length);
        const rest = all.subarray(length);
        buffered = rest.length > 0 ? [rest] : [];
        bufferedBytes = rest.length;
        let req: ReturnType<typeof parseMessage>;
        try {
          req = parseMessage(msg);
        } catch (err) {
          drop(err instanceof ProtocolError ? err.message : `unreadable message: ${(err as Error).message}`);
          return;
        }
        queue = queue.then(async () => {
          const reply = req.refusal ?? (await runCommand(req.command, req.db, ctx));
          if (req.moreToCome || socket.destroyed) return;
          try {
            socket.write(encodeReply(req, reply));
          } catch (err) {
            this.logger.error({ err, connectionId }, 'embedded store: could not encode a reply');
            socket.write(encodeReply(req, { ok: 0, errmsg: `reply could not be encoded: ${(err as Error).message}`, code: 1, codeName: 'InternalError' }));
          }
        });
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.sockets.delete(socket));
  }
}
