import type { DatanodeInfo, DatanodeState, HeartbeatStats } from '../domain/datanode-info';
import type { Location } from '../domain/located-blocks';
import type { ReadLock } from './cache-tokens';
import type { Mutation, Query } from './query';

export interface StorageRow {
  readonly storageId: string;
  readonly datanodeUuid: string;
  readonly storageType: number;
  readonly capacity: number;
  readonly dfsUsed: number;
  readonly remaining: number;
}

/** A storage that could take a new replica: placement's input. */
export interface Candidate extends Location {
  readonly storageRemaining: number;
}

/** Capacity summed over live datanodes (df). */
export interface LiveCapacity {
  readonly datanodes: number;
  readonly capacity: number;
  readonly used: number;
  readonly remaining: number;
}

/** `datanodes` and `storages`: descriptors, heartbeats, storage reports. */
export interface DatanodeRepository {
  /** Registration: a known uuid is refreshed and brought back to Normal, unless an operator decommissions it (Decommissioning and Decommissioned stay). */
  upsert(d: DatanodeInfo, now: number): Mutation;
  /** Heartbeats of many datanodes in one statement; only those not declared dead are refreshed. */
  updateHeartbeatsBatched(beats: readonly { readonly uuid: string; readonly stats: HeartbeatStats }[], now: number): Mutation;
  upsertStoragesBatched(rows: readonly StorageRow[], now: number): Mutation;
  /** Live datanodes in Normal state with their storages: the candidates for block placement. */
  findLiveStorages(heartbeatAfter: number): Query<Candidate[]>;
  findAll(): Query<DatanodeInfo[]>;
  findByPk(uuid: string): Query<DatanodeInfo | undefined>;
  findByPkBatched(uuids: readonly string[], lock?: ReadLock): Query<DatanodeInfo[]>;
  /** One storage per datanode, for handing out targets of commands. */
  findStoragesByUuidBatched(uuids: readonly string[]): Query<Location[]>;
  /** Datanodes not yet declared dead whose heartbeats stopped. */
  findExpired(heartbeatBefore: number): Query<DatanodeInfo[]>;
  /** Locks the datanode's row if it is still silent since before `heartbeatBefore` and not yet dead: a heartbeat then waits for the reaper. */
  lockExpiredByPk(uuid: string, heartbeatBefore: number): Query<boolean>;
  markDead(uuid: string, heartbeatBefore: number): Mutation;
  /** Every block a dead datanode held goes to the under-replication queue, then its replicas and work are dropped. */
  forgetDead(uuid: string, now: number): Mutation[];
  sumLiveCapacity(heartbeatAfter: number): Query<LiveCapacity>;
  /** The row, locked for an administrative change of its state. */
  lockByPk(uuid: string): Query<DatanodeInfo | undefined>;
  /** Moves the datanode to `to` if its state is one of `from`. */
  setStateByPk(uuid: string, from: readonly DatanodeState[], to: DatanodeState): Mutation;
  /** Every block the datanode holds goes to the under-replication queue (its copies stay). */
  queueReplicasOf(uuid: string, now: number): Mutation;
  /**
   * Blocks the datanode holds that have fewer good copies (finalized, of
   * the block's generation and length) on other in-service datanodes than
   * their file's replication, or than `atMost` when fewer datanodes serve:
   * 0 means it can leave without any block losing a copy.
   */
  countBlocksShortElsewhere(uuid: string, heartbeatAfter: number, atMost: number): Query<number>;
}
