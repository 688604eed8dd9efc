import { InodeType, type InodeRow } from '../../../namenode/dal/inode-row';
import { fileStatusOfRow } from '../../../namenode/domain/file-status-of-row';

const row = (over: Partial<InodeRow>): InodeRow => ({
  id: 1001,
  parentId: 1,
  name: 'data.csv',
  type: InodeType.File,
  permission: 0o644,
  owner: 'alice',
  group: 'staff',
  mtime: 1_700_000_000_000,
  atime: 1_700_000_000_500,
  replication: 3,
  blockSize: 134_217_728,
  length: 4096,
  storagePolicy: 7,
  symlink: null,
  ucClient: null,
  ucMachine: null,
  children: 0,
  acl: null,
  ...over,
});

test('a closed file keeps its sizes, ids and times under the name asked for', () => {
  expect(fileStatusOfRow(row({}), '')).toEqual({
    name: '',
    type: 'file',
    length: 4096,
    permission: 0o644,
    owner: 'alice',
    group: 'staff',
    mtime: 1_700_000_000_000,
    atime: 1_700_000_000_500,
    replication: 3,
    blockSize: 134_217_728,
    fileId: 1001,
    storagePolicy: 7,
    symlink: undefined,
    underConstruction: false,
    hasAcl: false,
    childrenNum: undefined,
  });
  expect(fileStatusOfRow(row({}), 'data.csv').name).toBe('data.csv');
});

test('a file with a lease holder is under construction', () => {
  expect(fileStatusOfRow(row({ ucClient: 'DFSClient_1', ucMachine: '10.0.0.1' }), '').underConstruction).toBe(true);
});

test('a directory reports length, replication and block size 0, as HDFS does', () => {
  const s = fileStatusOfRow(row({ type: InodeType.Directory, permission: 0o1777, length: 9, replication: 3, blockSize: 512 }), 'tmp');
  expect(s).toMatchObject({ type: 'directory', length: 0, replication: 0, blockSize: 0, permission: 0o1777, name: 'tmp' });
});

test('a symlink carries its target', () => {
  const s = fileStatusOfRow(row({ type: InodeType.Symlink, symlink: '/target/file' }), 'link');
  expect(s).toMatchObject({ type: 'symlink', symlink: '/target/file', length: 0 });
});
