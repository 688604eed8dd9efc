import { hadoop } from '../../../protocol/generated/hadoop';
import type { FileStatus } from '../../../namenode/domain/file-status';
import { toStatusProto } from '../../../namenode/ipc/status-proto';
import { sampleFile } from './file-status-fixture';

const H = hadoop.hdfs.HdfsFileStatusProto;

const file = sampleFile;

const someLocations = { fileLength: 300, blocks: [], underConstruction: true, isLastBlockComplete: false };
const roundTrip = (s: FileStatus, needLocation?: boolean) => H.decode(H.encode(toStatusProto(s, needLocation ? someLocations : undefined)).finish());

test('a file status becomes HdfsFileStatusProto with its local name; childrenNum left unknown', () => {
  const p = roundTrip(file);
  expect(p.fileType).toBe(H.FileType.IS_FILE);
  expect(Buffer.from(p.path).toString()).toBe('part-0');
  expect(p.permission.perm).toBe(0o640);
  expect([p.owner, p.group, Number(p.length), Number(p.modificationTime), Number(p.accessTime)]).toEqual(['alice', 'staff', 300, 10, 20]);
  expect([p.blockReplication, Number(p.blocksize), Number(p.fileId)]).toEqual([2, 1024, 77]);
  expect(p.childrenNum).toBe(-1);
  expect(p.locations).toBeNull();
});

test('with locations a file becomes a located status carrying them', () => {
  expect(roundTrip(file, true).locations).toMatchObject({ underConstruction: true, isLastBlockComplete: false, blocks: [] });
});

test('directories and symlinks map their types; a symlink its target', () => {
  expect(roundTrip({ ...file, type: 'directory' }, true)).toMatchObject({ fileType: H.FileType.IS_DIR, locations: null });
  const link = roundTrip({ ...file, type: 'symlink', symlink: '/t' });
  expect(link.fileType).toBe(H.FileType.IS_SYMLINK);
  expect(Buffer.from(link.symlink).toString()).toBe('/t');
  expect(roundTrip({ ...file, childrenNum: 4 }).childrenNum).toBe(4);
});

test('an inode with an ACL carries the HAS_ACL flag and, for Hadoop 2 clients, the ACL bit of FsPermissionExtension', () => {
  const p = roundTrip({ ...file, hasAcl: true });
  expect(p.flags).toBe(H.Flags.HAS_ACL);
  expect(p.permission.perm).toBe(0o640 | (1 << 12));
  expect(roundTrip(file).flags).toBe(0);
});
