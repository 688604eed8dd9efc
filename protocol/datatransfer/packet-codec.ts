import Long from 'long';
import { hadoop } from '../generated/hadoop';
import { int64ToNumber } from '../long-values';
import { ProtocolError } from './wire-errors';

/** Refuses absurd packets before allocating for them: Hadoop's PacketReceiver.MAX_PACKET_SIZE, header included. */
export const MAX_PACKET_PAYLOAD = 16 * 1024 * 1024;
/** A PacketHeaderProto is four small fields (under 40 bytes); more is not a header. */
export const MAX_PACKET_HEADER_LENGTH = 1024;
export const PACKET_PREFIX_LENGTH = 6;
/** Hadoop's default write packet: 64 KiB of data. */
export const DEFAULT_PACKET_DATA_SIZE = 64 * 1024;

export interface Packet {
  offsetInBlock: number;
  seqno: number;
  lastPacketInBlock: boolean;
  syncBlock: boolean;
  checksums: Buffer;
  data: Buffer;
}

/**
 * One data packet of a write or read:
 *
 * ```
 * +-------------------------+----------------------+-------------------+-------------------+----------+
 * | payload length, u32 BE  | header length, u16 BE| PacketHeaderProto | checksums, 4 B    | data     |
 * | (4 + checksums + data)  |                      | (offset, seqno,   | per chunk         |          |
 * |                         |                      |  last, dataLen)   |                   |          |
 * +-------------------------+----------------------+-------------------+-------------------+----------+
 * ```
 *
 * The payload length counts itself but not the header (as Hadoop does).
 */
export function encodePacket(packet: Packet): Buffer {
  return Buffer.concat([encodePacketHead(packet), packet.checksums, packet.data]);
}

/** The prefix and header of `packet`: what goes on the wire before its checksums and data. */
export function encodePacketHead(packet: Packet): Buffer {
  const header = hadoop.hdfs.PacketHeaderProto.encode({
    offsetInBlock: Long.fromNumber(packet.offsetInBlock),
    seqno: Long.fromNumber(packet.seqno),
    lastPacketInBlock: packet.lastPacketInBlock,
    dataLen: packet.data.length,
    ...(packet.syncBlock ? { syncBlock: true } : {}),
  }).finish();
  const head = Buffer.allocUnsafe(PACKET_PREFIX_LENGTH + header.length);
  head.writeUInt32BE(4 + packet.checksums.length + packet.data.length, 0);
  head.writeUInt16BE(header.length, 4);
  head.set(header, PACKET_PREFIX_LENGTH);
  return head;
}

export interface PacketLengths {
  headerLength: number;
  /** Bytes after the prefix: header, checksums and data. */
  bodyLength: number;
}

export function decodePacketPrefix(prefix: Uint8Array): PacketLengths {
  const view = Buffer.from(prefix.buffer, prefix.byteOffset, prefix.byteLength);
  const payloadLength = view.readUInt32BE(0);
  const headerLength = view.readUInt16BE(4);
  if (payloadLength < 4 || payloadLength > MAX_PACKET_PAYLOAD) {
    throw new ProtocolError(`bad packet payload length ${payloadLength}`);
  }
  if (headerLength === 0 || headerLength > MAX_PACKET_HEADER_LENGTH || headerLength + payloadLength > MAX_PACKET_PAYLOAD) {
    throw new ProtocolError(`bad packet header length ${headerLength}`);
  }
  return { headerLength, bodyLength: headerLength + payloadLength - 4 };
}

/** Decodes the bytes after the prefix: the header, then checksums and data split by dataLen. */
export function decodePacketBody(lengths: PacketLengths, body: Buffer): Packet {
  let header: hadoop.hdfs.PacketHeaderProto;
  try {
    header = hadoop.hdfs.PacketHeaderProto.decode(body.subarray(0, lengths.headerLength));
  } catch (err) {
    throw new ProtocolError(`bad packet header: ${err instanceof Error ? err.message : String(err)}`);
  }
  const payload = body.subarray(lengths.headerLength);
  const dataLen = header.dataLen;
  if (dataLen < 0 || dataLen > payload.length) throw new ProtocolError(`bad packet dataLen ${dataLen}`);
  const offsetInBlock = boundedLong(header.offsetInBlock, 'offsetInBlock');
  // seqno -1 is a writer's heartbeat packet.
  const seqno = boundedLong(header.seqno, 'seqno');
  if (offsetInBlock < 0 || seqno < -1) throw new ProtocolError(`bad packet offset ${offsetInBlock} or seqno ${seqno}`);
  return {
    offsetInBlock,
    seqno,
    lastPacketInBlock: header.lastPacketInBlock,
    syncBlock: header.syncBlock === true,
    checksums: payload.subarray(0, payload.length - dataLen),
    data: payload.subarray(payload.length - dataLen),
  };
}

/** Decodes one whole packet from the start of `buf`. */
export function decodePacket(buf: Buffer): Packet {
  if (buf.length < PACKET_PREFIX_LENGTH) throw new ProtocolError('short packet');
  const lengths = decodePacketPrefix(buf.subarray(0, PACKET_PREFIX_LENGTH));
  const end = PACKET_PREFIX_LENGTH + lengths.bodyLength;
  if (buf.length < end) throw new ProtocolError('short packet');
  return decodePacketBody(lengths, buf.subarray(PACKET_PREFIX_LENGTH, end));
}

function boundedLong(value: Long | number, field: string): number {
  try {
    return int64ToNumber(value);
  } catch {
    throw new ProtocolError(`packet ${field} ${value.toString()} out of range`);
  }
}
