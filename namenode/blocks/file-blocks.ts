import { selectBlocksByInode, selectPipelineLocationsByInode, selectReplicaLocationsByInode, toBlockRow, toDatanodeRow } from '../dal/block-dal';
import { BlockState, ReplicaState, type BlockRow, type LocatedBlock, type LocatedBlocks, type Location } from '../dal/block-row';
import type { InodeRow } from '../dal/inode-row';
import type { SqlRow, SqlStatement } from '../dal/sql-session';

/** A file's blocks with where their replicas are, read in one round trip. */
export interface FileBlocks {
  readonly blocks: readonly BlockRow[];
  /** Finalized replicas of the right generation on live datanodes, by block id. */
  readonly replicas: ReadonlyMap<number, Location[]>;
  /** Expected locations (the pipeline) of blocks under construction, by block id. */
  readonly pipeline: ReadonlyMap<number, Location[]>;
  /** Corrupt replicas, by block id. */
  readonly corrupt: ReadonlyMap<number, Location[]>;
  /** The length of each finalized copy, by `blockId/storageId`. */
  readonly copyBytes: ReadonlyMap<string, number>;
}

export async function loadFileBlocks(
  queryMany: (s: readonly SqlStatement[]) => Promise<SqlRow[][]>,
  inodeId: number,
  liveAfter: number,
  /** Only files open for writing have pipelines: a closed file's reader skips that query. */
  withPipeline = true,
): Promise<FileBlocks> {
  const [blockRows = [], replicaRows = [], pipelineRows = []] = await queryMany([
    selectBlocksByInode(inodeId),
    selectReplicaLocationsByInode(inodeId),
    ...(withPipeline ? [selectPipelineLocationsByInode(inodeId)] : []),
  ]);
  const blocks = blockRows.map(toBlockRow);
  const byId = new Map(blocks.map((b) => [b.blockId, b]));
  // A copy is bad when it is older than the block, or — once the block's length is fixed
  // (committed or complete) — of another length: a recovery cut the block shorter.
  // A copy still being written of a complete block will never finish (its writer is gone).
  const isBad = (blockId: number, gs: number, bytes: number, finalized: boolean): boolean => {
    const b = byId.get(blockId);
    if (!b) return false;
    if (gs < b.genStamp) return true;
    if (!finalized) return b.state === BlockState.Complete;
    return (b.state === BlockState.Complete || b.state === BlockState.Committed) && bytes !== b.numBytes;
  };
  const replicas = new Map<number, Location[]>();
  const corrupt = new Map<number, Location[]>();
  const copyBytes = new Map<string, number>();
  for (const r of replicaRows) {
    const location = toLocation(r);
    if (location.datanode.state === 3 || location.datanode.lastHeartbeat <= liveAfter) continue;
    const blockId = Number(r['block_id']);
    const state = Number(r['replica_state']);
    const bad = state === ReplicaState.Corrupt || isBad(blockId, Number(r['replica_gs']), Number(r['replica_bytes']), state === ReplicaState.Finalized);
    const target = bad ? corrupt : state === ReplicaState.Finalized ? replicas : undefined;
    if (target === replicas) copyBytes.set(`${blockId}/${location.storageId}`, Number(r['replica_bytes']));
    if (!target) continue;
    const list = target.get(blockId) ?? [];
    list.push(location);
    target.set(blockId, list);
  }
  const pipeline = new Map<number, Location[]>();
  for (const r of pipelineRows) {
    const blockId = Number(r['block_id']);
    const list = pipeline.get(blockId) ?? [];
    list.push(toLocation(r));
    pipeline.set(blockId, list);
  }
  return { blocks, replicas, pipeline, corrupt, copyBytes };
}

const toLocation = (r: SqlRow): Location => ({
  datanode: toDatanodeRow(r),
  storageId: String(r['storage_id']),
  storageType: Number(r['storage_type'] ?? 1),
});

/** Where a block can be read: finalized replicas, else its pipeline, else (all corrupt) the corrupt ones. */
export function locate(fb: FileBlocks, block: BlockRow, offset: number): LocatedBlock {
  const finalized = fb.replicas.get(block.blockId) ?? [];
  if (block.state === BlockState.UnderConstruction || block.state === BlockState.UnderRecovery || (finalized.length === 0 && block.state === BlockState.Committed)) {
    return { block, offset, locations: finalized.length > 0 ? finalized : fb.pipeline.get(block.blockId) ?? [], corrupt: false };
  }
  if (finalized.length > 0) return { block, offset, locations: finalized, corrupt: false };
  const bad = fb.corrupt.get(block.blockId) ?? [];
  return { block, offset, locations: bad, corrupt: bad.length > 0 };
}

/**
 * HDFS's getBlockLocations answer: the blocks overlapping [offset,
 * offset+length), the file length (complete blocks only while the file is
 * being written: the client asks a datanode for the visible length of the
 * last one), and the last block on its own.
 */
export function locatedBlocks(file: InodeRow, fb: FileBlocks, offset: number, length: number): LocatedBlocks {
  const underConstruction = file.ucClient !== null;
  const last = fb.blocks[fb.blocks.length - 1];
  const lastComplete = !last || last.state === BlockState.Complete || last.state === BlockState.Committed;
  const fileLength = fb.blocks.reduce((n, b) => n + (b === last && underConstruction && !lastComplete ? 0 : b.numBytes), 0);
  const located: LocatedBlock[] = [];
  let pos = 0;
  let lastLocated: LocatedBlock | undefined;
  for (const b of fb.blocks) {
    const lb = locate(fb, b, pos);
    const end = pos + b.numBytes;
    if (end > offset && pos < offset + length) located.push(lb);
    else if (b.numBytes === 0 && pos >= offset && pos <= offset + length) located.push(lb);
    if (b === last) lastLocated = lb;
    pos = end;
  }
  return { fileLength, blocks: located, underConstruction, lastBlock: lastLocated, isLastBlockComplete: !underConstruction || lastComplete };
}
