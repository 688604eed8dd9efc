import type { Socket } from 'node:net';
import { decodeVarint32, MAX_VARINT32_LENGTH, OP_HEADER_LENGTH, decodeOpHeader } from './op-codec';
import { decodePacketBody, decodePacketPrefix, PACKET_PREFIX_LENGTH, type Packet } from './packet-codec';
import { ProtocolError, StreamEndedError } from './wire-errors';

/** Protobuf messages in DTP are small; a bigger size means garbage on the wire. */
const MAX_MESSAGE_BYTES = 1024 * 1024;

/** A packet as decoded, and its bytes as they came (prefix, then the rest), for forwarding unchanged. */
export interface ReceivedPacket extends Packet {
  readonly wire: readonly Buffer[];
}

export interface MessageType<T> {
  decode(bytes: Uint8Array): T;
}

/**
 * Pull-style reads over a socket (`await reader.exactly(n)`), which suits the
 * request/response shape of DataTransferProtocol better than 'data' events.
 * The socket is paused whenever enough is buffered, so a slow disk applies
 * backpressure to the sender.
 */
export class StreamReader {
  readonly #socket: Socket;
  #chunks: Buffer[] = [];
  #buffered = 0;
  #ended: Error | undefined;
  #waiter: (() => void) | undefined;
  #messages = 0;

  constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.#chunks.push(chunk);
      this.#buffered += chunk.length;
      if (this.#buffered > 4 * 1024 * 1024) socket.pause();
      this.#wake();
    });
    // 'close' follows 'end' on every connection: one error (and its stack) is enough.
    socket.on('end', () => this.#ended ?? this.#end(new StreamEndedError()));
    socket.on('close', () => this.#ended ?? this.#end(new StreamEndedError()));
    socket.on('error', (err) => this.#end(err));
  }

  /** Resolves with exactly `n` bytes, or rejects when the stream ends first. */
  async exactly(n: number): Promise<Buffer> {
    while (this.#buffered < n) {
      if (this.#ended) throw this.#ended;
      this.#socket.resume();
      await new Promise<void>((resolve) => (this.#waiter = resolve));
    }
    return this.#take(n);
  }

  /** Varint-delimited protobuf message. */
  async message<T>(type: MessageType<T>): Promise<T> {
    const size = await this.#varint();
    if (size > MAX_MESSAGE_BYTES) throw new ProtocolError(`message of ${size} bytes`);
    const bytes = await this.exactly(size);
    try {
      const decoded = type.decode(bytes);
      this.#messages++;
      return decoded;
    } catch (err) {
      throw new ProtocolError(`undecodable message: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** Whole messages decoded so far: a server's handshake is done after the first. */
  get messagesRead(): number {
    return this.#messages;
  }

  /** Open, with nothing buffered: between two exchanges, the peer has sent nothing unasked. */
  get idle(): boolean {
    return this.#buffered === 0 && this.#ended === undefined;
  }

  /** The version and op code that start every request; returns the op. */
  async opHeader(): Promise<number> {
    return decodeOpHeader(await this.exactly(OP_HEADER_LENGTH));
  }

  async packet(): Promise<ReceivedPacket> {
    const prefix = await this.exactly(PACKET_PREFIX_LENGTH);
    const lengths = decodePacketPrefix(prefix);
    const body = await this.exactly(lengths.bodyLength);
    return { ...decodePacketBody(lengths, body), wire: [prefix, body] };
  }

  async #varint(): Promise<number> {
    // Usually the whole varint is in the first buffered chunk: decoded there, without a byte-at-a-time wait.
    const first = this.#chunks[0];
    const whole = first ? decodeVarint32(first.subarray(0, MAX_VARINT32_LENGTH)) : undefined;
    if (whole) {
      this.#take(whole.length);
      return whole.value;
    }
    const bytes: number[] = [];
    for (;;) {
      bytes.push((await this.exactly(1))[0]!);
      const decoded = decodeVarint32(Uint8Array.from(bytes));
      if (decoded) return decoded.value;
      if (bytes.length >= MAX_VARINT32_LENGTH) throw new ProtocolError('bad varint');
    }
  }

  #take(n: number): Buffer {
    const first = this.#chunks[0];
    let out: Buffer;
    if (first && first.length >= n) {
      out = first.subarray(0, n);
      if (first.length === n) this.#chunks.shift();
      else this.#chunks[0] = first.subarray(n);
    } else {
      out = Buffer.allocUnsafe(n);
      let filled = 0;
      while (filled < n) {
        const chunk = this.#chunks[0]!;
        const used = Math.min(chunk.length, n - filled);
        chunk.copy(out, filled, 0, used);
        filled += used;
        if (used === chunk.length) this.#chunks.shift();
        else this.#chunks[0] = chunk.subarray(used);
      }
    }
    this.#buffered -= n;
    return out;
  }

  #end(err: Error): void {
    this.#ended ??= err;
    this.#wake();
  }

  #wake(): void {
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.();
  }
}
