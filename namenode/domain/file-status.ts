export type FileType = 'file' | 'directory' | 'symlink';

/**
 * What every front door says about one inode: Hadoop IPC's
 * HdfsFileStatusProto, WebHDFS's FileStatus JSON, the gRPC namespace API.
 * Directories and symlinks report length, replication and block size 0, as
 * HDFS does.
 */
export interface FileStatus {
  /** The last path component (empty for the status of the path asked about), as HDFS sends it. */
  readonly name: string;
  readonly type: FileType;
  readonly length: number;
  /** The permission bits, sticky bit included (e.g. 0o1777). */
  readonly permission: number;
  readonly owner: string;
  readonly group: string;
  /** Milliseconds since the epoch. */
  readonly mtime: number;
  readonly atime: number;
  readonly replication: number;
  readonly blockSize: number;
  /** The inode id: HDFS's fileId. */
  readonly fileId: number;
  readonly storagePolicy: number;
  /** The link target, for a symlink. */
  readonly symlink: string | undefined;
  /** A client holds the lease and is writing. */
  readonly underConstruction: boolean;
  /** The inode has an ACL (HDFS's aclBit: HdfsFileStatusProto's HAS_ACL flag, `+` in `ls -l`). */
  readonly hasAcl: boolean;
  /** Undefined when not counted: counting costs a query per directory. */
  readonly childrenNum: number | undefined;
}

/** One page of a directory; for a file, its own status alone. */
export interface DirectoryListing {
  readonly entries: readonly FileStatus[];
  /** Entries after this page. */
  readonly remaining: number;
}

/** A listed child's HdfsFileStatusProto bytes before and after its mtime, and the mtime (namenode/wire/status-parts.ts). */
export interface EncodedStatus {
  readonly head: Uint8Array;
  readonly mtime: number;
  readonly tail: Uint8Array;
}

/** One page of a directory as its children's status bytes, for a front door that answers bytes (Hadoop IPC). */
export interface EncodedListing {
  readonly encoded: readonly EncodedStatus[];
  /** Entries after this page. */
  readonly remaining: number;
}
