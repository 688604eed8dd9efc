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

/** Admission control of the DataTransferProtocol port. */
export interface XceiverLimits {
  /** Connections served at once (Hadoop's dfs.datanode.max.transfer.threads). */
  readonly maxConnections: number;
  /** Connections from one peer address at once, so one host cannot take them all. */
  readonly maxConnectionsPerAddress: number;
  /** A new connection must deliver its first op (header and message) within this. */
  readonly handshakeTimeoutMs: number;
  /**
   * How long a connection may sit idle between two ops (Hadoop's
   * dfs.datanode.socket.reuse.keepalive, 4 s); longer than MIRROR_IDLE_MS,
   * so an upstream datanode's idle mirror connection is never closed here first.
   */
  readonly keepaliveMs: number;
}

export const DEFAULT_XCEIVER_LIMITS: XceiverLimits = { maxConnections: 4096, maxConnectionsPerAddress: 1024, handshakeTimeoutMs: 20_000, keepaliveMs: 4_000 };

/**
 * The DataTransferProtocol server: one op per connection at a time, as
 * Hadoop's DataXceiver; a connection may carry several ops in a row (Hadoop
 * clients reuse sockets). Anything malformed or failing closes that one
 * connection; nothing a peer sends can stop the server. A connection over
 * a limit is closed at once, as Hadoop's DataXceiverServer does; an idle one
 * after the socket timeout.
 */
export class XceiverServer {
  readonly #ctx: TransferContext;
  readonly #limits: XceiverLimits;
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  readonly #perAddress = new Map<string, number>();
  #refused = 0;

  constructor(ctx: TransferContext, limits: XceiverLimits = DEFAULT_XCEIVER_LIMITS) {
    this.#ctx = ctx;
    this.#limits = limits;
    this.#server = createServer((socket) => this.#admit(socket));
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

  /** Connections closed at once because a limit was reached. */
  get refusedConnections(): number {
    return this.#refused;
  }

  close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  #admit(socket: Socket): void {
    socket.on('error', () => undefined);
    const address = socket.remoteAddress ?? '';
    const fromAddress = this.#perAddress.get(address) ?? 0;
    if (this.#sockets.size >= this.#limits.maxConnections || fromAddress >= this.#limits.maxConnectionsPerAddress) {
      this.#refused++;
      this.#ctx.logger.debug({ address, active: this.#sockets.size, fromAddress }, 'data transfer connection refused: over the limit');
      socket.destroy();
      return;
    }
    this.#sockets.add(socket);
    this.#perAddress.set(address, fromAddress + 1);
    socket.on('close', () => {
      this.#sockets.delete(socket);
      const left = (this.#perAddress.get(address) ?? 1) - 1;
      if (left > 0) this.#perAddress.set(address, left);
      else this.#perAddress.delete(address);
    });
    this.#serve(socket);
  }

  #serve(socket: Socket): void {
    socket.setNoDelay(true);
    socket.setTimeout(this.#ctx.socketTimeoutMs, () => socket.destroy());
    const reader = new StreamReader(socket);
    const handshake = setTimeout(() => {
      if (reader.messagesRead === 0) socket.destroy();
    }, this.#limits.handshakeTimeoutMs);
    socket.on('close', () => clearTimeout(handshake));
    void this.#run(socket, reader);
  }

  async #run(socket: Socket, reader: StreamReader): Promise<void> {
    const peer = `${socket.remoteAddress}:${socket.remotePort}`;
    try {
      for (let served = 0; ; served++) {
        const op = await reader.opHeader();
        if (served > 0) socket.setTimeout(this.#ctx.socketTimeoutMs);
        const handler = HANDLERS.get(op);
        if (!handler) throw new ProtocolError(`unsupported op ${op}`);
        await handler(this.#ctx, socket, reader);
        if (socket.destroyed || socket.writableEnded) return;
        // Between ops a connection waits Hadoop's keepalive (dfs.datanode.socket.reuse.keepalive), not a whole socket timeout.
        socket.setTimeout(Math.min(this.#limits.keepaliveMs, this.#ctx.socketTimeoutMs));
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
