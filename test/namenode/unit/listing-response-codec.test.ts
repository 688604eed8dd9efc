import { hadoop } from '../../../protocol/generated/hadoop';
import type { DirectoryListing, FileStatus } from '../../../namenode/domain/file-status';
import { encodeListingResponse } from '../../../namenode/ipc/listing-response-codec';
import { toStatusProto } from '../../../namenode/ipc/status-proto';
import { sampleFile } from './file-status-fixture';

const R = hadoop.hdfs.GetListingResponseProto;

const file: FileStatus = { ...sampleFile, mtime: 1_733_000_000_123, replication: 3, blockSize: 128 * 1024 * 1024, fileId: 16_386, underConstruction: false };

/** What the generic protobufjs path gives for the same page: the bytes Hadoop clients already read. */
const viaProtobufjs = (l: DirectoryListing | undefined): Buffer =>
  Buffer.from(R.encode({ dirList: l ? { partialListing: l.entries.map((e) => toStatusProto(e)), remainingEntries: l.remaining } : null }).finish());

const expectSameBytes = (l: DirectoryListing | undefined) => expect(Buffer.from(encodeListingResponse(l)).toString('hex')).toBe(viaProtobufjs(l).toString('hex'));

test('no such path: the empty response, as protobufjs writes dirList null', () => {
  expectSameBytes(undefined);
});

test('an empty page and a one-file page are byte for byte what protobufjs writes', () => {
  expectSameBytes({ entries: [], remaining: 0 });
  expectSameBytes({ entries: [file], remaining: 0 });
});

test('directories, symlinks, ACLs, storage policies and counted children encode as protobufjs does', () => {
  const entries: FileStatus[] = [
    { ...file, name: 'd', type: 'directory', length: 0, replication: 0, blockSize: 0, permission: 0o1777, childrenNum: 4 },
    { ...file, name: 'l', type: 'symlink', symlink: '/target/ü', length: 0 },
    { ...file, name: 'acl', hasAcl: true, storagePolicy: 12 },
    { ...file, name: 'negative-children', type: 'directory', childrenNum: -1 },
    { ...file, name: 'empty-link', type: 'symlink', symlink: '' },
  ];
  expectSameBytes({ entries, remaining: 7 });
});

test('multi-byte names and owners, large numbers and long pages keep their lengths right', () => {
  const entries: FileStatus[] = Array.from({ length: 300 }, (_, i) => ({
    ...file,
    name: `файл-${i}-${'x'.repeat(i)}`,
    owner: i % 2 === 0 ? 'alice' : 'bøb',
    group: i % 3 === 0 ? 'staff' : '员工',
    length: i === 0 ? Number.MAX_SAFE_INTEGER : i * 2 ** 33,
    fileId: 2 ** 40 + i,
    atime: i === 1 ? -1 : 0,
    replication: i === 2 ? 0xffffffff : 1,
  }));
  expectSameBytes({ entries, remaining: 2 ** 31 });
});

test('the bytes decode to the page sent', () => {
  const d = R.decode(encodeListingResponse({ entries: [file, { ...file, name: 'ß', type: 'directory' }], remaining: 1 })).dirList;
  expect(d?.remainingEntries).toBe(1);
  expect(d?.partialListing?.map((s) => Buffer.from(s.path).toString('utf8'))).toEqual(['part-0', 'ß']);
  expect(Number(d?.partialListing?.[0]?.modificationTime)).toBe(file.mtime);
});
