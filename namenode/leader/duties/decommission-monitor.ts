import { DatanodeState } from '../../domain/datanode-info';
import type { OpContext } from '../../tx/op-context';
import { liveAfter } from '../../blocks/block-ops-support';

/**
 * HDFS's DatanodeAdminMonitor: a decommissioning datanode becomes
 * Decommissioned once every block it holds has enough good copies on
 * live in-service datanodes (its file's replication, or every in-service
 * datanode when there are fewer, never none). Answers how many finished.
 */
export async function checkDecommissioning(ctx: OpContext, now: number): Promise<number> {
  const { datanodes } = ctx.dal;
  const all = await ctx.runner.query('decommissionMonitor', datanodes.findAll());
  const retiring = all.filter((d) => d.state === DatanodeState.Decommissioning);
  if (retiring.length === 0) return 0;
  const heartbeatAfter = liveAfter(ctx, now);
  const inService = all.filter((d) => d.state === DatanodeState.Normal && d.lastHeartbeat > heartbeatAfter).length;
  let done = 0;
  for (const d of retiring) {
    const short = await ctx.runner.query('decommissionMonitor', datanodes.countBlocksShortElsewhere(d.uuid, heartbeatAfter, Math.max(1, inService)));
    if (short > 0) continue;
    const [changed] = await ctx.runner.mutate('decommissionMonitor', [datanodes.setStateByPk(d.uuid, [DatanodeState.Decommissioning], DatanodeState.Decommissioned)]);
    done += changed ?? 0;
  }
  return done;
}
