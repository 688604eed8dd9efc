import { isDirectory, isFile, type InodeRow } from '../dal/inode-row';
import type { WriteContext } from '../tx/tx-contexts';
import { negateUsage, sumUsage } from '../domain/quota';
import type { HdfsPath } from '../path/hdfs-path';
import { policyUnder, quotaDirsOf } from '../quota/file-charge';
import { usageOfRows } from '../quota/subtree-usage';
import { applyUsageDelta } from '../quota/usage-ledger';

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

/**
 * THE quota hook of subtree operations, called inside the transaction that
 * removes `rows`: the quota directories among `ancestors` (root first,
 * ancestors[i] at depth i of `path`) lose their usage. `under`, when the
 * rows are children of a directory inside the subtree, is that directory
 * (its storage policy is the one they inherit; intermediate directories'
 * own policies below the subtree root are not followed, which matters only
 * for per-storage-type quotas). Nothing is read without a quota directory.
 */
export async function subtreeUsageChanged(tx: WriteContext, ancestors: readonly InodeRow[], path: HdfsPath, rows: readonly InodeRow[], under?: InodeRow): Promise<void> {
  const dirs = quotaDirsOf(ancestors, path);
  if (dirs.length === 0 || rows.length === 0) return;
  const policy = policyUnder(ancestors, under?.storagePolicy ?? 0);
  const usage = under
    ? sumUsage(await usageOfRows(tx, [under, ...rows], policy), negateUsage(await usageOfRows(tx, [under], policy)))
    : await usageOfRows(tx, rows, policy);
  await applyUsageDelta(tx, dirs, negateUsage(usage));
}
