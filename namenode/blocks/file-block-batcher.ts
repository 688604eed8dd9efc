import type { ReadLock } from '../dal/cache-tokens';
import type { DbSession } from '../dal/db-session';
import type { PipelineLocation } from '../dal/pipeline-repository';
import type { ReplicaLocation } from '../dal/replica-repository';
import type { Block } from '../domain/located-blocks';
import type { Repositories } from '../dal/repositories';
import { TickBatcher } from '../tx/tick-batcher';
import type { FileBlockRows, FileBlocksRequest } from '../tx/batched-reads';


const keyOf = (r: FileBlocksRequest): string => `${r.inodeId}/${r.withPipeline ? 'p' : ''}`;

/**
 * getBlockLocations' reads coalesced across concurrent calls, as fileStatus
 * lookups are: the blocks and replicas (and pipelines of open files) of
 * every file asked for in one tick, in one round trip of one statement per
 * table. Each file gets its blocks and the replicas and pipeline targets
 * of those blocks (block ids are unique), as loadFileBlocks reads them.
 * With `lock` 'shared', the reads a coherent cache installs from (cached-file-blocks.ts).
 */
export function fileBlockBatcher(db: DbSession, dal: Repositories, lock: ReadLock = 'none'): TickBatcher<FileBlocksRequest, FileBlockRows> {
  return new TickBatcher(async (requests) => {
    const ids = [...new Set(requests.map((r) => r.inodeId))];
    const piped = [...new Set(requests.filter((r) => r.withPipeline).map((r) => r.inodeId))];
    const [blocks, replicas, pipeline = []] = await db.runAll([
      dal.blocks.findByInodesBatched(ids, lock),
      dal.replicas.findLocationsByInodesBatched(ids, lock),
      ...(piped.length > 0 ? [dal.pipelines.findLocationsByInodesBatched(piped)] : []),
    ] as const);
    const rowsOf = new Map<number, { blocks: Block[]; replicas: ReplicaLocation[]; pipeline: PipelineLocation[] }>(ids.map((id) => [id, { blocks: [], replicas: [], pipeline: [] }]));
    const fileOf = new Map<number, number>();
    for (const b of blocks) {
      rowsOf.get(b.inodeId)?.blocks.push(b);
      fileOf.set(b.blockId, b.inodeId);
    }
    for (const r of replicas) rowsOf.get(fileOf.get(r.blockId) ?? -1)?.replicas.push(r);
    for (const p of pipeline) rowsOf.get(fileOf.get(p.blockId) ?? -1)?.pipeline.push(p);
    const none: FileBlockRows = { blocks: [], replicas: [], pipeline: [] };
    return new Map(
      requests.map((r) => {
        const rows = rowsOf.get(r.inodeId) ?? none;
        return [keyOf(r), r.withPipeline ? rows : { ...rows, pipeline: [] }];
      }),
    );
  }, keyOf);
}
