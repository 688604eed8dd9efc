import type { RetryKey } from '../domain/retry-key';
import { subtreeLocked } from '../errors';
import type { HdfsPath } from '../path/hdfs-path';
import { denial, FsAction, hasAccess } from '../security/permission-checker';
import type { OpContext } from '../tx/op-context';
import { policyUnder } from '../quota/file-charge';
import { UsageTally } from '../quota/subtree-usage';
import { applyRename, checkRename, renameLockSpecs, type RenamePlan, type RenameRequest } from './rename-plan';
import { checkStillOwned, lockSubtree, pauseForTests, releaseMutations, underSubtreeLock } from './subtree-lock';
import { quiesceSubtree } from './subtree-quiesce';
import { countRow } from './subtree-usage';

/**
 * A rename of a directory whose subtree holds more than `subtreeThreshold`
 * inodes, as a subtree operation: (1) one short transaction makes every
 * rename check and locks the source root; (2) the walk waits out block
 * operations in flight inside, counts the subtree's usage (for the quota
 * hook) and, for a move to the trash, checks what a recursive delete would;
 * (3) one transaction checks again, moves the root, releases the lock and
 * records the call's answer. Until (3) commits nothing has moved, so a
 * namenode dying anywhere leaves the subtree whole at its source.
 */
export async function renameSubtree(ctx: OpContext, req: RenameRequest, srcPath: HdfsPath, dstPath: HdfsPath, retryKey: RetryKey | undefined): Promise<boolean> {
  if (retryKey) {
    const earlier = await ctx.runner.recordedAnswer<boolean>(retryKey);
    if (earlier) return earlier.answer;
  }
  const specs = renameLockSpecs(srcPath, dstPath);
  const locked = await ctx.runner.write('rename.lockSubtree', specs, async ([s, d], tx) => {
    if (!s || !d) throw new Error('unreachable');
    const plan = await checkRename(req, s, d, tx);
    if (typeof plan === 'boolean') return plan;
    await lockSubtree(ctx, tx, plan.moving, 'rename', srcPath.text);
    return { moving: plan.moving, tallies: talliesFor(plan, srcPath, dstPath) };
  });
  if (typeof locked === 'boolean') return locked;
  const { moving: root, tallies } = locked;
  return underSubtreeLock(ctx, root, async () => {
    await pauseForTests(ctx, 'rename', 2);
    const { counts } = await quiesceSubtree(
      ctx,
      root,
      srcPath.text,
      (dir) => {
        if (req.toTrash && !hasAccess(req.caller, dir, FsAction.ALL)) {
          throw denial(req.caller, FsAction.ALL, dir, dir.id === root.id ? srcPath.text : `${srcPath.text}/…/${dir.name}`);
        }
      },
      async (tx, rows) => {
        const added = await Promise.all([...tallies.values()].map((t) => t.countPage(tx, rows)));
        return () => added.forEach((add) => add());
      },
    );
    countRow(counts, root);
    await pauseForTests(ctx, 'rename', 3);
    return ctx.runner.write('rename', specs, async ([s, d], tx) => {
      if (!s || !d) throw new Error('unreachable');
      await checkStillOwned(ctx, tx, root.id, srcPath.text);
      const plan = await checkRename(req, s, d, tx);
      releaseMutations(ctx, tx, root);
      if (typeof plan === 'boolean') return plan;
      if (plan.moving.id !== root.id) throw subtreeLocked(`${srcPath.text}: replaced while its subtree was locked; retry`);
      await applyRename(ctx, plan, tx, new Map([...tallies].map(([policy, t]) => [policy, t.usage])));
      return true;
    }, { retryKey, ownedSubtreeRoot: root.id });
  });
}

/**
 * The quota hook's tallies of the moved subtree, by the storage policy its
 * root lives under at either end, when a quota directory is above either
 * end: counted by the walk, page by page, so that the last transaction
 * does not walk the subtree again.
 */
function talliesFor(plan: RenamePlan, srcPath: HdfsPath, dstPath: HdfsPath): Map<number, UsageTally> {
  const src = plan.s.rows.slice(0, srcPath.components.length);
  const dst = plan.d.rows.slice(0, dstPath.components.length);
  if (!src.some((r) => r.hasQuota) && !dst.some((r) => r.hasQuota)) return new Map();
  const policies = new Set([policyUnder(src, plan.moving.storagePolicy), policyUnder(dst, plan.moving.storagePolicy)]);
  return new Map([...policies].map((p) => [p, new UsageTally(plan.moving, p)]));
}
