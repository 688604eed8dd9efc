import type { OpContext } from '../../tx/op-context';
import { recoverFile } from '../../blocks/file-recovery';

const BATCH = 100;
const EMPTY_BATCH = 1_000;

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
  // After the recoveries, so that a failure here never holds them up (and a holder they emptied goes the next round).
  await dropEmptyLeases(ctx, now);
  return closed;
}

/**
 * Drops the lease rows of holders that hold no file open and were last
 * renewed before the soft limit. A close or a delete drops only its files'
 * lease paths (by key: no lock on the holder's other files, which its
 * concurrent creates are inserting), so a holder's row outlives its last
 * file until this finds it. A create renews its holder's row before it adds
 * its path, so the delete, which checks both again under the row's lock,
 * spares a holder that opened a file meanwhile. An empty row changes no
 * answer: renewLease of a holder without files is not an error either way.
 */
export async function dropEmptyLeases(ctx: OpContext, now: number): Promise<number> {
  const before = now - ctx.config.leaseSoftLimitMs;
  const holders = await ctx.runner.query('leaseMonitor', ctx.dal.leases.findEmpty(before, EMPTY_BATCH));
  if (holders.length === 0) return 0;
  const [dropped] = await ctx.runner.mutate('leaseMonitor', [ctx.dal.leases.deleteEmpty(holders, before)]);
  return dropped ?? 0;
}
