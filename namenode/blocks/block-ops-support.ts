import { liveAfter as liveSince } from '../domain/datanode-info';
import { BlockState, type Block, type BlockRef, type Location } from '../domain/located-blocks';
import { isSharedStorage } from '../domain/storage';
import { ioError, NamesystemError } from '../errors';
import type { OpContext } from '../tx/op-context';
import { sleep } from '../tx/retry-policy';
import type { QueryRunner } from '../tx/tx-contexts';
import type { TargetRef } from '../tx/hinted-path';
import type { Query } from '../dal/query';
import { fileBlockQueries, type FileBlocks } from './file-blocks';
import { chooseTargets, type PlacementRequest } from './placement';
import { staleAvoidanceForWrite } from './stale-datanodes';
import type { ReplicaWatch } from '../tx/replica-waiters';

/** The oldest heartbeat of a live datanode, by this namenode's setting. */
export const liveAfter = (ctx: OpContext, now: number): number => liveSince(now, ctx.config.heartbeatExpiryMs);

/** The lock-phase reads of a write on one open file: its blocks, replicas and pipeline (see WriteOptions.reads). */
export const fileBlockReads =
  (ctx: OpContext) =>
  ([file]: readonly (TargetRef | undefined)[]): readonly Query<unknown>[] =>
    file ? fileBlockQueries(ctx.dal, file.id) : [];

export async function blockById(ctx: OpContext, blockId: number): Promise<Block | undefined> {
  return (await ctx.runner.query('blockById', ctx.dal.blocks.findByIdBatched([blockId])))[0];
}

/**
 * Finalized copies that can serve `b`: once its length is fixed (committed
 * or complete) only copies of exactly that length count — a copy finalized
 * shorter than the client committed (its last packets lost with a failing
 * downstream) cannot serve the committed length.
 */
export function finalizedCount(fb: FileBlocks, b: Block): number {
  return servingCopies(fb, b).length;
}

function servingCopies(fb: FileBlocks, b: Block): Location[] {
  const copies = fb.replicas.get(b.blockId) ?? [];
  if (b.state !== BlockState.Committed && b.state !== BlockState.Complete) return copies;
  return copies.filter((l) => fb.copyBytes.get(`${b.blockId}/${l.storageId}`) === b.numBytes);
}

/** dfs.namenode.replication.min copies, or one on shared storage (the store keeps it safe). */
export const hasMinReplicas = (ctx: OpContext, fb: FileBlocks, b: Block): boolean => {
  const copies = servingCopies(fb, b);
  return copies.length >= ctx.config.minReplication || copies.some((l) => isSharedStorage(l.storageType));
};

/** A zero-length block without any finalized copy holds nothing: safe to drop. */
export const isEmptyUnreported = (fb: FileBlocks, b: Block): boolean =>
  b.numBytes === 0 && b.state !== BlockState.Complete && finalizedCount(fb, b) === 0;

/** A committed block with enough finalized replicas is complete. */
export function settle(ctx: OpContext, fb: FileBlocks, b: Block): Block {
  if (b.state === BlockState.Committed && hasMinReplicas(ctx, fb, b)) return { ...b, state: BlockState.Complete };
  return b;
}

/** Places `count` replicas on live datanodes, stale ones last, or fails as HDFS does when there are too few. */
export async function placeReplicas(
  ctx: OpContext,
  db: QueryRunner,
  path: string,
  now: number,
  req: Omit<PlacementRequest, 'blockSize'> & { blockSize: number; required: number },
): Promise<Location[]> {
  const candidates = await db.run(db.dal.datanodes.findLiveStorages(liveAfter(ctx, now)));
  const chosen = chooseTargets(candidates, { ...req, avoidStale: staleAvoidanceForWrite(ctx.config, now) });
  if (chosen.length < req.required && !chosen.some((c) => isSharedStorage(c.storageType))) {
    const running = new Set(candidates.map((c) => c.datanode.uuid)).size;
    throw ioError(
      `File ${path} could only be written to ${chosen.length} of the ${req.required} minReplication nodes. There are ${running} datanode(s) running and ${req.exclude.size} node(s) are excluded in this operation.`,
    );
  }
  return chosen;
}

/**
 * The longest a complete's first try waits for its last block's first copy
 * (awaitPipelineCopies): the copy is nearly always on its way, and not
 * waiting costs a locking transaction that finds it missing, then the same
 * wait.
 */
const FIRST_COPY_WAIT_MS = 300;

/**
 * Before the first try of a complete naming `block` (the client's last
 * block, which needs its minimum copies; an addBlock needs those of the
 * block before its previous one, reported long before): when its copies
 * are reported to this namenode and not all are in yet, wait for them (the
 * first at most 300 ms, and replicaReportWaitMs; the others a moment more:
 * ReplicaWaiters.pipelineCopies), so the try neither finds the copies
 * missing and runs again nor closes the block short of copies and queues
 * it for the replication monitor. An empty block has no copy to wait for.
 */
export async function awaitPipelineCopies(ctx: OpContext, block: BlockRef | undefined): Promise<void> {
  if (!block || block.numBytes === 0) return;
  await ctx.replicaWaiters.pipelineCopies(block.blockId, ctx.blockOwners.pipeline(block.blockId), Math.min(ctx.config.replicaReportWaitMs, FIRST_COPY_WAIT_MS));
}

/**
 * Datanodes report finished replicas asynchronously, a moment after the
 * client saw its last ack. Rather than bounce the client (the Go client
 * does not retry complete), the namenode retries NotReplicatedYet (or a
 * complete answering false) for up to replicaReportWaitMs itself, then gives
 * HDFS's answer. An attempt that found copies missing names the file with
 * `watch` inside its transaction; the next try then runs as soon as this
 * namenode takes a report about the file (ReplicaWaiters), or another
 * namenode's notice of one arrives through Redis, or after
 * replicaReportPollMs (the report went to another namenode and no notice came). An attempt
 * that named no file (it failed before) backs off from 10 ms as before.
 */
export async function waitForReplicas<T>(
  ctx: OpContext,
  attempt: (watch: (inodeId: number) => void) => Promise<T>,
  stillWaiting: (r: T) => boolean,
): Promise<T> {
  const deadline = Date.now() + ctx.config.replicaReportWaitMs;
  let watch: ReplicaWatch | undefined;
  const watchFile = (inodeId: number): void => {
    watch ??= ctx.replicaWaiters.watch(inodeId);
  };
  try {
    for (let delay = 10; ; delay = Math.min(delay * 2, 200)) {
      try {
        const result = await attempt(watchFile);
        if (!stillWaiting(result) || Date.now() >= deadline) return result;
      } catch (e) {
        if (!(e instanceof NamesystemError && e.kind === 'NotReplicatedYet') || Date.now() >= deadline) throw e;
      }
      const left = Math.max(deadline - Date.now(), 0);
      if (watch) await watch.wait(Math.min(ctx.config.replicaReportPollMs, left));
      else {
        ctx.replicaWaiters.stats.backoffSleeps++;
        await sleep(Math.min(delay, left));
      }
    }
  } finally {
    (watch as ReplicaWatch | undefined)?.close();
  }
}
