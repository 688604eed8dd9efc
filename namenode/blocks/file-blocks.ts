import type { InodeRow } from '../dal/inode-row';
import type { Repositories } from '../dal/repositories';
import { ReplicaState } from '../dal/replica-repository';
import { isLive } from '../domain/datanode-info';
import { BlockState, type Block, type LocatedBlock, type LocatedBlocks, type Location } from '../domain/located-blocks';
import type { QueryRunner } from '../tx/tx-contexts';
import type { FileBlockRows } from '../tx/batched-reads';

export type { FileBlockRows } from '../tx/batched-reads';

/** A file's blocks with where their replicas are, read in one round trip. */
export interface FileBlocks {
  readonly blocks: readonly Block[];
  /** Finalized replicas of the right generation on live datanodes, by block id. */
  readonly replicas: ReadonlyMap<number, Location[]>;
  /** Expected locations (the pipeline) of blocks under construction, by block id. */
  readonly pipeline: ReadonlyMap<number, Location[]>;
  /** Corrupt replicas, by block id. */
  readonly corrupt: ReadonlyMap<number, Location[]>;
  /** The length of each finalized copy, by `blockId/storageId`. */
  readonly copyBytes: ReadonlyMap<string, number>;
}


/**
 * The read behind `loadFileBlocks` (one statement), for a write to declare
 * in its lock phase. Only files open for writing have pipelines: a closed
 * file's reader leaves them out.
 */
export const fileBlockQueries = (dal: Repositories, inodeId: number, withPipeline = true) => [dal.blocks.findFileRowSet(inodeId, withPipeline)] as const;

/** Reads a file's blocks, replicas and pipeline in one statement. */
export async function loadFileBlocks(db: QueryRunner, inodeId: number, heartbeatAfter: number, withPipeline = true): Promise<FileBlocks> {
  return assembleFileBlocks(await db.run(db.dal.blocks.findFileRowSet(inodeId, withPipeline)), heartbeatAfter);
}

const NO_BLOCKS: FileBlocks = { blocks: [], replicas: new Map(), pipeline: new Map(), corrupt: new Map(), copyBytes: new Map() };

/**
 * The replica state machine's verdict on each copy: a copy is bad when it
 * is older than the block, or — once the block's length is fixed
 * (committed or complete) — of another length (a recovery cut the block
 * shorter); a copy still being written of a complete block will never
 * finish (its writer is gone). Copies on datanodes that are not live are
 * left out.
 */
export function assembleFileBlocks(rows: FileBlockRows, heartbeatAfter: number): FileBlocks {
  // A file without blocks (an empty file, one just created): nothing to assemble, one shared answer.
  if (rows.blocks.length === 0 && rows.replicas.length === 0 && rows.pipeline.length === 0) return NO_BLOCKS;
  const byId = new Map(rows.blocks.map((b) => [b.blockId, b]));
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
  for (const r of rows.replicas) {
    if (!isLive(r.location.datanode, heartbeatAfter)) continue;
    const finalized = r.state === ReplicaState.Finalized;
    const bad = r.state === ReplicaState.Corrupt || isBad(r.blockId, r.genStamp, r.numBytes, finalized);
    const target = bad ? corrupt : finalized ? replicas : undefined;
    if (!target) continue;
    if (target === replicas) copyBytes.set(`${r.blockId}/${r.location.storageId}`, r.numBytes);
    const list = target.get(r.blockId) ?? [];
    list.push(r.location);
    target.set(r.blockId, list);
  }
  const pipeline = new Map<number, Location[]>();
  for (const p of rows.pipeline) {
    const list = pipeline.get(p.blockId) ?? [];
    list.push(p.location);
    pipeline.set(p.blockId, list);
  }
  return { blocks: rows.blocks, replicas, pipeline, corrupt, copyBytes };
}

/** Where a block can be read: finalized replicas, else its pipeline, else (all corrupt) the corrupt ones. */
export function locate(fb: FileBlocks, block: Block, offset: number): LocatedBlock {
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
