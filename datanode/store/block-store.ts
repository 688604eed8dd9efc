import type { ChecksumSpec } from '../../protocol/datatransfer/checksum';

/**
 * Where the replicas of one datanode live. Storage-neutral on purpose: the
 * local-directory store implements it today, an object store (one immutable
 * object per (blockId, generationStamp), staged locally while its pipeline
 * runs and uploaded on finalize) next, so the contract never changes a
 * finalized replica in place:
 *
 * ```
 * createRbw(id, gs) ──▶ rbw (id, gs) ──finalize──▶ finalized (id, gs)     never changed again
 *                            │                           │
 *                            └───────────┬───────────────┘
 *                     openNewGeneration((id, gs), gs')       append, pipeline or block recovery
 *                                        ▼
 *                                  rbw (id, gs') from the old bytes; (id, gs) is retired
 * ```
 *
 * Callers see only async buffers, never paths or fds. Block ids, generation
 * stamps and lengths are plain numbers: nnfleet hands out ids from counters,
 * far below 2^53.
 *
 * Hadoop's ReplicaState maps onto the two states a store lists: FINALIZED is
 * 'finalized'; RBW, RWR (an RBW found at restart, no writer) and TEMPORARY
 * (a transfer target, `createTemporary`) are 'rbw' with or without a live
 * writer; RUR is the moment inside `openNewGeneration`. What Hadoop's states
 * decide is kept as rules: a replica with a live writer is never created
 * over; a finalized replica is never replaced, only continued by an append
 * or a recovery that names its exact stamp.
 */
export type ReplicaState = 'finalized' | 'rbw';

/** One replica's identity: a store holds at most one generation of a block at a time. */
export interface ReplicaKey {
  readonly blockId: number;
  readonly generationStamp: number;
}

export interface ReplicaInfo extends ReplicaKey {
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
  /** hsync: the bytes appended so far reach the disk (data and checksums) before this resolves. */
  sync(): Promise<void>;
  /** Makes the data durable and the replica finalized (immutable from then on); it is listed as finalized. */
  finalize(): Promise<ReplicaInfo>;
  /** Drops the replica (e.g. after a checksum error): nothing of it remains. */
  abort(): Promise<void>;
  /** Stops writing but keeps the RBW replica (a pipeline broke; recovery may continue it as a new generation). */
  release(): Promise<void>;
}

/** Positional reads over one replica, finalized or being written, as it was when opened. */
export interface ReplicaReader {
  readonly info: ReplicaInfo;
  /** Bytes [offset, offset + length), cut at the replica's length. */
  readData(offset: number, length: number): Promise<Buffer>;
  /** Stored checksums of chunks [firstChunk, firstChunk + count). */
  readChecksums(firstChunk: number, count: number): Promise<Buffer>;
  close(): Promise<void>;
}

/**
 * How a new generation starts from the old one's bytes, one kind per
 * Hadoop `FsDatasetImpl` entry point. The new generation stamp always moves
 * forward, except for an append, which Hadoop allows under the block's own
 * stamp (the Go client appends so); the store refuses anything else and
 * changes nothing on disk when it refuses.
 */
export type NewGeneration =
  /** PIPELINE_SETUP_APPEND (`append`): the old replica must be finalized and hold exactly `length` bytes. */
  | { readonly kind: 'append'; readonly generationStamp: number; readonly length: number }
  /**
   * PIPELINE_SETUP_STREAMING_RECOVERY (`recoverRbw`): only a replica being
   * written (RBW, or RWR after a restart), holding between `minBytes` (what
   * the writer had acknowledged) and `maxBytes` (what it had sent): never
   * cut, never a finalized replica.
   */
  | { readonly kind: 'streamingRecovery'; readonly generationStamp: number; readonly writerStamp: number; readonly minBytes: number; readonly maxBytes: number }
  /**
   * PIPELINE_SETUP_APPEND_RECOVERY / PIPELINE_CLOSE_RECOVERY (`recoverAppend`,
   * `recoverClose`): an RBW whose stamp is in [writerStamp, generationStamp),
   * or a finalized replica at exactly `writerStamp`; either holding exactly
   * `length` bytes: never cut.
   */
  | { readonly kind: 'appendRecovery' | 'closeRecovery'; readonly generationStamp: number; readonly writerStamp: number; readonly length: number }
  /**
   * Block recovery ordered by a namenode (RUR in Hadoop): the old replica
   * (RBW or finalized) must hold at least `minBytes`; bytes beyond
   * `maxBytes` (a truncate's length) are not carried over. A redelivered
   * command may repeat the stamp already held.
   */
  | { readonly kind: 'recovery'; readonly generationStamp: number; readonly minBytes: number; readonly maxBytes: number };

/** Capacity figures of the store's backing storage, for heartbeats. */
export interface StoreUsage {
  /** Bytes the backing storage holds in all. */
  readonly capacity: number;
  /** Bytes still free for replicas. */
  readonly remaining: number;
  /** Bytes this store's replicas use (data and checksums). */
  readonly used: number;
}

export interface BlockStore {
  /**
   * Every datanode using the same backing storage can serve every block it
   * holds: true for an object store, false for local disk. Hadoop's storage
   * report has no field for it (DatanodeStorageProto's states and types mean
   * other things), so it stays with the datanode for now.
   */
  readonly shared: boolean;
  /** A new RBW replica for a client's pipeline; refused (ReplicaAlreadyExistsError) when the block has a replica in any state. */
  createRbw(blockId: number, generationStamp: number, checksum: ChecksumSpec): Promise<ReplicaWriter>;
  /**
   * A replica received from another datanode (replication, TRANSFER_RBW/
   * FINALIZED). As Hadoop's `createTemporary`, it replaces only a stale
   * copy: an unfinalized replica with an older stamp and no live writer;
   * anything else is ReplicaAlreadyExistsError.
   */
  createTemporary(blockId: number, generationStamp: number, checksum: ChecksumSpec): Promise<ReplicaWriter>;
  /**
   * A new RBW replica of `from.blockId` at `next.generationStamp`, starting
   * from the bytes of the replica `from`, which is then retired (no longer
   * listed or readable). Refused when the store holds no replica of the
   * block, or holds another generation than `from`, or `next` breaks its
   * kind's rules. A live writer of `from` is stopped first (Hadoop's
   * stopWriter): its later appends fail and it can no longer touch the files.
   */
  openNewGeneration(from: ReplicaKey, next: NewGeneration): Promise<ReplicaWriter>;
  /** The replica of a block the store holds now, whatever its generation. */
  get(blockId: number): ReplicaInfo | undefined;
  /**
   * Shared stores only: the block's replica at least at `minGenerationStamp`
   * when another datanode on the same storage wrote it (so `get` does not
   * know it); what `get` knows otherwise. One found before and shorter
   * than `minBytes` is looked up again (replaced under the same stamp).
   */
  lookup?(blockId: number, minGenerationStamp: number, minBytes?: number): Promise<ReplicaInfo | undefined>;
  /** Finalized and RBW replicas (block reports); half-written blocks are never listed as finalized. */
  list(): ReplicaInfo[];
  /** Refused unless the store holds exactly that generation. */
  openReader(replica: ReplicaKey): Promise<ReplicaReader>;
  /** Removes the replica (invalidation); false when the store holds no such generation. */
  delete(replica: ReplicaKey): Promise<boolean>;
  usage(): Promise<StoreUsage>;
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
