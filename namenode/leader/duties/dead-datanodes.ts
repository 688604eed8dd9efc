import type { OpContext } from '../../tx/op-context';

/**
 * Declares datanodes whose heartbeats stopped dead, and queues every block
 * they held for re-replication. Each one in a single transaction, under a
 * lock of its row: a heartbeat arriving meanwhile either comes first (the
 * node is not silent any more and nothing happens) or waits and finds it
 * dead (and registers again); no half-reaped node is ever seen. Returns how
 * many were declared dead.
 */
export async function reapDeadDatanodes(ctx: OpContext, now: number): Promise<number> {
  const { datanodes, commands } = ctx.dal;
  const cutoff = now - ctx.config.heartbeatExpiryMs;
  const expired = await ctx.runner.query('deadDatanodes', datanodes.findExpired(cutoff));
  let dead = 0;
  for (const d of expired) {
    const reaped = await ctx.runner.transaction('deadDatanodes', async (tx) => {
      if (!(await tx.run(datanodes.lockExpiredByPk(d.uuid, cutoff)))) return false;
      tx.changes.add(datanodes.markDead(d.uuid, cutoff), commands.deleteByDatanode(d.uuid), ...datanodes.forgetDead(d.uuid, tx.now));
      return true;
    });
    if (reaped) dead++;
  }
  return dead;
}
