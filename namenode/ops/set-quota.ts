import type { InodeRow } from '../dal/inode-row';
import { QUOTA_DONT_SET, QUOTA_RESET } from '../domain/quota';
import { NamesystemError } from '../errors';
import { parsePath, type HdfsPath } from '../path/hdfs-path';
import { policyUnder } from '../quota/file-charge';
import { usageOfRows } from '../quota/subtree-usage';
import type { Caller } from '../security/caller';
import { requireSuperuser } from '../security/superuser';
import type { OpContext } from '../tx/op-context';
import { quotaTarget, writeQuota, type SetQuotaRequest } from './set-quota-apply';
import { setQuotaSubtree } from './set-quota-subtree';
import { SubtreeTooBig, walkSubtree } from './subtree';
import { refuseOpsBeneath } from './subtree-lock';

export type { SetQuotaRequest } from './set-quota-apply';

const isLegal = (q: bigint) => q >= 0n || q === QUOTA_DONT_SET || q === BigInt(QUOTA_RESET);

/**
 * FSDirAttrOp.setQuota: the superuser sets or clears the namespace and
 * storage-space quotas of a directory, or one storage type's quota. A
 * directory that gains its first quota has its usage counted: up to
 * `subtreeThreshold` inodes in this one transaction (the subtree walked
 * under the directory's exclusive lock: every writer below share-locks
 * it), a bigger subtree as a subtree operation (set-quota-subtree.ts). One
 * that loses its last stops counting. Every quota directory keeps
 * QUOTA_STRIPES usage rows per counted dimension (see usage-ledger.ts).
 */
export async function setQuota(ctx: OpContext, caller: Caller, req: SetQuotaRequest): Promise<void> {
  requireSuperuser(caller);
  const { namespaceQuota: ns, storagespaceQuota: ss, storageType } = req;
  if (!isLegal(ns) || !isLegal(ss)) throw new NamesystemError('JavaIllegalArgument', `Illegal value for nsQuota or ssQuota : ${ns} and ${ss}`);
  if (storageType !== undefined && ns !== QUOTA_DONT_SET) {
    throw new NamesystemError(
      'UnsupportedAction',
      `Failed to set quota by storage type because eitherdfs.quota.by.storage.type.enabled is set to true or nsQuota value is illegal ${ns}`,
    );
  }
  const path = parsePath(req.path);
  if (path.components.length === 0 && ns === BigInt(QUOTA_RESET)) throw new NamesystemError('JavaIllegalArgument', 'Cannot clear namespace quota on root.');
  try {
    await setQuotaInOneTransaction(ctx, caller, req, path);
  } catch (e) {
    if (!(e instanceof SubtreeTooBig)) throw e;
    await setQuotaSubtree(ctx, caller, req, path);
  }
}

async function setQuotaInOneTransaction(ctx: OpContext, caller: Caller, req: SetQuotaRequest, path: HdfsPath): Promise<void> {
  await ctx.runner.write('setQuota', [{ path, parent: 'shared', target: 'exclusive' }], async ([lp], tx) => {
    if (!lp) throw new Error('unreachable');
    const dir = quotaTarget(caller, lp, path);
    // Writes to files directly in the directory (addBlock, complete…) lock the file but not the
    // directory: locking its children waits them out, and they read its quota flag after their lock.
    await tx.run(tx.dal.inodes.lockChildrenByParent(dir.id));
    await writeQuota(tx, dir, req, async () => {
      // A big delete or rename beneath started without this quota directory above it: it would not charge it.
      await refuseOpsBeneath(ctx, tx, dir, path.text);
      const rows: InodeRow[] = [dir];
      await walkSubtree(dir, tx, (level) => rows.push(...level), ctx.config.subtreeThreshold);
      return usageOfRows(tx, rows, policyUnder(lp.rows));
    });
  });
}
