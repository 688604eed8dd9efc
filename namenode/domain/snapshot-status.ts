import type { FileStatus } from './file-status';

/** HDFS's SnapshottableDirectoryStatus: the directory, its snapshot count and quota, and where it sits. */
export interface SnapshottableDirectoryStatus {
  readonly dir: FileStatus;
  readonly snapshotNumber: number;
  readonly snapshotQuota: number;
  /** The parent directory's full path, '' for the root. */
  readonly parentFullPath: string;
}

/** HDFS's SnapshotStatus: one snapshot as a directory named for it, beneath its snapshottable directory. */
export interface SnapshotStatus {
  readonly dir: FileStatus;
  readonly snapshotId: number;
  /** The snapshottable directory's full path. */
  readonly parentFullPath: string;
  readonly isDeleted: boolean;
}
