import type { ReplicaInfo } from './store/block-store';

/**
 * What the data path tells the rest of the datanode about replicas, so the
 * transfer code needs no knowledge of namenodes or IPC: the namenode links
 * turn these into blockReceivedAndDeleted reports.
 */
export interface ReplicaEvents {
  /** An RBW replica was created or reopened (RECEIVING_BLOCK). */
  receiving(replica: ReplicaInfo): void;
  /** A replica was finalized (RECEIVED_BLOCK, with its length). */
  received(replica: ReplicaInfo): void;
  /** A replica was removed (DELETED_BLOCK). */
  deleted(replica: ReplicaInfo): void;
  /** A replica's bytes no longer match its checksums (reportBadBlocks). */
  corrupt(replica: ReplicaInfo): void;
}
