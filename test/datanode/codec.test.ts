import { crc32, crc32c } from '@node-rs/crc32';
import { hadoop } from '../../protocol/generated/hadoop';
import { ChecksumType, computeChunkChecksums, findChecksumMismatch } from '../../protocol/datatransfer/checksum';
import { decodeOpHeader, decodeVarint32, encodeDelimited, encodeOpRequest, encodeVarint32, Op } from '../../protocol/datatransfer/op-codec';
import { decodePacket, encodePacket } from '../../protocol/datatransfer/packet-codec';
import { ProtocolError } from '../../protocol/datatransfer/wire-errors';
import { decodeMetaHeader, encodeMetaHeader } from '../../datanode/store/block-meta';

describe('checksums', () => {
  it('matches the CRC32C and CRC32 check values', () => {
    expect(crc32c(Buffer.from('123456789')) >>> 0).toBe(0xe3069283);
    expect(crc32(Buffer.from('123456789')) >>> 0).toBe(0xcbf43926);
    expect(crc32c(Buffer.alloc(32)) >>> 0).toBe(0x8a9136aa);
  });

  it('computes one big-endian checksum per 512-byte chunk, the last one partial', () => {
    const data = Buffer.alloc(1100, 7);
    const sums = computeChunkChecksums({ type: ChecksumType.CRC32C, bytesPerChecksum: 512 }, data);
    expect(sums.length).toBe(12);
    expect(sums.readUInt32BE(0)).toBe(crc32c(data.subarray(0, 512)) >>> 0);
    expect(sums.readUInt32BE(8)).toBe(crc32c(data.subarray(1024)) >>> 0);
    expect(findChecksumMismatch({ type: ChecksumType.CRC32C, bytesPerChecksum: 512 }, data, sums)).toBe(-1);
    sums[5]! ^= 1;
    expect(findChecksumMismatch({ type: ChecksumType.CRC32C, bytesPerChecksum: 512 }, data, sums)).toBe(1);
  });
});

describe('op codec', () => {
  it('frames an op as version 28, op code, varint-delimited message', () => {
    const body = hadoop.hdfs.OpBlockChecksumProto.encode({ header: { block: { poolId: 'p', blockId: 5, generationStamp: 1 } } }).finish();
    const frame = encodeOpRequest(Op.BLOCK_CHECKSUM, body);
    expect([...frame.subarray(0, 3)]).toEqual([0x00, 0x1c, 0x55]);
    expect(frame[3]).toBe(body.length);
    expect(decodeOpHeader(frame.subarray(0, 3))).toBe(Op.BLOCK_CHECKSUM);
  });

  it('refuses another protocol version', () => {
    expect(() => decodeOpHeader(Buffer.from([0x00, 0x1b, 0x50]))).toThrow(ProtocolError);
  });

  it('round-trips varints across byte boundaries', () => {
    for (const n of [0, 1, 127, 128, 300, 16383, 16384, 2 ** 21, 2 ** 31 - 1]) {
      expect(decodeVarint32(encodeVarint32(n))).toEqual({ value: n, length: encodeVarint32(n).length });
    }
    expect(decodeVarint32(Buffer.from([0x80]))).toBeUndefined();
    expect(encodeDelimited(Buffer.alloc(200)).subarray(0, 2)).toEqual(Buffer.from([0xc8, 0x01]));
  });
});

describe('packet codec', () => {
  const cases = [0, 1, 511, 512, 513, 65536];
  it.each(cases)('round-trips a packet of %i data bytes', (size) => {
    const data = Buffer.alloc(size, 0xab);
    const checksums = computeChunkChecksums({ type: ChecksumType.CRC32C, bytesPerChecksum: 512 }, data);
    const wire = encodePacket({ offsetInBlock: 1024, seqno: 7, lastPacketInBlock: size === 0, syncBlock: false, checksums, data });
    // payload length counts itself, the checksums and the data, not the header
    expect(wire.readUInt32BE(0)).toBe(4 + checksums.length + size);
    expect(wire.length).toBe(6 + wire.readUInt16BE(4) + checksums.length + size);
    const packet = decodePacket(wire);
    expect(packet).toMatchObject({ offsetInBlock: 1024, seqno: 7, lastPacketInBlock: size === 0 });
    expect(packet.data.equals(data)).toBe(true);
    expect(packet.checksums.equals(checksums)).toBe(true);
  });

  it('keeps the heartbeat seqno -1', () => {
    const empty = Buffer.alloc(0);
    expect(decodePacket(encodePacket({ offsetInBlock: 0, seqno: -1, lastPacketInBlock: false, syncBlock: false, checksums: empty, data: empty })).seqno).toBe(-1);
  });

  it('decodes the Go client heartbeat packet byte for byte', () => {
    // header 4, header length, then PacketHeaderProto{offset 0, seqno -1, last false, dataLen 0}
    const header = hadoop.hdfs.PacketHeaderProto.encode({ offsetInBlock: 0, seqno: -1, lastPacketInBlock: false, dataLen: 0 }).finish();
    const wire = Buffer.concat([Buffer.from([0, 0, 0, 4, 0, header.length]), header]);
    expect(decodePacket(wire)).toMatchObject({ seqno: -1, lastPacketInBlock: false });
  });

  it('rejects a payload length below 4 or absurdly large', () => {
    expect(() => decodePacket(Buffer.from([0, 0, 0, 3, 0, 0]))).toThrow(ProtocolError);
    expect(() => decodePacket(Buffer.from([0x7f, 0, 0, 0, 0, 0]))).toThrow(ProtocolError);
  });
});

describe('meta header', () => {
  it('is Hadoop version 1, type, bytesPerChecksum', () => {
    const header = encodeMetaHeader({ type: ChecksumType.CRC32C, bytesPerChecksum: 512 });
    expect([...header]).toEqual([0, 1, 2, 0, 0, 2, 0]);
    expect(decodeMetaHeader(header)).toEqual({ type: ChecksumType.CRC32C, bytesPerChecksum: 512 });
  });
});
