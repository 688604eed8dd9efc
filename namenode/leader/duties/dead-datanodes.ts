import { declareDead } from '../../blocks/declare-dead';
import type { OpContext } from '../../tx/op-context';

/**
 * Declares datanodes whose heartbeats stopped dead, and queues every block
 * they held for re-replication (`declareDead`: one transaction each, so no
 * half-reaped node is ever seen). Returns how many were declared dead.
 */
export async function reapDeadDatanodes(ctx: OpContext, now: number): Promise<number> {
  const cutoff = now - ctx.config.heartbeatExpiryMs;
  const expired = await ctx.runner.query('deadDatanodes', ctx.dal.datanodes.findExpired(cutoff));
  let dead = 0;
  for (const d of expired) if (await declareDead(ctx, 'deadDatanodes', d.uuid, cutoff)) dead++;
  return dead;
}
