import type { OpContext } from '../../tx/op-context';
import { recoverFile } from '../../blocks/file-recovery';

const BATCH = 100;

/** Recovers the files of writers whose leases passed the hard limit. */
export async function recoverExpiredLeases(ctx: OpContext, now: number): Promise<number> {
  const expired = await ctx.runner.query('leaseMonitor', ctx.dal.leases.findExpiredPaths(now - ctx.config.leaseHardLimitMs, BATCH));
  let closed = 0;
  for (const { inodeId } of expired) {
    const outcome = await ctx.runner.writeInode('leaseRecovery', inodeId, async (file, tx) => (file && file.ucClient !== null ? recoverFile(ctx, file, tx) : 'closed'));
    if (outcome === 'closed') closed++;
  }
  return closed;
}
