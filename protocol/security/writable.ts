/**
 * The slice of Hadoop's WritableUtils that block token identifiers use:
 * zero-compressed vlongs, int-prefixed strings and vint-prefixed enum names.
 *
 *   vlong   one byte for -112..127; else a length byte (-113..-120 positive,
 *           -121..-128 negative, one's complement) then 1..8 big-endian bytes
 *   string  int32 BE byte length (-1: null), UTF-8 bytes
 *   enum    vint byte length, the constant's name in UTF-8
 */

export class WritableDecodeError extends Error {
  override readonly name = 'WritableDecodeError';
}

export class WritableWriter {
  readonly #parts: Buffer[] = [];

  vlong(value: bigint): this {
    if (value >= -112n && value <= 127n) return this.#push(Buffer.from([Number(BigInt.asUintN(8, value))]));
    let len = -112;
    let v = value;
    if (v < 0n) {
      v = ~v;
      len = -120;
    }
    for (let tmp = v; tmp !== 0n; tmp >>= 8n) len--;
    const bytes = len < -120 ? -(len + 120) : -(len + 112);
    const out = Buffer.alloc(1 + bytes);
    out.writeInt8(len, 0);
    for (let i = 0; i < bytes; i++) out[1 + i] = Number((v >> BigInt((bytes - 1 - i) * 8)) & 0xffn);
    return this.#push(out);
  }

  vint(value: number): this {
    return this.vlong(BigInt(value));
  }

  string(value: string | null): this {
    const head = Buffer.alloc(4);
    if (value === null) {
      head.writeInt32BE(-1);
      return this.#push(head);
    }
    const bytes = Buffer.from(value, 'utf8');
    head.writeInt32BE(bytes.length);
    return this.#push(head).#push(bytes);
  }

  enumName(name: string): this {
    const bytes = Buffer.from(name, 'utf8');
    return this.vint(bytes.length).#push(bytes);
  }

  finish(): Buffer {
    return Buffer.concat(this.#parts);
  }

  #push(b: Buffer): this {
    this.#parts.push(b);
    return this;
  }
}

/** Reads what WritableWriter writes; every length is checked against the bytes present. */
export class WritableReader {
  readonly #buf: Buffer;
  #pos = 0;

  constructor(buf: Uint8Array) {
    this.#buf = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  get remaining(): number {
    return this.#buf.length - this.#pos;
  }

  vlong(): bigint {
    const first = this.#take(1).readInt8(0);
    if (first >= -112) return BigInt(first);
    const negative = first < -120;
    const bytes = negative ? -(first + 120) : -(first + 112);
    const body = this.#take(bytes);
    let v = 0n;
    for (const b of body) v = (v << 8n) | BigInt(b);
    return BigInt.asIntN(64, negative ? ~v : v);
  }

  /** A vint in [min, max]: the bound is checked before the value drives anything. */
  vintIn(min: number, max: number): number {
    const v = this.vlong();
    if (v < BigInt(min) || v > BigInt(max)) throw new WritableDecodeError(`value ${v} outside [${min}, ${max}]`);
    return Number(v);
  }

  string(maxBytes: number): string | null {
    const len = this.#take(4).readInt32BE(0);
    if (len === -1) return null;
    if (len < 0 || len > maxBytes) throw new WritableDecodeError(`string of ${len} bytes (at most ${maxBytes})`);
    return this.#take(len).toString('utf8');
  }

  enumName(maxBytes: number): string {
    return this.#take(this.vintIn(0, maxBytes)).toString('utf8');
  }

  bytes(n: number): Buffer {
    return this.#take(n);
  }

  #take(n: number): Buffer {
    if (n > this.remaining) throw new WritableDecodeError(`needs ${n} bytes, ${this.remaining} left`);
    const out = this.#buf.subarray(this.#pos, this.#pos + n);
    this.#pos += n;
    return out;
  }
}
