import { isDirectory, type InodeRow } from '../dal/inode-row';
import { negateUsage, sumUsage, type QuotaDim } from '../domain/quota';
import type { HdfsPath } from '../path/hdfs-path';
import { walkSubtree } from './subtree';
import type { WriteContext } from '../tx/tx-contexts';
import { policyUnder, quotaDirsOf } from '../quota/file-charge';
import { usageOfRows } from '../quota/subtree-usage';
import { applyUsageDelta, type QuotaDir } from '../quota/usage-ledger';

/** One side of a rename: the locked rows from the root to the parent, and the path. */
export interface RenameSide {
  readonly ancestors: readonly InodeRow[];
  readonly path: HdfsPath;
}

/** A moved subtree's usage counted already (a big rename's paged walk), by the storage policy its root was counted under. */
export type CountedUsage = ReadonlyMap<number, ReadonlyMap<QuotaDim, number>>;

/**
 * FSDirRenameOp's quota accounting: the moved subtree leaves the quota
 * directories only above the source and enters those only above the
 * destination (checked there, as verifyQuotaForRename does from the
 * destination up to the last common ancestor); an overwritten destination
 * leaves every quota directory above it. Nothing is walked when no quota
 * directory is involved. `counted`, when the caller counted the subtree
 * already at the policies this rename needs, saves the walk (a big
 * subtree is never walked in this one transaction).
 */
export async function chargeRename(
  tx: WriteContext,
  src: RenameSide,
  dst: RenameSide,
  moving: InodeRow,
  overwritten: InodeRow | undefined,
  counted?: CountedUsage,
): Promise<void> {
  const srcDirs = quotaDirsOf(src.ancestors, src.path);
  const dstDirs = quotaDirsOf(dst.ancestors, dst.path);
  if (srcDirs.length === 0 && dstDirs.length === 0) return;
  const common = new Set(srcDirs.map((d) => d.id).filter((id) => dstDirs.some((d) => d.id === id)));
  const srcOnly = srcDirs.filter((d) => !common.has(d.id));
  const dstOnly = dstDirs.filter((d) => !common.has(d.id));
  const gone = overwritten ? await usageOfRows(tx, [overwritten], policyUnder(dst.ancestors, overwritten.storagePolicy)) : new Map<QuotaDim, number>();
  const bothSides: QuotaDir[] = dstDirs.filter((d) => common.has(d.id));
  if (srcOnly.length === 0 && dstOnly.length === 0) {
    await applyUsageDelta(tx, bothSides, negateUsage(gone));
    return;
  }
  let rows: InodeRow[] | undefined;
  const usageAt = async (policy: number) => {
    const known = counted?.get(policy);
    if (known) return known;
    if (!rows) {
      rows = [moving];
      if (isDirectory(moving)) await walkSubtree(moving, tx, (level) => rows?.push(...level));
    }
    return usageOfRows(tx, rows, policy);
  };
  const atSrc = await usageAt(policyUnder(src.ancestors, moving.storagePolicy));
  const atDst = await usageAt(policyUnder(dst.ancestors, moving.storagePolicy));
  await applyUsageDelta(tx, dstOnly, sumUsage(atDst, negateUsage(gone)));
  await applyUsageDelta(tx, bothSides, negateUsage(gone));
  await applyUsageDelta(tx, srcOnly, negateUsage(atSrc));
}
