import { isDirectory, isFile, type InodeRow } from '../dal/inode-row';
import type { WriteContext } from '../tx/tx-contexts';

/** What a subtree (or one batch of it) holds, counted as HDFS's content summary counts. */
export interface SubtreeCounts {
  /** Files and symlinks (HDFS counts a symlink as a file). */
  files: number;
  directories: number;
  length: number;
  /** Bytes × replication of the files. */
  storageSpace: number;
}

export const emptyCounts = (): SubtreeCounts => ({ files: 0, directories: 0, length: 0, storageSpace: 0 });

export function countRow(c: SubtreeCounts, row: InodeRow): void {
  if (isDirectory(row)) {
    c.directories++;
    return;
  }
  c.files++;
  if (isFile(row)) {
    c.length += row.length;
    c.storageSpace += row.length * row.replication;
  }
}

/** A change of quota usage: namespace items (files + directories) and storage space, signed. */
export interface UsageDelta {
  readonly namespace: number;
  readonly storageSpace: number;
}

export const usageOf = (c: SubtreeCounts, sign: 1 | -1): UsageDelta => ({ namespace: sign * (c.files + c.directories), storageSpace: sign * c.storageSpace });

/**
 * THE quota hook of subtree operations, called inside the transaction that
 * changes the usage. `ancestors` are the directories whose usage changes,
 * in path order from `/`: a big delete calls it once per batch it removes
 * (the batch's usage, negative) with `/` … the subtree root, and once more
 * for the root itself with `/` … its parent; a rename of a directory calls
 * it with the subtree's usage (the moved root included), negative for `/` …
 * the source's parent and positive for `/` … the destination's parent.
 * A no-op until quotas land (issue 12 part 2 wires it).
 */
export function subtreeUsageChanged(_tx: WriteContext, _ancestors: readonly InodeRow[], _delta: UsageDelta): void {
  // Quotas are kept by another part of the namesystem; nothing to adjust yet.
}
