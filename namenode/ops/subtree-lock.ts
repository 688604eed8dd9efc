import type { InodeRef, InodeRow } from '../dal/inode-row';
import type { SubtreeOpKind } from '../dal/subtree-op-repository';
import { subtreeLocked } from '../errors';
import type { OpContext } from '../tx/op-context';
import type { WriteContext } from '../tx/tx-contexts';

const below = (path: string, ancestor: string): boolean => ancestor === '/' || path.startsWith(`${ancestor}/`);

/**
 * Phase 1 of a subtree operation, inside the short transaction that checked
 * its permissions with `root` locked exclusively: refuse when a live
 * namenode's operation runs on this root or beneath it (one above it holds
 * a lock on this path, which the transaction's locking reads already
 * refused), then set the root's lock (owner = this namenode's election id)
 * and record the operation. A dead owner's lock and record are taken over.
 */
export async function lockSubtree(ctx: OpContext, tx: WriteContext, root: InodeRow, op: SubtreeOpKind, path: string): Promise<void> {
  const self = ctx.membership.selfId;
  if (self === 0) throw subtreeLocked(`${path}: this namenode has not joined the fleet yet; retry`);
  await refuseOpsBeneath(ctx, tx, root, path);
  tx.changes.add(tx.dal.inodes.setSubtreeLockById(root, self, tx.now), tx.dal.subtreeOps.upsert({ rootId: root.id, owner: self, op, path, startedAt: tx.now }));
}

/**
 * RetriableException when a live namenode's subtree operation runs on
 * `root` or beneath it: what phase 1 checks, and what an operation that
 * counts a subtree in one transaction (setQuota) checks, since the
 * operation beneath saw no quota directory above it when it started.
 */
export async function refuseOpsBeneath(ctx: OpContext, tx: WriteContext, root: InodeRow, path: string): Promise<void> {
  for (const other of await tx.run(tx.dal.subtreeOps.findAll())) {
    const overlaps = other.rootId === root.id || below(other.path, path);
    if (overlaps && ctx.membership.isLive(other.owner)) {
      throw subtreeLocked(`${path}: a ${other.op} of ${other.path} by namenode ${other.owner} is in progress beneath it; retry later`);
    }
  }
}

/** The mutations that end a subtree operation: its lock on `root` (if the row remains) and its record. */
export function releaseMutations(ctx: OpContext, tx: WriteContext, root: InodeRef): void {
  const self = ctx.membership.selfId;
  tx.changes.add(tx.dal.inodes.clearSubtreeLockById(root, self), tx.dal.subtreeOps.deleteByRootAndOwner(root.id, self));
}

/** Ends a subtree operation that failed on its way: its own transaction. */
export async function releaseSubtree(ctx: OpContext, root: InodeRef): Promise<void> {
  await ctx.runner.transaction('subtree.release', async (tx) => releaseMutations(ctx, tx, root));
}

/**
 * Inside each transaction of phases 2 and 3: the root must still carry this
 * namenode's lock. If the leader cleared it (this namenode was seen dead,
 * then came back), the operation stops with RetriableException rather than
 * work on a subtree others may now change; the client's retry starts over.
 */
export async function checkStillOwned(ctx: OpContext, tx: WriteContext, rootId: number, path: string): Promise<void> {
  const [root] = await tx.run(tx.dal.inodes.findByIdBatched([rootId], 'shared'));
  if (root?.subtreeLockOwner !== ctx.membership.selfId) throw subtreeLocked(`${path}: this namenode lost its subtree lock; retry`);
}

/** Runs `body` under the subtree lock on `root`; a failure releases the lock before it surfaces. */
export async function underSubtreeLock<T>(ctx: OpContext, root: InodeRef, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (e) {
    await releaseSubtree(ctx, root).catch(() => undefined);
    throw e;
  }
}

/**
 * The test hook (config.subtreePauseForTests = '<op>:<phase>'): stops the
 * operation here for good, after saying so on stdout, so a test can kill -9
 * the namenode at a known point.
 */
export async function pauseForTests(ctx: OpContext, op: SubtreeOpKind, phase: 2 | 3): Promise<void> {
  if (ctx.config.subtreePauseForTests !== `${op}:${phase}`) return;
  process.stdout.write(`subtree-pause ${op} phase ${phase}\n`);
  await new Promise<never>(() => undefined);
}
