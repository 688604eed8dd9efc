import { Writer } from 'protobufjs/minimal';
import { hadoop } from '../../../protocol/generated/hadoop';
import { scanListing } from '../../../protocol/client/listing-scan';
import { encodeListingResponse } from '../../../namenode/ipc/listing-response-codec';
import type { FileStatus } from '../../../namenode/domain/file-status';
import { sampleFile } from '../../namenode/unit/file-status-fixture';

const R = hadoop.hdfs.GetListingResponseProto;

/** The full decode's answer in the scan's terms: what the scan must agree with. */
const viaDecode = (bytes: Uint8Array) => {
  const d = R.decode(bytes).dirList;
  return d ? { entries: d.partialListing?.length ?? 0, remaining: d.remainingEntries } : undefined;
};

const page = (n: number, remaining: number): Uint8Array =>
  encodeListingResponse({
    entries: Array.from({ length: n }, (_, i): FileStatus => ({ ...sampleFile, name: `файл-${i}-${'x'.repeat(i * 7)}`, mtime: 2 ** 52 + i, fileId: 16_386 + i })),
    remaining,
  });

test('no such path (no dirList): undefined, as the full decode says', () => {
  const bytes = encodeListingResponse(undefined);
  expect(scanListing(bytes)).toBeUndefined();
  expect(viaDecode(bytes)).toBeUndefined();
});

test('pages of 0, 1 and 300 statuses (multi-byte names, long ones) count as the full decode counts', () => {
  for (const [n, remaining] of [
    [0, 0],
    [1, 0],
    [300, 123_456],
  ] as const) {
    const bytes = page(n, remaining);
    expect(scanListing(bytes)).toEqual({ entries: n, remaining });
    expect(scanListing(bytes)).toEqual(viaDecode(bytes));
  }
});

test('fields it does not know, before and after, are skipped as protobuf says', () => {
  const inner = Writer.create().uint32((9 << 3) | 0).uint64(2 ** 40).uint32((1 << 3) | 2).bytes(new Uint8Array([0x08, 0x01])).uint32((2 << 3) | 0).uint32(5).uint32((7 << 3) | 5).fixed32(1).finish();
  const bytes = Writer.create().uint32((3 << 3) | 2).string('later').uint32((1 << 3) | 2).bytes(inner).uint32((4 << 3) | 1).fixed64(7).finish();
  expect(scanListing(bytes)).toEqual({ entries: 1, remaining: 5 });
});

test('a truncated message throws, as the full decode does', () => {
  const bytes = page(3, 0);
  for (const cut of [1, 2, 10, bytes.length - 1]) {
    const part = bytes.subarray(0, cut);
    expect(() => R.decode(part)).toThrow();
    expect(() => scanListing(part)).toThrow(RangeError);
  }
});

test('a length far past the message (a hostile 4 GiB dirList or status) throws before it is walked', () => {
  const hugeDirList = Uint8Array.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]);
  expect(() => scanListing(hugeDirList)).toThrow(RangeError);
  const hugeStatus = Uint8Array.from([0x0a, 0x06, 0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]);
  // protobufjs's own length check (a plain Error, as its full decode throws).
  expect(() => scanListing(hugeStatus)).toThrow(/length/);
  expect(() => R.decode(hugeStatus)).toThrow();
});
