import { hadoop } from '../../protocol/generated/hadoop';
import { InodeType, type InodeRow } from '../dal/inode-row';

const FileType = hadoop.hdfs.HdfsFileStatusProto.FileType;
type StatusProto = hadoop.hdfs.HdfsFileStatusProto.$Properties;

const FILE_TYPE: Record<InodeType, hadoop.hdfs.HdfsFileStatusProto.FileType> = {
  [InodeType.Directory]: FileType.IS_DIR,
  [InodeType.File]: FileType.IS_FILE,
  [InodeType.Symlink]: FileType.IS_SYMLINK,
};

/**
 * HdfsFileStatusProto for a row; `path` carries only the local name (empty
 * for getFileInfo), as HDFS sends it. childrenNum stays unset (-1, unknown):
 * counting children would cost a query per directory.
 */
export function toStatusProto(row: InodeRow, localName: string, needLocation = false): StatusProto {
  const isFile = row.type === InodeType.File;
  return {
    fileType: FILE_TYPE[row.type],
    path: Buffer.from(localName, 'utf8'),
    length: isFile ? row.length : 0,
    permission: { perm: row.permission },
    owner: row.owner,
    group: row.group,
    modificationTime: row.mtime,
    accessTime: row.atime,
    symlink: row.symlink === null ? null : Buffer.from(row.symlink, 'utf8'),
    blockReplication: isFile ? row.replication : 0,
    blocksize: isFile ? row.blockSize : 0,
    fileId: row.id,
    storagePolicy: row.storagePolicy,
    locations:
      needLocation && isFile
        ? { fileLength: row.length, blocks: [], underConstruction: row.ucClient !== null, isLastBlockComplete: row.ucClient === null }
        : null,
  };
}
