import type { Mutation, Query } from './query';

/**
 * Transfer: replicate to `targets`; Invalidate: delete; Recover: finalize an
 * unfinished replica at a new generation stamp; RecoverTruncate: cut a
 * replica to `numBytes` at a new generation stamp; CopyTruncate: HDFS's
 * copy-on-truncate, the first `numBytes` of the block a snapshot keeps
 * (`BlockVersionRepository.findByReplacementBatched`) copied into the new
 * block `blockId` at a new generation stamp, the old replica left whole.
 */
export enum CommandKind {
  Transfer = 1,
  Invalidate = 2,
  Recover = 3,
  RecoverTruncate = 4,
  CopyTruncate = 5,
}

export const RECOVERY_KINDS: readonly CommandKind[] = [CommandKind.Recover, CommandKind.RecoverTruncate, CommandKind.CopyTruncate];

/** Work queued for one datanode, handed out with its heartbeats until its reports confirm it. */
export interface CommandRow {
  readonly datanodeUuid: string;
  readonly blockId: number;
  readonly kind: CommandKind;
  readonly genStamp: number;
  readonly numBytes: number;
  /** Datanode uuids (transfer targets, or the holders of a block under recovery). */
  readonly targets: readonly string[];
}

export type CommandKey = Pick<CommandRow, 'blockId' | 'kind'>;

/** A command as the hand-out finds it: its targets are read separately (`findTargetsBatched`). */
export interface PendingCommand extends Omit<CommandRow, 'targets'> {
  /** How many times it was handed out already. */
  readonly deliveries: number;
}

/** `datanode_commands` and `command_targets`. */
export interface CommandRepository {
  /** A second command of one kind for one block replaces the first, targets included, and is handed out afresh. */
  insert(c: CommandRow, now: number): Mutation[];
  /**
   * The oldest commands of one datanode never handed out or handed out
   * before `handedOutBefore`, locked so concurrent heartbeats hand each out once.
   */
  findDueByDatanodeForUpdate(uuid: string, handedOutBefore: number, limit: number): Query<PendingCommand[]>;
  /** The targets of these commands of one datanode, in order. */
  findTargetsBatched(uuid: string, keys: readonly CommandKey[]): Query<Map<string, string[]>>;
  markHandedOut(uuid: string, keys: readonly CommandKey[], now: number): Mutation;
  /** Commands and their targets. */
  deleteByPkBatched(uuid: string, keys: readonly CommandKey[]): Mutation;
  /** Every command of a datanode declared dead, and its targets. */
  deleteByDatanode(uuid: string): Mutation;
  /**
   * A replica of `blockId` at `genStamp` arrived at `uuid`: its own recovery
   * commands up to that stamp are done, and so is any transfer that named it
   * as a target.
   */
  confirmReceived(copies: readonly ReceivedCopy[]): Mutation[];
  /** Of these datanodes, those with a command due (never handed out, or handed out before `handedOutBefore`): a heartbeat batch's one check. */
  findDatanodesWithDue(uuids: readonly string[], handedOutBefore: number): Query<string[]>;
  /** Invalidations of `uuid` handed out before `handedOutBefore` whose replica a full report no longer lists (at their stamp or older). */
  findHandedOutInvalidations(uuid: string, handedOutBefore: number): Query<PendingCommand[]>;
  /** The datanodes with a recovery command for this block. */
  findRecoveryHolders(blockId: number): Query<string[]>;
}

/** A finalized copy a datanode reported (it confirms the recovery or transfer that made it). */
export interface ReceivedCopy {
  readonly uuid: string;
  readonly blockId: number;
  readonly genStamp: number;
}

/** The key `findTargetsBatched` answers under. */
export const commandKeyText = (k: CommandKey): string => `${k.blockId}/${k.kind}`;
