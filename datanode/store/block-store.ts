import type { ChecksumSpec } from '../../protocol/datatransfer/checksum';

/**
 * Where the replicas of one datanode live. Storage-neutral on purpose: the
 * local-directory store implements it today, a Swift store (one object per
 * block) will later, so callers see only async buffers, never paths or fds.
 *
 * Block ids, generation stamps and lengths are plain numbers: nnfleet hands
 * out ids from counters, far below 2^53.
 */
export type ReplicaState = 'finalized' | 'rbw';

export interface ReplicaInfo {
  readonly blockId: number;
  readonly generationStamp: number;
  /** Bytes stored with valid checksums. */
  readonly numBytes: number;
  readonly state: ReplicaState;
  readonly checksum: ChecksumSpec;
}

/** An in-progress (RBW) replica being written, one writer at a time. */
export interface ReplicaWriter {
  info(): ReplicaInfo;
  /**
   * Appends `data` at the replica's current end. `checksums` are the chunk
   * checksums of `data` as the sender computed them (already verified); a
   * store may recompute the chunk that straddles an unaligned start.
   */
  append(data: Buffer, checksums: Buffer): Promise<void>;
  /** Makes the data durable and the replica finalized; it becomes visible to list(). */
  finalize(): Promise<ReplicaInfo>;
  /** Drops the replica (e.g. after a checksum error): nothing of it remains. */
  abort(): Promise<void>;
  /** Stops writing but keeps the RBW replica (a pipeline broke; recovery may resume it). */
  release(): Promise<void>;
}

/** A consistent view of one replica for reading. */
export interface ReplicaReader {
  readonly info: ReplicaInfo;
  readData(offset: number, length: number): Promise<Buffer>;
  /** Stored checksums of chunks [firstChunk, firstChunk + count). */
  readChecksums(firstChunk: number, count: number): Promise<Buffer>;
  close(): Promise<void>;
}

export interface RecoverOptions {
  /** The replica's generation stamp after recovery. */
  newGenerationStamp: number;
  /** Refuse replicas shorter than this. */
  minBytes: number;
  /** Bytes beyond this are cut off (not acknowledged to the writer). */
  maxBytes: number;
}

export interface BlockStore {
  /** A new RBW replica; replaces a stale RBW of the same block, refuses an existing finalized one. */
  createRbw(blockId: number, generationStamp: number, checksum: ChecksumSpec): Promise<ReplicaWriter>;
  /** Reopens a finalized replica for append, as RBW with a new generation stamp. */
  append(blockId: number, expectedLength: number, newGenerationStamp: number): Promise<ReplicaWriter>;
  /** Reopens an RBW or finalized replica after a pipeline failure, bumping its generation stamp. */
  recoverRbw(blockId: number, options: RecoverOptions): Promise<ReplicaWriter>;
  /** Sets the generation stamp and length of a replica (lease/block recovery). */
  updateReplica(blockId: number, newGenerationStamp: number, newLength: number): Promise<ReplicaInfo>;
  get(blockId: number): ReplicaInfo | undefined;
  /** Finalized and RBW replicas (block reports); half-written blocks are never listed as finalized. */
  list(): ReplicaInfo[];
  openReader(blockId: number): Promise<ReplicaReader>;
  /** Removes a replica (invalidation); false when there was none. */
  delete(blockId: number): Promise<boolean>;
  /** Bytes used by replicas, for heartbeats. */
  usedBytes(): number;
}

export class ReplicaNotFoundError extends Error {
  constructor(readonly blockId: number, detail = '') {
    super(`replica of block ${blockId} not found${detail ? `: ${detail}` : ''}`);
    this.name = 'ReplicaNotFoundError';
  }
}

export class ReplicaAlreadyExistsError extends Error {
  constructor(readonly blockId: number) {
    super(`replica of block ${blockId} already exists`);
    this.name = 'ReplicaAlreadyExistsError';
  }
}

/** The replica does not match what the operation expects (generation stamp, length, state). */
export class ReplicaStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReplicaStateError';
  }
}
