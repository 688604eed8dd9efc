import type { FileStatus } from '../../../namenode/domain/file-status';

/** A plain file's status, for the status encoders' tests to vary. */
export const sampleFile: FileStatus = {
  name: 'part-0',
  type: 'file',
  length: 300,
  permission: 0o640,
  owner: 'alice',
  group: 'staff',
  mtime: 10,
  atime: 20,
  replication: 2,
  blockSize: 1024,
  fileId: 77,
  storagePolicy: 0,
  symlink: undefined,
  underConstruction: true,
  hasAcl: false,
  childrenNum: undefined,
};
