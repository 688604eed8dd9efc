import type { FsStats } from '../domain/fs-stats';
import { liveAfter } from '../blocks/block-ops-support';
import type { OpContext } from '../tx/op-context';

/** df: capacity and use summed over live datanodes; queue sizes from the block manager's rows. */
export async function fsStats(ctx: OpContext): Promise<FsStats> {
  const { datanodes, replicationQueue } = ctx.dal;
  const [live, queues] = await ctx.runner.read('getFsStats', (r) =>
    r.runAll([datanodes.sumLiveCapacity(liveAfter(ctx, Date.now())), replicationQueue.countSizes()]),
  );
  return {
    liveDatanodes: live.datanodes,
    capacity: live.capacity,
    used: live.used,
    remaining: live.remaining,
    underReplicated: queues.underReplicated,
    corruptBlocks: 0,
    missingBlocks: 0,
    missingReplOneBlocks: 0,
    blocksInFuture: 0,
    pendingDeletionBlocks: queues.pendingDeletion,
  };
}
