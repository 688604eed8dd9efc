import { hadoop } from '../../protocol/generated/hadoop';
import type { FileStatus, FileType } from '../domain/file-status';
import { ACL_BIT } from '../wire/status-writer';

const ProtoFileType = hadoop.hdfs.HdfsFileStatusProto.FileType;
type StatusProto = hadoop.hdfs.HdfsFileStatusProto.$Properties;


const FILE_TYPE: Record<FileType, hadoop.hdfs.HdfsFileStatusProto.FileType> = {
  directory: ProtoFileType.IS_DIR,
  file: ProtoFileType.IS_FILE,
  symlink: ProtoFileType.IS_SYMLINK,
};

/**
 * HdfsFileStatusProto for a status; `path` carries only the local name, as
 * HDFS sends it. An uncounted childrenNum stays unset, which the client reads
 * as -1 (unknown). `locations`, for a file in a listing with locations,
 * makes it an HdfsLocatedFileStatus.
 */
export function toStatusProto(s: FileStatus, locations?: hadoop.hdfs.LocatedBlocksProto.$Properties): StatusProto {
  return {
    fileType: FILE_TYPE[s.type],
    path: Buffer.from(s.name, 'utf8'),
    length: s.length,
    permission: { perm: s.permission | (s.hasAcl ? ACL_BIT : 0) },
    flags: s.hasAcl ? hadoop.hdfs.HdfsFileStatusProto.Flags.HAS_ACL : 0,
    owner: s.owner,
    group: s.group,
    modificationTime: s.mtime,
    accessTime: s.atime,
    symlink: s.symlink === undefined ? null : Buffer.from(s.symlink, 'utf8'),
    blockReplication: s.replication,
    blocksize: s.blockSize,
    fileId: s.fileId,
    storagePolicy: s.storagePolicy,
    childrenNum: s.childrenNum ?? null,
    locations: s.type === 'file' && locations ? locations : null,
  };
}
