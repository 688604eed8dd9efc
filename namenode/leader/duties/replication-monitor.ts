import { selectBlocksByIdBatched, toBlockRow } from '../../dal/block-dal';
import { BlockState } from '../../dal/block-row';
import { COMMAND_KIND, deleteUnderReplicated, insertCommand, markUnderReplicatedScheduled, selectUnderReplicated } from '../../dal/datanode-dal';
import { selectByIdBatched, toInodeRow } from '../../dal/inode-dal';
import type { SqlStatement } from '../../dal/sql-session';
import type { OpContext } from '../../ops/op-context';
import { liveAfter } from '../../blocks/block-ops-support';
import { loadFileBlocks, type FileBlocks } from '../../blocks/file-blocks';
import type { InodeRow } from '../../dal/inode-row';
import { chooseTargets, toCandidate } from '../../blocks/placement';
import { selectLiveDatanodeStorages } from '../../dal/datanode-dal';

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
  const queued = await ctx.runner.exec('replicationMonitor', selectUnderReplicated(BATCH, now - rescheduleMs, now - graceMs));
  if (queued.length === 0) return 0;
  const candidates = (await ctx.runner.exec('replicationMonitor', selectLiveDatanodeStorages(liveAfter(ctx, now)))).map(toCandidate);
  const blocks = new Map((await ctx.runner.exec('replicationMonitor', selectBlocksByIdBatched(queued.map((q) => Number(q['block_id']))))).map(toBlockRow).map((b) => [b.blockId, b]));
  const files = new Map(
    (await ctx.runner.exec('replicationMonitor', selectByIdBatched([...new Set(queued.map((q) => Number(q['inode_id'])))], 'none'))).map(toInodeRow).map((f) => [f.id, f]),
  );
  let scheduled = 0;
  const statements: SqlStatement[] = [];
  // One load per file, however many of its blocks are queued (a closed file queues them all).
  const loaded = new Map<number, Promise<FileBlocks>>();
  const blocksOf = (file: InodeRow) => {
    let fb = loaded.get(file.id);
    if (!fb) {
      fb = loadFileBlocks(ctx.runner.queryManyAutocommit, file.id, liveAfter(ctx, now), file.ucClient !== null);
      loaded.set(file.id, fb);
    }
    return fb;
  };
  for (const q of queued) {
    const blockId = Number(q['block_id']);
    const block = blocks.get(blockId);
    const file = block ? files.get(block.inodeId) : undefined;
    if (!block || !file || block.state === BlockState.UnderConstruction || block.state === BlockState.UnderRecovery) {
      statements.push(deleteUnderReplicated(blockId));
      continue;
    }
    const fb = await blocksOf(file);
    const good = fb.replicas.get(blockId) ?? [];
    const corrupt = fb.corrupt.get(blockId) ?? [];
    const want = file.replication;
    if (good.length >= want || (good.length > 0 && good.length >= candidates.length)) {
      const invalid = good.length >= want ? [...corrupt, ...good.slice(want)] : corrupt;
      for (const bad of invalid) {
        statements.push(insertCommand({ datanodeUuid: bad.datanode.uuid, blockId, kind: COMMAND_KIND.Invalidate, genStamp: block.genStamp, numBytes: block.numBytes, targets: '' }, now));
      }
      statements.push(deleteUnderReplicated(blockId));
      continue;
    }
    const source = good[Math.floor(Math.random() * good.length)];
    if (!source) continue; // no live copy: missing until a datanode comes back with one
    const holders = new Set([...good, ...corrupt].map((l) => l.datanode.uuid));
    const targets = chooseTargets(candidates, { count: want - good.length, blockSize: block.numBytes, exclude: holders, favored: [] });
    if (targets.length === 0) {
      // Every other datanode holds a bad copy: drop those (a good one remains) so they can take a new one.
      for (const bad of corrupt) {
        statements.push(insertCommand({ datanodeUuid: bad.datanode.uuid, blockId, kind: COMMAND_KIND.Invalidate, genStamp: block.genStamp, numBytes: block.numBytes, targets: '' }, now));
      }
      continue;
    }
    statements.push(
      insertCommand({ datanodeUuid: source.datanode.uuid, blockId, kind: COMMAND_KIND.Transfer, genStamp: block.genStamp, numBytes: block.numBytes, targets: targets.map((t) => t.datanode.uuid).join(',') }, now),
      markUnderReplicatedScheduled(blockId, now),
    );
    scheduled++;
  }
  await ctx.runner.execMany('replicationMonitor', statements);
  return scheduled;
}
