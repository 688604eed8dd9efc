import type { CommandRow } from '../../namenode/dal/command-repository';
import type { StorageRow } from '../../namenode/dal/datanode-repository';
import type { DatanodeInfo } from '../../namenode/domain/datanode-info';
import type { NamespaceIdentity } from '../../schema/namespace-rows';

/** Rows of the tables whose entities leave columns out (or have none); the other tables store their entities as they are. */
export interface CounterRow {
  readonly name: string;
  readonly value: number;
}

export interface NamespaceInfoRow extends NamespaceIdentity {
  readonly id: number;
  readonly createdAt: number;
  readonly safeModeEnteredAt?: number | null;
}

export interface LeaseRow {
  readonly holder: string;
  readonly lastRenewed: number;
}

export interface DatanodeRow extends DatanodeInfo {
  readonly registeredAt: number;
}

export interface StorageRecord extends StorageRow {
  readonly lastReport: number;
}

/** `targets` as the column holds it: comma-separated. */
/** A command with its targets inline: `command_targets` rows are the SQL form of the list. */
export interface CommandRecord extends CommandRow {
  readonly createdAt: number;
  readonly handedOutAt: number;
  readonly deliveries: number;
}

export interface UnderReplicatedRow {
  readonly blockId: number;
  readonly inodeId: number;
  readonly queuedAt: number;
  readonly scheduledAt: number;
}

export interface NamenodeRow {
  readonly id: number;
  readonly rpcAddress: string;
  readonly httpAddress: string;
  readonly startedAt: number;
  readonly heartbeatCounter: number;
  readonly lastHeartbeat: number;
}

export interface RetryCacheRow {
  readonly clientId: Buffer;
  readonly callId: number;
  readonly method: string;
  readonly response: string | null;
  readonly expiresAt: number;
}
