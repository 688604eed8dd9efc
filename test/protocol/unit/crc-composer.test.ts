import { randomBytes } from 'node:crypto';
import { crc32, crc32c } from '@node-rs/crc32';
import { ChecksumType } from '../../../protocol/datatransfer/checksum';
import { CrcComposer, crcMonomial, StripeAlignmentError } from '../../../protocol/datatransfer/crc-composer';

/** Hadoop's CrcComposer, checked against the CRC of the concatenated bytes computed directly. */
const kinds = [
  ['CRC32C', ChecksumType.CRC32C, (b: Uint8Array) => crc32c(b) >>> 0],
  ['CRC32', ChecksumType.CRC32, (b: Uint8Array) => crc32(b) >>> 0],
] as const;

describe.each(kinds)('%s', (_name, type, crc) => {
  test('composing the CRCs of consecutive pieces gives the CRC of the whole', () => {
    const data = randomBytes(10_000);
    const cuts = [0, 1, 512, 513, 4096, 7777, 10_000];
    const composer = new CrcComposer(type, 512);
    for (let i = 1; i < cuts.length; i++) {
      const piece = data.subarray(cuts[i - 1]!, cuts[i]!);
      composer.update(crc(piece), piece.length);
    }
    expect(composer.digest().readUInt32BE(0)).toBe(crc(data));
  });

  test('chunk CRCs folded per stripe give each stripe’s CRC; the last stripe may be short', () => {
    const data = randomBytes(3 * 2048 + 700);
    const chunks = Buffer.alloc(Math.ceil(data.length / 512) * 4);
    for (let i = 0; i * 512 < data.length; i++) chunks.writeUInt32BE(crc(data.subarray(i * 512, (i + 1) * 512)), i * 4);
    const composer = new CrcComposer(type, 512, 2048);
    composer.updateAll(chunks.subarray(0, 12 * 4), 512);
    composer.update(chunks.readUInt32BE(12 * 4), 512);
    composer.update(chunks.readUInt32BE(13 * 4), 700 - 512);
    const expected = [0, 2048, 4096, 6144].map((at) => crc(data.subarray(at, at + 2048)));
    const digest = composer.digest();
    expect([0, 1, 2, 3].map((i) => digest.readUInt32BE(i * 4))).toEqual(expected);
  });
});

test('x^0 is the multiplicative identity; a stripe crossed without alignment is Hadoop’s IOException text', () => {
  expect(crcMonomial(0, 0x82f63b78)).toBe(0x80000000);
  const composer = new CrcComposer(ChecksumType.CRC32C, 512, 1000);
  composer.update(1, 512);
  expect(() => composer.update(2, 512)).toThrow(StripeAlignmentError);
  expect(() => crcMonomial(-1, 0x82f63b78)).toThrow(RangeError);
});
