import { randomBytes } from 'node:crypto';
import { ChecksumType, computeChunkChecksums, findChecksumMismatch, type ChecksumSpec } from '../../../protocol/datatransfer/checksum';
import { crcShifter, crcMonomial, galoisFieldMultiply, CASTAGNOLI_POLYNOMIAL } from '../../../protocol/datatransfer/crc-math';

/**
 * findChecksumMismatch checks a packet with one checksum of the whole data
 * against the chunk checksums composed; these cases pin that it still names
 * the first bad chunk, for both types, any chunk size and a short last chunk.
 */
const specs: ChecksumSpec[] = [
  { type: ChecksumType.CRC32C, bytesPerChecksum: 512 },
  { type: ChecksumType.CRC32, bytesPerChecksum: 512 },
  { type: ChecksumType.CRC32C, bytesPerChecksum: 100 },
  { type: ChecksumType.CRC32, bytesPerChecksum: 1 },
];
const lengths = [1, 99, 100, 511, 512, 513, 4000, 65_536, 65_537];

describe.each(specs)('type $type, $bytesPerChecksum bytes per checksum', (spec) => {
  test.each(lengths)('%d bytes with their own checksums match', (length) => {
    const data = randomBytes(length);
    expect(findChecksumMismatch(spec, data, computeChunkChecksums(spec, data))).toBe(-1);
  });

  test.each(lengths)('%d bytes with one flipped bit name the chunk holding it', (length) => {
    const data = randomBytes(length);
    const sums = computeChunkChecksums(spec, data);
    for (const at of [0, length - 1, Math.floor(length / 2)]) {
      const bad = Buffer.from(data);
      bad[at]! ^= 0x10;
      expect(findChecksumMismatch(spec, bad, sums)).toBe(Math.floor(at / spec.bytesPerChecksum));
    }
  });

  test('a wrong stored checksum (data intact) is found too, and a short checksum list is chunk 0', () => {
    const data = randomBytes(5000);
    const sums = computeChunkChecksums(spec, data);
    const last = sums.length / 4 - 1;
    sums.writeUInt32BE((sums.readUInt32BE(last * 4) ^ 1) >>> 0, last * 4);
    expect(findChecksumMismatch(spec, data, sums)).toBe(last);
    expect(findChecksumMismatch(spec, data, sums.subarray(4))).toBe(0);
  });
});

test('the tabled shift multiplies by x^(8·n) as the bitwise product does', () => {
  const shift = crcShifter(512, CASTAGNOLI_POLYNOMIAL);
  const m = crcMonomial(512, CASTAGNOLI_POLYNOMIAL);
  for (const v of [0, 1, 0x80000000, 0xffffffff, 0x12345678, 0xdeadbeef]) {
    expect(shift(v)).toBe(galoisFieldMultiply(v, m, CASTAGNOLI_POLYNOMIAL));
  }
});
