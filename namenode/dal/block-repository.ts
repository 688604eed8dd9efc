import type { DatanodeState } from '../domain/datanode-info';
import type { Block } from '../domain/located-blocks';
import type { ReadLock } from './cache-tokens';
import type { Mutation, Query } from './query';
import type { ReplicaLocation } from './replica-repository';
import type { PipelineLocation } from './pipeline-repository';

/** One file's block rows with its replicas' and (when asked) its pipeline's locations. */
export interface FileBlockRowSet {
  readonly blocks: readonly Block[];
  readonly replicas: readonly ReplicaLocation[];
  readonly pipeline: readonly PipelineLocation[];
}

/** A reported block with what its finalized copy may have to confirm. */
export interface ReportedBlock extends Block {
  /** A transfer or recovery command names the block: a finalized copy may confirm it. */
  readonly commanded: boolean;
  /** The block is queued under-replicated: a finalized copy may settle it. */
  readonly queued: boolean;
}

/** What a replica report reads of its blocks and datanodes (findReportedBatched). */
export interface ReportedBlockRows {
  readonly blocks: readonly ReportedBlock[];
  /** Blocks snapshots keep after a truncate (block_versions), complete at the snapshot's length. */
  readonly kept: readonly ReportedBlock[];
  /** The reporting datanodes' states; one without a row is not registered. */
  readonly registrations: ReadonlyMap<string, DatanodeState>;
}

/** `blocks`, keyed by inode first (one partition per file). */
export interface BlockRepository {
  findByInode(inodeId: number): Query<Block[]>;
  /**
   * A file's blocks by index, its replicas' locations, and its pipeline's
   * (by block, then position) when `withPipeline`, in one statement:
   * findByInode, replicas.findLocationsByInodesBatched and
   * pipelines.findLocationsByInodesBatched of one file.
   */
  findFileRowSet(inodeId: number, withPipeline: boolean): Query<FileBlockRowSet>;
  /** Several files' blocks (coalesced getBlockLocations), by file then index. */
  findByInodesBatched(inodeIds: readonly number[], lock?: ReadLock): Query<Block[]>;
  findByIdBatched(blockIds: readonly number[]): Query<Block[]>;
  /** A replica report's read in one statement: the blocks (and kept versions) by id, and the reporting datanodes' states. */
  findReportedBatched(blockIds: readonly number[], datanodeUuids: readonly string[]): Query<ReportedBlockRows>;
  insert(b: Block): Mutation;
  /** Bulk loading (benchmarks): many rows in one statement. */
  insertBatched(rows: readonly Block[]): Mutation;
  updateByPk(b: Block): Mutation;
  deleteByPk(b: Pick<Block, 'inodeId' | 'index'>): Mutation;
  deleteByInodesBatched(inodeIds: readonly number[]): Mutation;
  /** concat: a file's blocks become another's, their indexes shifted past the blocks it has. */
  moveToInode(fromInodeId: number, toInodeId: number, indexOffset: number): Mutation;
}
