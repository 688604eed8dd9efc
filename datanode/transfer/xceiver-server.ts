import { createServer, type Server, type Socket } from 'node:net';
import { handleBlockChecksum } from './block-checksum-handler';
import { Op } from '../../protocol/datatransfer/op-codec';
import { handleReadBlock } from './read-block-handler';
import { StreamReader } from '../../protocol/datatransfer/stream-reader';
import { handleTransferBlock } from './transfer-block-handler';
import type { TransferContext } from './transfer-context';
import { ProtocolError, StreamEndedError } from '../../protocol/datatransfer/wire-errors';
import { handleWriteBlock } from './write-block-handler';

type OpHandler = (ctx: TransferContext, socket: Socket, reader: StreamReader) => Promise<void>;

const HANDLERS = new Map<number, OpHandler>([
  [Op.WRITE_BLOCK, handleWriteBlock],
  [Op.READ_BLOCK, handleReadBlock],
  [Op.BLOCK_CHECKSUM, handleBlockChecksum],
  [Op.TRANSFER_BLOCK, handleTransferBlock],
]);

/**
 * The DataTransferProtocol server: one op per connection at a time, as
 * Hadoop's DataXceiver; a connection may carry several ops in a row (Hadoop
 * clients reuse sockets). Anything malformed or failing closes that one
 * connection; nothing a peer sends can stop the server.
 */
export class XceiverServer {
  readonly #ctx: TransferContext;
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();

  constructor(ctx: TransferContext) {
    this.#ctx = ctx;
    this.#server = createServer((socket) => this.#serve(socket));
  }

  listen(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen({ host, port }, () => {
        this.#server.off('error', reject);
        const address = this.#server.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  }

  /** Connections being served: Hadoop's xceiverCount, reported in heartbeats. */
  get activeConnections(): number {
    return this.#sockets.size;
  }

  close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  #serve(socket: Socket): void {
    this.#sockets.add(socket);
    socket.setNoDelay(true);
    socket.setTimeout(this.#ctx.socketTimeoutMs, () => socket.destroy());
    socket.on('error', () => undefined);
    socket.on('close', () => this.#sockets.delete(socket));
    void this.#run(socket, new StreamReader(socket));
  }

  async #run(socket: Socket, reader: StreamReader): Promise<void> {
    const peer = `${socket.remoteAddress}:${socket.remotePort}`;
    try {
      for (;;) {
        const op = await reader.opHeader();
        const handler = HANDLERS.get(op);
        if (!handler) throw new ProtocolError(`unsupported op ${op}`);
        await handler(this.#ctx, socket, reader);
        if (socket.destroyed || socket.writableEnded) return;
      }
    } catch (err) {
      if (!(err instanceof StreamEndedError)) {
        const level = err instanceof ProtocolError ? 'info' : 'warn';
        this.#ctx.logger[level]({ peer, err }, 'data transfer connection closed on error');
      }
      socket.destroy();
    }
  }
}
