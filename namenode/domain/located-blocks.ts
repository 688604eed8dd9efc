import type { DatanodeInfo } from './datanode-info';

/** blocks.state: a block's life cycle on the namenode (HDFS's BlockUCState). */
export enum BlockState {
  UnderConstruction = 1,
  Committed = 2,
  Complete = 3,
  UnderRecovery = 4,
}

/** A block of a file. */
export interface Block {
  readonly inodeId: number;
  /** Position of the block in its file, from 0. */
  readonly index: number;
  readonly blockId: number;
  readonly genStamp: number;
  readonly numBytes: number;
  readonly state: BlockState;
}

/** A block as clients and datanodes name it (ExtendedBlockProto without the pool). */
export interface BlockRef {
  readonly blockId: number;
  readonly genStamp: number;
  readonly numBytes: number;
}

/** A datanode storage that holds (or is to hold) a replica. */
export interface Location {
  readonly datanode: DatanodeInfo;
  readonly storageId: string;
  readonly storageType: number;
}

export interface LocatedBlock {
  readonly block: Block;
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
