import { InodeType, type InodeRow } from '../dal/inode-row';
import type { FileStatus, FileType } from './file-status';

/** The type every front door names for a row's `type`. */
export const TYPE_OF: Readonly<Record<InodeType, FileType>> = {
  [InodeType.File]: 'file',
  [InodeType.Directory]: 'directory',
  [InodeType.Symlink]: 'symlink',
};

/** The status of a row under `name` (its own name in a listing, empty for the path asked about). */
export function fileStatusOfRow(row: InodeRow, name: string): FileStatus {
  const isFile = row.type === InodeType.File;
  return {
    name,
    type: TYPE_OF[row.type],
    length: isFile ? row.length : 0,
    permission: row.permission,
    owner: row.owner,
    group: row.group,
    mtime: row.mtime,
    atime: row.atime,
    replication: isFile ? row.replication : 0,
    blockSize: isFile ? row.blockSize : 0,
    fileId: row.id,
    storagePolicy: row.storagePolicy,
    symlink: row.symlink ?? undefined,
    underConstruction: row.ucClient !== null,
    hasAcl: row.acl !== null,
    childrenNum: undefined,
  };
}
