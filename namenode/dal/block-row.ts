/** blocks.state */
export enum BlockState {
  UnderConstruction = 1,
  Committed = 2,
  Complete = 3,
  UnderRecovery = 4,
}

/** replicas.state */
export enum ReplicaState {
  Finalized = 1,
  BeingWritten = 2,
  Corrupt = 3,
}

export interface BlockRow {
  readonly inodeId: number;
  readonly index: number;
  readonly blockId: number;
  readonly genStamp: number;
  readonly numBytes: number;
  readonly state: BlockState;
}

/** Who a datanode is and where it listens (DatanodeIDProto). */
export interface DatanodeIdentity {
  readonly uuid: string;
  readonly ipAddr: string;
  readonly hostName: string;
  readonly xferPort: number;
  readonly infoPort: number;
  readonly ipcPort: number;
}

/** What each heartbeat reports. */
export interface HeartbeatStats {
  readonly capacity: number;
  readonly dfsUsed: number;
  readonly remaining: number;
  readonly blockPoolUsed: number;
  readonly nonDfsUsed: number;
  readonly xceiverCount: number;
}

export interface DatanodeRow extends DatanodeIdentity, HeartbeatStats {
  readonly lastHeartbeat: number;
  readonly state: number;
}

/** A datanode storage that holds (or is to hold) a replica. */
export interface Location {
  readonly datanode: DatanodeRow;
  readonly storageId: string;
  readonly storageType: number;
}

export interface LocatedBlock {
  readonly block: BlockRow;
  /** Offset of the block's first byte in the file. */
  readonly offset: number;
  readonly locations: readonly Location[];
  readonly corrupt: boolean;
}

export interface LocatedBlocks {
  readonly fileLength: number;
  readonly blocks: readonly LocatedBlock[];
  readonly underConstruction: boolean;
  readonly lastBlock: LocatedBlock | undefined;
  readonly isLastBlockComplete: boolean;
}
