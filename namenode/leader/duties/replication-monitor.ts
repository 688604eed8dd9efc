import { CommandKind } from '../../dal/command-repository';
import type { InodeRow } from '../../dal/inode-row';
import type { Mutation } from '../../dal/query';
import type { Block, Location } from '../../domain/located-blocks';
import type { OpContext } from '../../tx/op-context';
import { liveAfter } from '../../blocks/block-ops-support';
import { loadFileBlocks, type FileBlocks } from '../../blocks/file-blocks';
import { decideReplication } from '../../blocks/replication-decision';
import { staleAvoidanceForWrite } from '../../blocks/stale-datanodes';

const BATCH = 500;

/**
 * Works the under-replication queue: for each queued block, compares its
 * live good replicas with its file's replication; schedules a transfer from
 * a live replica to new datanodes when short, invalidates corrupt copies
 * once enough good ones exist and excess copies beyond the replication,
 * and drops the entry when the block is whole. A transfer not confirmed by
 * a replica report within `rescheduleMs` is scheduled again.
 */
export async function scheduleReplication(ctx: OpContext, now: number, rescheduleMs: number): Promise<number> {
  // Copies of a block just closed are still being reported for a moment: leave fresh entries alone.
  const graceMs = 2 * ctx.config.heartbeatIntervalMs;
  const { replicationQueue, datanodes, blocks: blockRows, inodes, commands } = ctx.dal;
  const queued = await ctx.runner.query('replicationMonitor', replicationQueue.findDue(BATCH, now - rescheduleMs, now - graceMs));
  if (queued.length === 0) return 0;
  const [candidates, queuedBlocks, queuedFiles] = await ctx.runner.queryAll('replicationMonitor', [
    datanodes.findLiveStorages(liveAfter(ctx, now)),
    blockRows.findByIdBatched(queued.map((q) => q.blockId)),
    inodes.findByIdBatched([...new Set(queued.map((q) => q.inodeId))], 'none'),
  ]);
  const blocks = new Map(queuedBlocks.map((b) => [b.blockId, b]));
  const avoidStale = staleAvoidanceForWrite(ctx.config, now);
  const files = new Map(queuedFiles.map((f) => [f.id, f]));
  let scheduled = 0;
  const statements: Mutation[] = [];
  const invalidate = (bad: Location, block: Block) =>
    commands.insert({ datanodeUuid: bad.datanode.uuid, blockId: block.blockId, kind: CommandKind.Invalidate, genStamp: block.genStamp, numBytes: block.numBytes, targets: [] }, now);
  // One load per file, however many of its blocks are queued (a closed file queues them all).
  const loaded = new Map<number, Promise<FileBlocks>>();
  const blocksOf = (file: InodeRow) => {
    let fb = loaded.get(file.id);
    if (!fb) {
      fb = loadFileBlocks(ctx.runner.autocommitReads('replicationMonitor'), file.id, liveAfter(ctx, now), file.ucClient !== null);
      loaded.set(file.id, fb);
    }
    return fb;
  };
  for (const { blockId } of queued) {
    const block = blocks.get(blockId);
    const file = block ? files.get(block.inodeId) : undefined;
    if (!block || !file) {
      statements.push(replicationQueue.remove(blockId));
      continue;
    }
    const decision = decideReplication(block, await blocksOf(file), file.replication, candidates, Math.random, avoidStale);
    switch (decision.kind) {
      case 'forget':
        statements.push(replicationQueue.remove(blockId));
        break;
      case 'whole':
        statements.push(...decision.invalidate.flatMap((bad) => invalidate(bad, block)), replicationQueue.remove(blockId));
        break;
      case 'clear':
        statements.push(...decision.invalidate.flatMap((bad) => invalidate(bad, block)));
        break;
      case 'missing':
        break;
      case 'transfer': {
        const { genStamp, numBytes } = block;
        statements.push(
          ...commands.insert({ datanodeUuid: decision.source.datanode.uuid, blockId, kind: CommandKind.Transfer, genStamp, numBytes, targets: decision.targets.map((t) => t.datanode.uuid) }, now),
          replicationQueue.markScheduled(blockId, now),
        );
        scheduled++;
      }
    }
  }
  await ctx.runner.mutate('replicationMonitor', statements);
  return scheduled;
}
