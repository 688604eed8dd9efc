import type { DatanodeInfo, HeartbeatStats } from '../domain/datanode-info';
import type { Location } from '../domain/located-blocks';
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
  /** Registration: a known uuid is refreshed and brought back to Normal. */
  upsert(d: DatanodeInfo, now: number): Mutation;
  /** Heartbeats of many datanodes in one statement; only those not declared dead are refreshed. */
  updateHeartbeatsBatched(beats: readonly { readonly uuid: string; readonly stats: HeartbeatStats }[], now: number): Mutation;
  upsertStoragesBatched(rows: readonly StorageRow[], now: number): Mutation;
  /** Live datanodes in Normal state with their storages: the candidates for block placement. */
  findLiveStorages(heartbeatAfter: number): Query<Candidate[]>;
  findAll(): Query<DatanodeInfo[]>;
  findByPk(uuid: string): Query<DatanodeInfo | undefined>;
  findByPkBatched(uuids: readonly string[]): Query<DatanodeInfo[]>;
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
}
