import type { Location } from '../domain/located-blocks';
import type { ReadLock } from './cache-tokens';
import type { Mutation, Query } from './query';

/** replicas.state */
export enum ReplicaState {
  Finalized = 1,
  BeingWritten = 2,
  Corrupt = 3,
}

/** One copy of a block on one storage, as datanodes reported it. */
export interface ReplicaRow {
  readonly inodeId: number;
  readonly blockId: number;
  readonly storageId: string;
  readonly datanodeUuid: string;
  readonly genStamp: number;
  readonly numBytes: number;
  readonly state: ReplicaState;
}

/** A replica with the datanode and storage that hold it. */
export interface ReplicaLocation {
  readonly blockId: number;
  readonly genStamp: number;
  readonly numBytes: number;
  readonly state: ReplicaState;
  readonly location: Location;
}

/** A finalized copy's generation and length on one datanode (block recovery's evidence). */
export interface FinalizedCopy {
  readonly datanodeUuid: string;
  readonly genStamp: number;
  readonly numBytes: number;
}

/** A storage's replica with the current stamp of its block (undefined: the block is gone). */
export interface StoredReplica extends ReplicaRow {
  readonly blockGenStamp: number | undefined;
}

/** `replicas`: where each block lives, from block reports. */
export interface ReplicaRepository {
  /** Files' replicas joined with their datanodes: getBlockLocations' second read. */
  findLocationsByInodesBatched(inodeIds: readonly number[], lock?: ReadLock): Query<ReplicaLocation[]>;
  findByInodesBatched(inodeIds: readonly number[]): Query<ReplicaRow[]>;
  /** A full block report's one read: the storage's rows, each with its block's current stamp (by the datanode's index). */
  findByStorageWithBlockStamps(datanodeUuid: string, storageId: string): Query<StoredReplica[]>;
  findFinalizedOfBlock(inodeId: number, blockId: number, minGenStamp: number): Query<FinalizedCopy[]>;
  /** Many replicas in one statement (block reports). */
  upsertBatched(rows: readonly ReplicaRow[]): Mutation;
  deleteByPk(inodeId: number, blockId: number, storageId: string): Mutation;
  /** One storage's replicas of these blocks (a full report no longer lists them), by primary key. */
  deleteOfStorageBatched(storageId: string, blocks: readonly { readonly inodeId: number; readonly blockId: number }[]): Mutation;
  deleteByInodesBatched(inodeIds: readonly number[]): Mutation;
  /** concat: the replicas of a file's blocks follow the blocks to another file. */
  moveToInode(fromInodeId: number, toInodeId: number): Mutation;
  /** A reported-bad replica: by datanode, since a reader knows the node, not always the storage. */
  markCorrupt(inodeId: number, blockId: number, datanodeUuid: string): Mutation;
}
