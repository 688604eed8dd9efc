import type { OpContext } from '../../tx/op-context';

/**
 * Declares datanodes whose heartbeats stopped dead, and queues every block
 * they held for re-replication. Returns how many were declared dead.
 */
export async function reapDeadDatanodes(ctx: OpContext, now: number): Promise<number> {
  const { datanodes } = ctx.dal;
  const cutoff = now - ctx.config.heartbeatExpiryMs;
  const expired = await ctx.runner.query('deadDatanodes', datanodes.findExpired(cutoff));
  for (const d of expired) {
    const [marked] = await ctx.runner.mutate('deadDatanodes', [datanodes.markDead(d.uuid, cutoff)]);
    if (marked) await ctx.runner.mutate('deadDatanodes', datanodes.forgetDead(d.uuid, now));
  }
  return expired.length;
}
