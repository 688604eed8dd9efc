import type { SuperuserPolicy } from './security/caller';

/** Namesystem settings, named after the hdfs-site.xml keys they mirror. */
export interface NamesystemConfig extends SuperuserPolicy {
  /** dfs.blocksize */
  readonly blockSize: number;
  /** dfs.replication */
  readonly replication: number;
  /** dfs.replication.max */
  readonly maxReplication: number;
  /** dfs.namenode.replication.min */
  readonly minReplication: number;
  /** dfs.namenode.fs-limits.min-block-size */
  readonly minBlockSize: number;
  /** dfs.bytes-per-checksum */
  readonly bytesPerChecksum: number;
  /** dfs.client-write-packet-size */
  readonly writePacketSize: number;
  /** io.file.buffer.size */
  readonly fileBufferSize: number;
  /** dfs.ls.limit */
  readonly listingLimit: number;
  /** dfs.namenode.fs-limits.max-xattrs-per-inode */
  readonly maxXAttrsPerInode: number;
  /** dfs.namenode.fs-limits.max-xattr-size */
  readonly maxXAttrSize: number;
  /** fs.trash.interval, minutes */
  readonly trashInterval: number;
  /** dfs.heartbeat.interval, in ms */
  readonly heartbeatIntervalMs: number;
  /** A datanode silent this long is dead: 2 × recheck (5 min) + 10 × heartbeat, as HDFS. */
  readonly heartbeatExpiryMs: number;
  /** Lease soft limit: another client may recover the file after it. */
  readonly leaseSoftLimitMs: number;
  /** dfs.namenode.lease.hard-limit: the namenode recovers the file itself after it. */
  readonly leaseHardLimitMs: number;
  /**
   * How long complete/addBlock wait, inside the namenode, for the datanodes'
   * report of the previous block before answering "not yet" (the Go client
   * does not retry complete the way the Java client does).
   */
  readonly replicaReportWaitMs: number;
  /** How often the leader runs its housekeeping. */
  readonly housekeepingIntervalMs: number;
  /** dfs.block.access.token.enable: datanodes serve blocks only to holders of a namenode's token. */
  readonly blockAccessTokens: boolean;
  /** dfs.block.access.key.update.interval (600 min), in ms. */
  readonly blockKeyUpdateIntervalMs: number;
  /** dfs.block.access.token.lifetime (600 min), in ms. */
  readonly blockTokenLifetimeMs: number;
}

export const DEFAULT_NAMESYSTEM_CONFIG: NamesystemConfig = {
  superuser: 'root',
  supergroup: 'supergroup',
  blockSize: 128 * 1024 * 1024,
  replication: 3,
  maxReplication: 512,
  minReplication: 1,
  minBlockSize: 1024 * 1024,
  bytesPerChecksum: 512,
  writePacketSize: 64 * 1024,
  fileBufferSize: 4096,
  listingLimit: 1000,
  maxXAttrsPerInode: 32,
  maxXAttrSize: 16384,
  trashInterval: 0,
  heartbeatIntervalMs: 3000,
  heartbeatExpiryMs: 630_000,
  leaseSoftLimitMs: 60_000,
  leaseHardLimitMs: 1_200_000,
  replicaReportWaitMs: 5000,
  housekeepingIntervalMs: 3000,
  blockAccessTokens: true,
  blockKeyUpdateIntervalMs: 600 * 60_000,
  blockTokenLifetimeMs: 600 * 60_000,
}
