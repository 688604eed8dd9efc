import type { NamenodeMember } from '../domain/fleet-status';
import type { Mutation, Query } from './query';

export interface LiveNamenode {
  readonly id: number;
  readonly rpcAddress: string;
  readonly httpAddress: string;
}

/** `namenodes`: the fleet's membership and leader election, on the database's clock. */
export interface NamenodeRepository {
  /** A new namenode id (a counter row made on first use). */
  reserveId(): Query<number>;
  /**
   * One election round in one round trip: heartbeat `id`'s row, reap rows
   * silent for `deadMs`, and answer the namenodes live within `aliveMs`,
   * lowest id first.
   */
  heartbeat(id: number, rpcAddress: string, httpAddress: string, deadMs: number, aliveMs: number): Query<LiveNamenode[]>;
  findLive(aliveMs: number): Query<LiveNamenode[]>;
  /** The live namenodes with their uptime and heartbeat age on the database's clock, lowest id (the leader) first. */
  findLiveMembers(aliveMs: number): Query<NamenodeMember[]>;
  deleteByPk(id: number): Mutation;
}
