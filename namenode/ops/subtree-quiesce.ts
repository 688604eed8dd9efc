import type { InodeRow } from '../dal/inode-row';
import type { OpContext } from '../tx/op-context';
import type { WriteContext } from '../tx/tx-contexts';
import { checkStillOwned } from './subtree-lock';
import { countRow, emptyCounts, type SubtreeCounts } from './subtree-usage';
import { walkPages } from './subtree-walk';

/**
 * Phase 2 of a subtree operation: walks the locked subtree depth first, one
 * page of `subtreeBatchSize` rows per short transaction, reading them with
 * shared row locks released at its commit. Path writes cannot enter (the
 * root's lock refuses them, and phase 1's exclusive lock on the root waited
 * for those in flight, since every path write share-locks its ancestors);
 * what the walk waits out are block operations on its files (addBlock,
 * complete, fsync lock a file by id). Each page also checks the root still
 * carries this namenode's lock. `nonEmpty` sees each directory that has
 * children (the delete's permission check); `inPage` each page inside the
 * transaction that read it, answering what to do once it committed
 * (setQuota's usage tally); answers what lies beneath the
 * root (the root not counted) and how many pages it read.
 */
export async function quiesceSubtree(
  ctx: OpContext,
  root: InodeRow,
  path: string,
  nonEmpty: (dir: InodeRow) => void = () => undefined,
  inPage: (tx: WriteContext, rows: readonly InodeRow[]) => Promise<() => void> = async () => () => undefined,
): Promise<{ counts: SubtreeCounts; pages: number }> {
  const counts = emptyCounts();
  let committed: () => void = () => undefined;
  const pages = await walkPages(
    root,
    ctx.config.subtreeBatchSize,
    (dir, after, limit) =>
      ctx.runner.transaction('subtree.walk', async (tx) => {
        await checkStillOwned(ctx, tx, root.id, path);
        const rows = await tx.run(tx.dal.inodes.findChildrenByParent(dir, after, limit, 'shared'));
        committed = await inPage(tx, rows); // The last attempt's, should the transaction run again.
        return rows;
      }),
    (parent, rows) => {
      committed();
      nonEmpty(parent);
      for (const r of rows) countRow(counts, r);
    },
  );
  return { counts, pages };
}
