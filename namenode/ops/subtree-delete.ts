import { isDirectory, type InodeRow } from '../dal/inode-row';
import { parsePath } from '../path/hdfs-path';
import type { OpContext } from '../tx/op-context';
import { removeInodes } from './remove-inodes';
import { checkStillOwned } from './subtree-lock';
import { subtreeUsageChanged } from './subtree-usage';

/** A directory being emptied: where its listing stands, and its subdirectories still to empty. */
interface Frame {
  readonly dir: InodeRow;
  after: string;
  exhausted: boolean;
  readonly subdirs: InodeRow[];
}

const frameOf = (dir: InodeRow): Frame => ({ dir, after: '', exhausted: false, subdirs: [] });

/**
 * Phase 3 of a big delete: empties the locked subtree under `root` bottom
 * up, in transactions of at most `subtreeBatchSize` rows, so that every
 * committed state is a whole tree (a directory goes only once it is empty;
 * no row ever loses its parent). Each transaction locks the rows it
 * removes and their directory, checks the root still carries this
 * namenode's lock, removes the rows with their xattrs, leases, blocks and
 * replicas (queueing an invalidation per replica, as any delete), lowers
 * the directory's child count and reports the usage it removed to the
 * quota hook (`ancestors`: `/` … the root). Under a snapshot (an ancestor's
 * `latest_snapshot`, read again by each batch) the removed rows are
 * versioned and files keep their blocks, as in a one-transaction delete.
 * The root itself stays: the caller removes it last. Memory
 * holds one page and the directories on the way down.
 */
export async function emptySubtree(
  ctx: OpContext,
  root: InodeRow,
  ancestors: readonly InodeRow[],
  path: string,
  afterBatch: () => Promise<void> = async () => undefined,
): Promise<number> {
  const batch = ctx.config.subtreeBatchSize;
  const stack: Frame[] = [frameOf(root)];
  let transactions = 0;
  const remove = async (dir: InodeRow, victims: readonly InodeRow[]): Promise<InodeRow[]> => {
    const left = await removeBatch(ctx, root.id, path, ancestors, dir, victims);
    transactions++;
    await afterBatch();
    return left;
  };
  while (stack.length > 0) {
    const f = stack[stack.length - 1] as Frame;
    if (!f.exhausted) {
      const page = await ctx.runner.query('subtree.delete.page', ctx.dal.inodes.findChildrenByParent(f.dir.id, f.after, batch));
      f.exhausted = page.length < batch;
      if (page.length > 0) f.after = (page[page.length - 1] as InodeRow).name;
      const leaves = page.filter((r) => !isDirectory(r) || r.children === 0);
      f.subdirs.push(...page.filter((r) => isDirectory(r) && r.children > 0));
      if (leaves.length > 0) f.subdirs.push(...(await remove(f.dir, leaves)));
      continue;
    }
    const next = f.subdirs.pop();
    if (next) {
      stack.push(frameOf(next));
      continue;
    }
    stack.pop();
    const parent = stack[stack.length - 1];
    if (parent) {
      const left = await remove(parent.dir, [f.dir]);
      if (left.length > 0) stack.push(frameOf(f.dir)); // Cannot happen under the lock; emptied again if it does.
    }
  }
  return transactions;
}

/**
 * One bounded transaction: removes `victims`, children of `dir`, except
 * directories that still have children (answered, to be emptied first).
 */
async function removeBatch(
  ctx: OpContext,
  rootId: number,
  path: string,
  ancestors: readonly InodeRow[],
  dir: InodeRow,
  victims: readonly InodeRow[],
): Promise<InodeRow[]> {
  return ctx.runner.transaction('subtree.delete.batch', async (tx) => {
    await checkStillOwned(ctx, tx, rootId, path);
    const inodes = tx.dal.inodes;
    const [parents, rows, above] = await tx.runAll([
      inodes.findByIdBatched([dir.id], 'exclusive'),
      inodes.findByIdBatched(victims.map((v) => v.id), 'exclusive'),
      inodes.findByIdBatched(ancestors.map((a) => a.id), 'none'),
    ]);
    const parent = parents[0];
    if (!parent) return [];
    // Under a snapshot the batch keeps what it removes, as a one-transaction delete does (the seam: ChangeSet).
    tx.changes.coverSnapshot(Math.max(0, ...above.map((a) => a.latestSnapshot ?? 0)));
    const dirs = rows.filter(isDirectory).map((r) => r.id);
    const busy = new Set(dirs.length > 0 ? await tx.run(inodes.findParentsWithChildrenBatched(dirs)) : []);
    const doomed = rows.filter((r) => r.parentId === parent.id && !busy.has(r.id));
    if (doomed.length > 0) {
      // Read again above under their exclusive locks.
      await removeInodes(tx, doomed, true);
      tx.changes.update(parent, { ...parent, children: Math.max(0, parent.children - doomed.length) });
      await subtreeUsageChanged(tx, ancestors, parsePath(path), doomed, parent);
    }
    return rows.filter((r) => busy.has(r.id));
  });
}
