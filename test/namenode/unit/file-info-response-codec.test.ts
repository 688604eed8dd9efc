import { hadoop } from '../../../protocol/generated/hadoop';
import type { FileStatus } from '../../../namenode/domain/file-status';
import { encodeFileInfoResponse } from '../../../namenode/ipc/file-info-response-codec';
import { toStatusProto } from '../../../namenode/ipc/status-proto';
import { sampleFile } from './file-status-fixture';

const R = hadoop.hdfs.GetFileInfoResponseProto;

const file: FileStatus = { ...sampleFile, name: '', mtime: 1_733_000_000_123, replication: 3, blockSize: 128 * 1024 * 1024, fileId: 16_386, underConstruction: false };

/** What the generic protobufjs path gives for the same answer: the bytes Hadoop clients already read. */
const viaProtobufjs = (s: FileStatus | undefined): Buffer => Buffer.from(R.encode({ fs: s ? toStatusProto(s) : null }).finish());

const expectSameBytes = (s: FileStatus | undefined) => expect(Buffer.from(encodeFileInfoResponse(s)).toString('hex')).toBe(viaProtobufjs(s).toString('hex'));

test('a missing file: the empty response, as protobufjs writes fs null', () => {
  expect(encodeFileInfoResponse(undefined)).toHaveLength(0);
  expectSameBytes(undefined);
});

test('a file, as getFileInfo answers it (empty name), is byte for byte what protobufjs writes', () => {
  expectSameBytes(file);
  expectSameBytes({ ...file, name: 'part-0' });
  expectSameBytes(sampleFile);
});

test('directories, symlinks, ACLs, storage policies and counted children encode as protobufjs does', () => {
  const cases: FileStatus[] = [
    { ...file, type: 'directory', length: 0, replication: 0, blockSize: 0, permission: 0o1777, childrenNum: 4 },
    { ...file, type: 'directory', childrenNum: 0 },
    { ...file, type: 'directory', childrenNum: -1 },
    { ...file, type: 'directory', childrenNum: 2 ** 31 - 1 },
    { ...file, type: 'symlink', symlink: '/target/ü', length: 0 },
    { ...file, type: 'symlink', symlink: '' },
    { ...file, hasAcl: true },
    { ...file, hasAcl: true, permission: 0o777, type: 'directory' },
    { ...file, storagePolicy: 12 },
    { ...file, storagePolicy: 200 },
  ];
  for (const s of cases) expectSameBytes(s);
});

test('non-ASCII names, owners, groups and link targets keep their lengths right', () => {
  expectSameBytes({ ...file, name: 'файл', owner: 'bøb', group: '员工' });
  expectSameBytes({ ...file, type: 'symlink', name: '𝄞', symlink: `/${'ß'.repeat(200)}` });
  // Lengths crossing a varint boundary (127/128 bytes) in the name and in the whole message.
  for (const n of [60, 63, 64, 126, 127, 128, 200, 8000]) expectSameBytes({ ...file, name: 'é'.repeat(n) });
});

test('large and odd numbers encode as protobufjs does', () => {
  const cases: FileStatus[] = [
    { ...file, length: Number.MAX_SAFE_INTEGER },
    { ...file, length: 2 ** 32 },
    { ...file, length: 2 ** 32 - 1 },
    { ...file, length: 2 ** 35 },
    { ...file, fileId: 2 ** 40 + 3 },
    { ...file, atime: -1 },
    { ...file, mtime: 0, atime: 0 },
    { ...file, replication: 0xffffffff },
    { ...file, blockSize: 2 ** 53 - 2 },
  ];
  for (const s of cases) expectSameBytes(s);
});

test('the bytes decode to the status sent', () => {
  const fs = R.decode(encodeFileInfoResponse({ ...file, type: 'symlink', symlink: '/t/ü', hasAcl: true })).fs;
  expect(fs?.fileType).toBe(hadoop.hdfs.HdfsFileStatusProto.FileType.IS_SYMLINK);
  expect(Buffer.from(fs?.symlink ?? []).toString('utf8')).toBe('/t/ü');
  expect(Number(fs?.modificationTime)).toBe(file.mtime);
  expect(fs?.flags).toBe(hadoop.hdfs.HdfsFileStatusProto.Flags.HAS_ACL);
  expect(R.decode(encodeFileInfoResponse(undefined)).fs).toBeNull();
});

test("create's answer (CreateResponseProto: the status as field 1 too) is the same bytes as protobufjs writes for it", () => {
  const viaCreate = (s: FileStatus): string => Buffer.from(hadoop.hdfs.CreateResponseProto.encode({ fs: toStatusProto(s) }).finish()).toString('hex');
  for (const s of [{ ...file, name: '', underConstruction: true, length: 0 }, { ...file, name: '', underConstruction: true, hasAcl: true, storagePolicy: 7 }]) {
    expect(Buffer.from(encodeFileInfoResponse(s)).toString('hex')).toBe(viaCreate(s));
  }
});
