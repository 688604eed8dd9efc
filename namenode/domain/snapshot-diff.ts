/** What a snapshot diff report says (namenode/snapshot/README.md, Diff reports). */

/** SnapshotDiffReport.DiffType's labels. */
export type DiffLabel = 'M' | '+' | '-' | 'R';

/** One DiffReportEntry: paths relative to the snapshot root ('' is the root itself), `target` for a rename. */
export interface DiffEntry {
  readonly label: DiffLabel;
  readonly source: string;
  readonly target?: string;
}

/**
 * One DiffReportListingEntry: `dirId` the directory whose children changed
 * (a modified directory: itself, `isReference` true), `fileId` the inode,
 * `target` where a renamed inode went.
 */
export interface DiffListingEntry {
  readonly dirId: number;
  readonly fileId: number;
  readonly path: string;
  readonly isReference: boolean;
  readonly target?: string;
}

/** SnapshotDiffReportListing's three lists, always from the earlier snapshot to the later. */
export interface DiffListing {
  readonly modified: DiffListingEntry[];
  readonly created: DiffListingEntry[];
  readonly deleted: DiffListingEntry[];
}
