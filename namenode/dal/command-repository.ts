import type { Mutation, Query } from './query';

/**
 * Transfer: replicate to `targets`; Invalidate: delete; Recover: finalize an
 * unfinished replica at a new generation stamp; RecoverTruncate: cut a
 * replica to `numBytes` at a new generation stamp.
 */
export enum CommandKind {
  Transfer = 1,
  Invalidate = 2,
  Recover = 3,
  RecoverTruncate = 4,
}

/** Work queued for one datanode, handed out with its next heartbeat. */
export interface CommandRow {
  readonly datanodeUuid: string;
  readonly blockId: number;
  readonly kind: CommandKind;
  readonly genStamp: number;
  readonly numBytes: number;
  /** Datanode uuids (transfer targets, or the holders of a block under recovery). */
  readonly targets: readonly string[];
}

/** `datanode_commands`. */
export interface CommandRepository {
  /** A second command of one kind for one block replaces the first. */
  insert(c: CommandRow, now: number): Mutation;
  /** The oldest commands of one datanode, locked so one heartbeat takes each once. */
  findByDatanodeForUpdate(uuid: string, limit: number): Query<CommandRow[]>;
  deleteByPkBatched(uuid: string, keys: readonly Pick<CommandRow, 'blockId' | 'kind'>[]): Mutation;
}
