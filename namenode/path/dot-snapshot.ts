import type { HdfsPath } from './hdfs-path';

/** HdfsConstants.DOT_SNAPSHOT_DIR: the reserved component that names a snapshottable directory's snapshots. */
export const DOT_SNAPSHOT = '.snapshot';

/** Whether a path goes through a `.snapshot` component (anywhere: HDFS reads it as a snapshot under a snapshottable directory). */
export const throughDotSnapshot = (path: HdfsPath): boolean => path.components.includes(DOT_SNAPSHOT);

/** A snapshot's own path, as createSnapshot answers it: Snapshot.getSnapshotPath. */
export const snapshotPath = (rootPath: string, name: string): string => `${rootPath === '/' ? '' : rootPath}/${DOT_SNAPSHOT}/${name}`;
