import { selectLiveCapacity, selectQueueSizes } from '../dal/datanode-dal';
import type { FsStats } from '../domain/fs-stats';
import type { OpContext } from './op-context';

/** df: capacity and use summed over live datanodes; queue sizes from the block manager's rows. */
export async function fsStats(ctx: OpContext): Promise<FsStats> {
  const liveAfter = Date.now() - ctx.config.heartbeatExpiryMs;
  const [nodes = [], queues = []] = await ctx.runner.read('getFsStats', (r) =>
    r.queryMany([selectLiveCapacity(liveAfter), selectQueueSizes()]),
  );
  const n = nodes[0] ?? {};
  const q = queues[0] ?? {};
  return {
    liveDatanodes: Number(n['n'] ?? 0),
    capacity: Number(n['capacity'] ?? 0),
    used: Number(n['used'] ?? 0),
    remaining: Number(n['remaining'] ?? 0),
    underReplicated: Number(q['under_replicated'] ?? 0),
    corruptBlocks: 0,
    missingBlocks: 0,
    missingReplOneBlocks: 0,
    blocksInFuture: 0,
    pendingDeletionBlocks: Number(q['pending_deletion'] ?? 0),
  };
}
