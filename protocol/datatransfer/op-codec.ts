import { ProtocolError } from './wire-errors';

export const DATA_TRANSFER_VERSION = 28;

export const Op = {
  WRITE_BLOCK: 80,
  READ_BLOCK: 81,
  READ_METADATA: 82,
  REPLACE_BLOCK: 83,
  COPY_BLOCK: 84,
  BLOCK_CHECKSUM: 85,
  TRANSFER_BLOCK: 86,
} as const;

export const OP_HEADER_LENGTH = 3;
/** Longest varint of a 32-bit length. */
export const MAX_VARINT32_LENGTH = 5;

/**
 * An operation request, client to datanode:
 *
 * ```
 * +---------------------------+-------------+----------------------+----------------+
 * | version, int16 BE (28)    | op, 1 byte  | varint message size  | OpXxxProto     |
 * +---------------------------+-------------+----------------------+----------------+
 * ```
 */
export function encodeOpRequest(op: number, message: Uint8Array): Buffer {
  const header = Buffer.alloc(OP_HEADER_LENGTH);
  header.writeUInt16BE(DATA_TRANSFER_VERSION, 0);
  header.writeUInt8(op, 2);
  return Buffer.concat([header, encodeDelimited(message)]);
}

/** Reads the 3-byte op header; refuses other protocol versions. */
export function decodeOpHeader(header: Uint8Array): number {
  if (header.length !== OP_HEADER_LENGTH) throw new ProtocolError('short op header');
  const version = (header[0]! << 8) | header[1]!;
  if (version !== DATA_TRANSFER_VERSION) {
    throw new ProtocolError(`data transfer version ${version} is not ${DATA_TRANSFER_VERSION}`);
  }
  return header[2]!;
}

/**
 * A protobuf message preceded by its size, as every DTP response, ack and
 * op body is sent:
 *
 * ```
 * +----------------------+-----------------+
 * | varint message size  | message bytes   |
 * +----------------------+-----------------+
 * ```
 */
export function encodeDelimited(message: Uint8Array): Buffer {
  return Buffer.concat([encodeVarint32(message.length), message]);
}

/**
 * Protobuf's base-128 varint, least significant group first:
 *
 * ```
 * +----------------------+----------------------+-----+----------------------+
 * | 1 | bits 0-6         | 1 | bits 7-13        | ... | 0 | last bits        |
 * +----------------------+----------------------+-----+----------------------+
 * ```
 */
export function encodeVarint32(value: number): Buffer {
  const bytes: number[] = [];
  let v = value >>> 0;
  while (v > 0x7f) {
    bytes.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  bytes.push(v);
  return Buffer.from(bytes);
}

/**
 * Decodes a varint at the start of `buf`: the value and the bytes it took,
 * or undefined when `buf` ends inside it.
 */
export function decodeVarint32(buf: Uint8Array): { value: number; length: number } | undefined {
  let value = 0;
  for (let i = 0; i < MAX_VARINT32_LENGTH; i++) {
    if (i >= buf.length) return undefined;
    const b = buf[i]!;
    value += (b & 0x7f) * 2 ** (7 * i);
    if ((b & 0x80) === 0) return { value, length: i + 1 };
  }
  throw new ProtocolError('varint longer than 5 bytes');
}
