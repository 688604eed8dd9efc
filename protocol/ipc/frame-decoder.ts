import { FrameTooLargeError } from './ipc-errors';
import { DEFAULT_MAX_FRAME_BYTES } from './wire-constants';

const LENGTH_BYTES = 4;

/*
 * Every frame after the preamble, in both directions:
 *
 *   +----------------------------+-----------------------------+
 *   | length (uint32 big-endian) | payload (length bytes)      |
 *   +----------------------------+-----------------------------+
 *
 * Streaming: bytes arrive in arbitrary pieces; push() returns every frame
 * completed so far. The length is checked as soon as it is known, so a
 * hostile 2 GiB claim is refused before anything is buffered, and a frame
 * is assembled with a single copy (no quadratic re-concatenation).
 */
export class FrameDecoder {
  /**
   * Checked when a frame's length is read; the server tightens it until the
   * handshake is done and widens it after, between two frames of one chunk.
   */
  maxFrameBytes: number;
  #lengthBytes = Buffer.alloc(LENGTH_BYTES);
  #lengthFilled = 0;
  #frameLength = -1;
  #parts: Buffer[] = [];
  #partsBytes = 0;
  #leftover: Buffer | undefined;

  constructor(maxFrameBytes: number = DEFAULT_MAX_FRAME_BYTES) {
    this.maxFrameBytes = maxFrameBytes;
  }

  /** Bytes held of a frame not yet complete. */
  get pendingBytes(): number {
    return this.#lengthFilled + this.#partsBytes;
  }

  push(chunk: Uint8Array): Buffer[] {
    const out: Buffer[] = [];
    this.read(chunk, (frame) => {
      out.push(frame);
    });
    return out;
  }

  /** The bytes read() left unread because `room` ran out; the caller feeds them again later. */
  takeLeftover(): Buffer | undefined {
    const leftover = this.#leftover;
    this.#leftover = undefined;
    return leftover;
  }

  /**
   * As push(), handing each frame to `onFrame` before the next length is
   * read, so the consumer may change maxFrameBytes in between; `onFrame`
   * answers false to stop reading (the rest is kept for takeLeftover()).
   * `room` says how many more bytes an incomplete frame may hold (the
   * server's memory budget): bytes that would complete a frame are always
   * taken, the rest only while there is room, and what is not taken is kept
   * for takeLeftover(). A callback rather than a generator: the server reads
   * every request through here, and a generator costs an object and a
   * resumption per chunk and per frame.
   */
  read(chunk: Uint8Array, onFrame: (frame: Buffer) => boolean | void, room: () => number = () => Infinity): void {
    let data = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    while (data.length > 0) {
      if (this.#frameLength < 0) {
        const whole = this.#lengthFilled === 0 && data.length >= LENGTH_BYTES && data.length - LENGTH_BYTES >= data.readUInt32BE(0);
        const take = Math.min(LENGTH_BYTES - this.#lengthFilled, data.length, whole ? LENGTH_BYTES : Math.max(0, room()));
        if (take === 0) break;
        data.copy(this.#lengthBytes, this.#lengthFilled, 0, take);
        this.#lengthFilled += take;
        data = data.subarray(take);
        if (this.#lengthFilled < LENGTH_BYTES) break;
        const length = this.#lengthBytes.readUInt32BE(0);
        if (length > this.maxFrameBytes) throw new FrameTooLargeError(length, this.maxFrameBytes);
        this.#frameLength = length;
        if (length === 0) {
          if (onFrame(this.#takeFrame()) === false) break;
          continue;
        }
      }
      const missing = this.#frameLength - this.#partsBytes;
      const take = data.length >= missing ? missing : Math.min(data.length, Math.max(0, room()));
      if (take === 0) break;
      this.#parts.push(data.subarray(0, take));
      this.#partsBytes += take;
      data = data.subarray(take);
      if (this.#partsBytes === this.#frameLength && onFrame(this.#takeFrame()) === false) break;
    }
    if (data.length > 0) this.#leftover = data;
  }

  #takeFrame(): Buffer {
    const frame = this.#parts.length === 1 ? (this.#parts[0] as Buffer) : Buffer.concat(this.#parts, this.#partsBytes);
    this.#parts = [];
    this.#partsBytes = 0;
    this.#frameLength = -1;
    this.#lengthFilled = 0;
    return frame;
  }
}

/** Prefixes a payload with its 4-byte big-endian length. */
export function encodeFrame(parts: readonly Uint8Array[]): Buffer {
  let total = 0;
  for (const part of parts) total += part.length;
  const out = Buffer.allocUnsafe(LENGTH_BYTES + total);
  out.writeUInt32BE(total, 0);
  let offset = LENGTH_BYTES;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
