import { selectBlocksByIdBatched, toBlockRow } from '../dal/block-dal';
import { BlockState, type BlockRow, type Location } from '../dal/block-row';
import { selectLiveDatanodeStorages } from '../dal/datanode-dal';
import { ioError, NamesystemError } from '../errors';
import type { OpContext } from '../ops/op-context';
import { sleep } from '../tx/retry-policy';
import type { SqlRow, SqlStatement } from '../dal/sql-session';
import type { FileBlocks } from './file-blocks';
import { chooseTargets, toCandidate, type PlacementRequest } from './placement';

/** The block a client names, as the client names it (ExtendedBlockProto). */
export interface ClientBlock {
  readonly blockId: number;
  readonly genStamp: number;
  readonly numBytes: number;
}

export const liveAfter = (ctx: OpContext, now: number): number => now - ctx.config.heartbeatExpiryMs;

export async function blockById(ctx: OpContext, blockId: number): Promise<BlockRow | undefined> {
  const row = (await ctx.runner.exec('blockById', selectBlocksByIdBatched([blockId])))[0];
  return row ? toBlockRow(row) : undefined;
}

/**
 * Finalized copies that can serve `b`: once its length is fixed (committed
 * or complete) only copies of exactly that length count — a copy finalized
 * shorter than the client committed (its last packets lost with a failing
 * downstream) cannot serve the committed length.
 */
export function finalizedCount(fb: FileBlocks, b: BlockRow): number {
  const copies = fb.replicas.get(b.blockId) ?? [];
  if (b.state !== BlockState.Committed && b.state !== BlockState.Complete) return copies.length;
  return copies.filter((l) => fb.copyBytes.get(`${b.blockId}/${l.storageId}`) === b.numBytes).length;
}

/** A zero-length block without any finalized copy holds nothing: safe to drop. */
export const isEmptyUnreported = (fb: FileBlocks, b: BlockRow): boolean =>
  b.numBytes === 0 && b.state !== BlockState.Complete && finalizedCount(fb, b) === 0;

/** A committed block with enough finalized replicas is complete. */
export function settle(ctx: OpContext, fb: FileBlocks, b: BlockRow): BlockRow {
  if (b.state === BlockState.Committed && finalizedCount(fb, b) >= ctx.config.minReplication) return { ...b, state: BlockState.Complete };
  return b;
}

/** Places `count` replicas on live datanodes, or fails as HDFS does when there are too few. */
export async function placeReplicas(
  ctx: OpContext,
  query: (s: SqlStatement) => Promise<SqlRow[]>,
  path: string,
  now: number,
  req: Omit<PlacementRequest, 'blockSize'> & { blockSize: number; required: number },
): Promise<Location[]> {
  const candidates = (await query(selectLiveDatanodeStorages(liveAfter(ctx, now)))).map(toCandidate);
  const chosen = chooseTargets(candidates, req);
  if (chosen.length < req.required) {
    const running = new Set(candidates.map((c) => c.datanode.uuid)).size;
    throw ioError(
      `File ${path} could only be written to ${chosen.length} of the ${req.required} minReplication nodes. There are ${running} datanode(s) running and ${req.exclude.size} node(s) are excluded in this operation.`,
    );
  }
  return chosen;
}

/**
 * Datanodes report finished replicas asynchronously, a moment after the
 * client saw its last ack. Rather than bounce the client (the Go client
 * does not retry complete), the namenode retries NotReplicatedYet for up to
 * replicaReportWaitMs itself.
 */
export async function waitForReplicas<T>(ctx: OpContext, attempt: () => Promise<T>, stillWaiting: (r: T) => boolean): Promise<T> {
  const deadline = Date.now() + ctx.config.replicaReportWaitMs;
  for (let delay = 10; ; delay = Math.min(delay * 2, 200)) {
    try {
      const result = await attempt();
      if (!stillWaiting(result) || Date.now() >= deadline) return result;
    } catch (e) {
      if (!(e instanceof NamesystemError && e.kind === 'NotReplicatedYet') || Date.now() >= deadline) throw e;
    }
    await sleep(delay);
  }
}
