import { toDatanodeRow } from '../../dal/block-dal';
import { forgetDeadDatanode, markDatanodeDead, selectExpiredDatanodes } from '../../dal/datanode-dal';
import type { OpContext } from '../../ops/op-context';

/**
 * Declares datanodes whose heartbeats stopped dead, and queues every block
 * they held for re-replication. Returns how many were declared dead.
 */
export async function reapDeadDatanodes(ctx: OpContext, now: number): Promise<number> {
  const cutoff = now - ctx.config.heartbeatExpiryMs;
  const expired = (await ctx.runner.exec('deadDatanodes', selectExpiredDatanodes(cutoff))).map(toDatanodeRow);
  for (const d of expired) {
    const [marked] = await ctx.runner.execMany('deadDatanodes', [markDatanodeDead(d.uuid, cutoff)]);
    if (marked) await ctx.runner.execMany('deadDatanodes', forgetDeadDatanode(d.uuid, now));
  }
  return expired.length;
}
