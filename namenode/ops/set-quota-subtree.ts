import type { HdfsPath } from '../path/hdfs-path';
import { policyUnder } from '../quota/file-charge';
import { UsageTally } from '../quota/subtree-usage';
import type { Caller } from '../security/caller';
import type { OpContext } from '../tx/op-context';
import { quotaTarget, writeQuota, type SetQuotaRequest } from './set-quota-apply';
import { checkStillOwned, lockSubtree, pauseForTests, releaseMutations, underSubtreeLock } from './subtree-lock';
import { quiesceSubtree } from './subtree-quiesce';

/**
 * setQuota on a directory above `subtreeThreshold` inodes that gains its
 * first quota, as a subtree operation: (1) one short transaction checks
 * the path and locks the directory's subtree (refusing a live operation on
 * it or beneath it); (2) the paged walk waits out block operations in
 * flight and tallies the usage page by page, each page in the transaction
 * that read it, while writes inside get RetriableException; (3) one
 * transaction writes the limits and the usage and releases the lock.
 * Nothing changes before (3): a namenode dying on the way leaves a lock
 * the leader clears, and the client's retry counts again.
 */
export async function setQuotaSubtree(ctx: OpContext, caller: Caller, req: SetQuotaRequest, path: HdfsPath): Promise<void> {
  const spec = { path, parent: 'shared', target: 'exclusive' } as const;
  const { root, policy } = await ctx.runner.write('setQuota.lockSubtree', [spec], async ([lp], tx) => {
    if (!lp) throw new Error('unreachable');
    const dir = quotaTarget(caller, lp, path);
    await lockSubtree(ctx, tx, dir, 'setQuota', path.text);
    return { root: dir, policy: policyUnder(lp.rows) };
  });
  await underSubtreeLock(ctx, root, async () => {
    await pauseForTests(ctx, 'setQuota', 2);
    const tally = new UsageTally(root, policy);
    await quiesceSubtree(ctx, root, path.text, undefined, (tx, rows) => tally.countPage(tx, rows));
    await pauseForTests(ctx, 'setQuota', 3);
    await ctx.runner.write('setQuota', [spec], async ([lp], tx) => {
      if (!lp) throw new Error('unreachable');
      await checkStillOwned(ctx, tx, root.id, path.text);
      const dir = quotaTarget(caller, lp, path);
      releaseMutations(ctx, tx, root);
      await writeQuota(tx, dir, req, async () => tally.usage);
    }, { ownedSubtreeRoot: root.id });
  });
}
