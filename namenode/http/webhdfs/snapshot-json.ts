import type { DiffEntry, DiffLabel, DiffListing, DiffListingEntry } from '../../domain/snapshot-diff';
import type { SnapshotStatus, SnapshottableDirectoryStatus } from '../../domain/snapshot-status';
import { snapshotPath } from '../../path/dot-snapshot';
import { fileStatusJson } from './webhdfs-json';

/**
 * The snapshot bodies of Hadoop 3's JsonUtil (server) as JsonUtilClient
 * reads them back, keys in TreeMap order. Paths are relative to the
 * snapshot root, as DiffReportEntry and DiffReportListingEntry hold them.
 */

/** DiffReportEntry's type is the DiffType enum, which Jackson writes by name (parseDiffType reads it back). */
const DIFF_TYPE: Readonly<Record<DiffLabel, string>> = { M: 'MODIFY', '+': 'CREATE', '-': 'DELETE', R: 'RENAME' };

export const snapshotDiffReportJson = (root: string, from: string, to: string, entries: readonly DiffEntry[]) => ({
  SnapshotDiffReport: {
    diffList: entries.map((e) => ({ sourcePath: e.source, ...(e.target === undefined ? {} : { targetPath: e.target }), type: DIFF_TYPE[e.label] })),
    fromSnapshot: from,
    snapshotRoot: root,
    toSnapshot: to,
  },
});

const listingEntryJson = (e: DiffListingEntry) => ({
  dirId: e.dirId,
  fileId: e.fileId,
  isReference: e.isReference,
  sourcePath: e.path,
  ...(e.target === undefined ? {} : { targetPath: e.target }),
});

/** One page of SnapshotDiffReportListing; `lastPath` '' with `lastIndex` -1 tells the client the listing is complete. */
export const snapshotDiffListingJson = (l: DiffListing & { isFromEarlier: boolean }, lastPath: string, lastIndex: number) => ({
  SnapshotDiffReportListing: {
    createList: l.created.map(listingEntryJson),
    deleteList: l.deleted.map(listingEntryJson),
    isFromEarlier: l.isFromEarlier,
    lastIndex,
    lastPath,
    modifyList: l.modified.map(listingEntryJson),
  },
});

/** No snapshottable directory at all is a null list, as over IPC. */
export const snapshottableDirListJson = (dirs: readonly SnapshottableDirectoryStatus[] | undefined) => ({
  SnapshottableDirectoryList:
    dirs?.map((d) => ({ dirStatus: fileStatusJson(d.dir), parentFullPath: d.parentFullPath, snapshotNumber: d.snapshotNumber, snapshotQuota: d.snapshotQuota })) ?? null,
});

/** SnapshotStatus: `fullPath` is the snapshot's own path (SnapshotStatus.getSnapshotPath); the client takes the parent back from it. */
export const snapshotListJson = (snapshots: readonly SnapshotStatus[]) => ({
  SnapshotList: snapshots.map((s) => ({
    deletionStatus: s.isDeleted ? 'DELETED' : 'ACTIVE',
    dirStatus: fileStatusJson(s.dir),
    fullPath: snapshotPath(s.parentFullPath || '/', s.dir.name),
    snapshotID: s.snapshotId,
  })),
});
