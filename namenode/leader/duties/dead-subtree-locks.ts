import type { OpContext } from '../../tx/op-context';
import { aliveWindowMs } from '../leader-election';

/**
 * Clears the subtree locks and records of namenodes no longer in leader
 * election's membership: a lock is dead as soon as its owner is, with no
 * fixed expiry (HopsFS waited 10 minutes). Nothing else needs undoing: a
 * big delete removes bottom up (the tree stays whole) and a big rename
 * moves its root in its last transaction, so the client's retry (the same
 * call, or a new one) finishes the job on any namenode. Both mutations are
 * conditional on the dead owner: a retry that took the lock over keeps it.
 */
export async function clearDeadSubtreeLocks(ctx: OpContext): Promise<number> {
  const ops = await ctx.runner.query('deadSubtreeLocks', ctx.dal.subtreeOps.findAll());
  if (ops.length === 0) return 0;
  // Membership as of now, not the last election round: a namenode that joined since holds live locks.
  const aliveMs = aliveWindowMs(ctx.config.housekeepingIntervalMs);
  const live = new Set((await ctx.runner.query('deadSubtreeLocks', ctx.dal.namenodes.findLive(aliveMs))).map((n) => n.id));
  let cleared = 0;
  for (const op of ops) {
    if (live.has(op.owner)) continue;
    await ctx.runner.transaction('deadSubtreeLocks', async (tx) => {
      // The row first, for its parent (whose cached listing holds it); gone, there is no lock left to clear.
      const [root] = await tx.run(tx.dal.inodes.findByIdBatched([op.rootId], 'exclusive'));
      if (root) tx.changes.add(tx.dal.inodes.clearSubtreeLockById(root, op.owner));
      tx.changes.add(tx.dal.subtreeOps.deleteByRootAndOwner(op.rootId, op.owner));
    });
    cleared++;
  }
  return cleared;
}
