import type { DirectoryListing, EncodedListing, FileStatus } from '../../../namenode/domain/file-status';
import { encodeListingResponse } from '../../../namenode/ipc/listing-response-codec';
import { measureStatus, putStatus } from '../../../namenode/wire/status-writer';
import { headIsKept, headIsSymlink, headName, statusPartsOf, tailPolicy, withTailPolicy } from '../../../namenode/wire/status-parts';
import { sampleFile } from './file-status-fixture';

const file: FileStatus = { ...sampleFile, mtime: 1_733_000_000_123, replication: 3, blockSize: 128 * 1024 * 1024, fileId: 16_386, underConstruction: false };

const statuses: FileStatus[] = [
  file,
  { ...file, name: 'd', type: 'directory', length: 0, replication: 0, blockSize: 0, permission: 0o1777 },
  { ...file, name: 'l', type: 'symlink', symlink: '/target/ü'.repeat(300), length: 0 },
  { ...file, name: 'acl', hasAcl: true, storagePolicy: 12 },
  { ...file, name: 'файл-ü', owner: 'владелец', group: 'группа', mtime: 0, atime: 2 ** 50, length: 2 ** 53 - 1, fileId: 2 ** 40 },
  { ...file, name: 'x'.repeat(255), mtime: -1 },
];

const whole = (s: FileStatus): Buffer => {
  const m = measureStatus(s);
  const out = Buffer.alloc(m.size);
  putStatus(out, 0, s, m);
  return out;
};

const encodedOf = (entries: readonly FileStatus[], remaining: number): EncodedListing => ({
  encoded: entries.map((s) => ({ ...statusPartsOf(s), mtime: s.mtime })),
  remaining,
});

test('head ‖ mtime ‖ tail is the whole status, for every kind, size and sign of field', () => {
  for (const s of statuses) {
    const { head, tail } = statusPartsOf(s);
    const m = Buffer.from(encodeListingResponse(encodedOf([s], 0)));
    const w = whole(s);
    expect(Buffer.concat([head, tail]).length).toBeLessThan(w.length);
    expect(m.includes(w)).toBe(true);
    expect(headName(head)).toBe(s.name);
    expect(headIsSymlink(head)).toBe(s.type === 'symlink');
    expect(tailPolicy(tail)).toBe(s.storagePolicy);
  }
});

test('a listing of stored parts is byte for byte the listing of the statuses', () => {
  const hex = (l: DirectoryListing | EncodedListing) => Buffer.from(encodeListingResponse(l)).toString('hex');
  expect(hex(encodedOf(statuses, 9))).toBe(hex({ entries: statuses, remaining: 9 }));
  expect(hex(encodedOf([], 0))).toBe(hex({ entries: [], remaining: 0 }));
  const long = Array.from({ length: 300 }, (_, i) => ({ ...file, name: `f-${i}-${'y'.repeat(i)}`, mtime: file.mtime + i }));
  expect(hex(encodedOf(long, 2 ** 31))).toBe(hex({ entries: long, remaining: 2 ** 31 }));
});

test('a patched storage policy gives the bytes of the status with that policy, on a copy', () => {
  for (const s of statuses) {
    const { tail } = statusPartsOf(s);
    const before = Buffer.from(tail);
    const patched = withTailPolicy(tail, 7) as Buffer;
    expect(patched.equals(statusPartsOf({ ...s, storagePolicy: 7 }).tail)).toBe(true);
    expect(tail.equals(before)).toBe(true);
  }
});

test('a tail not of the expected shape, or a policy of two bytes, is refused rather than patched', () => {
  expect(tailPolicy(Buffer.from([0x40, 0x01]))).toBeUndefined();
  expect(withTailPolicy(Buffer.from([0x40, 0x01, 0x80, 0x01, 0x05, 0x90, 0x02, 0x00]), 3)).toBeUndefined();
  expect(withTailPolicy(statusPartsOf(file).tail, 200)).toBeUndefined();
  expect(tailPolicy(statusPartsOf({ ...file, storagePolicy: 200 }).tail)).toBeUndefined();
});

test('a head not of the shape putStatus writes is not kept and has no name: truncated, unterminated or overlong, never read past its end', () => {
  const { head } = statusPartsOf({ ...file, name: 'n'.repeat(200) });
  expect(headIsKept(head)).toBe(true);
  const bad = [
    Buffer.alloc(0),
    Buffer.from([0x08]),
    Buffer.from([0x08, 0x02, 0x12]),
    Buffer.from([0x08, 0x02, 0x12, 0x80]), // length varint cut after a continuation byte
    Buffer.from([0x08, 0x02, 0x12, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x00]), // varint longer than five bytes
    Buffer.from([0x08, 0x02, 0x12, 0x05, 0x61]), // path longer than the head
    Buffer.from([0x08, 0x04, 0x12, 0x01, 0x61]), // no such file type
    Buffer.from([0x10, 0x02, 0x12, 0x01, 0x61]), // not the fileType field
    head.subarray(0, head.length - 200),
  ];
  for (const h of bad) {
    expect(headIsKept(h)).toBe(false);
    expect(headName(h)).toBeUndefined();
  }
  expect(headName(Buffer.from([0x08, 0x01, 0x12, 0x00]))).toBe('');
});
