import type { OpContext } from '../../tx/op-context';
import { recoverFile } from '../../blocks/file-recovery';

const BATCH = 100;

/**
 * Recovers the files of writers whose leases passed the hard limit. Not in
 * safe mode, as HDFS's LeaseManager: writers cannot renew then, and closing
 * their files would change the namespace.
 */
export async function recoverExpiredLeases(ctx: OpContext, now: number): Promise<number> {
  const [safeMode, expired] = await ctx.runner.queryAll('leaseMonitor', [
    ctx.dal.namespace.findSafeMode('none'),
    ctx.dal.leases.findExpiredPaths(now - ctx.config.leaseHardLimitMs, BATCH),
  ]);
  if (safeMode !== null) return 0;
  let closed = 0;
  for (const { inodeId } of expired) {
    const outcome = await ctx.runner.writeInode('leaseRecovery', inodeId, async (file, tx) => (file && file.ucClient !== null ? recoverFile(ctx, file, tx) : 'closed'));
    if (outcome === 'closed') closed++;
  }
  return closed;
}
