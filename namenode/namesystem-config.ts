import type { SuperuserPolicy } from './security/caller';
import type { ProxyUserRules } from './security/proxy-users';

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
  /**
   * dfs.namenode.stale.datanode.interval: a datanode silent this long is
   * stale. The interval in force is never below the heartbeat rows'
   * granularity plus three heartbeats (staleIntervalMs in
   * blocks/stale-datanodes.ts), as HDFS never goes below three heartbeats.
   */
  readonly staleDatanodeIntervalMs: number;
  /**
   * dfs.namenode.avoid.write.stale.datanode: new blocks and re-replication go
   * to stale datanodes only when the fresh ones are too few. On by default,
   * unlike HDFS: the datanode rows outlive namenodes and processes, so a
   * datanode stopped without being declared dead (a test, a bench, a
   * redeploy under another uuid) stays a target for the whole expiry.
   */
  readonly avoidStaleDatanodeForWrite: boolean;
  /** dfs.namenode.write.stale.datanode.ratio: with more than this share of the live datanodes stale, none is avoided for writes. */
  readonly staleDatanodeWriteRatio: number;
  /** dfs.namenode.avoid.read.stale.datanode: getBlockLocations lists stale datanodes after the fresh ones (on by default, for the same reason). */
  readonly avoidStaleDatanodeForRead: boolean;
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
  /**
   * While complete/addBlock wait for a report that went to another namenode
   * (this one's own reports wake them at once), how often they look again.
   */
  readonly replicaReportPollMs: number;
  /** How often the leader runs its housekeeping. */
  readonly housekeepingIntervalMs: number;
  /** dfs.namenode.retrycache.expirytime.millis: how long an at-most-once call's answer is kept for its retries. */
  readonly retryCacheExpiryMs: number;
  /** dfs.namenode.fs-limits.max-directory-items: entries one directory may hold. */
  readonly maxDirectoryItems: number;
  /** dfs.namenode.snapshot.max.limit: snapshots one snapshottable directory may hold. */
  readonly snapshotMaxLimit: number;
  /** dfs.namenode.snapshotdiff.listing.limit: entries one getSnapshotDiffReportListing page answers. */
  readonly snapshotDiffListingLimit: number;
  /**
   * A delete or rename of a directory whose subtree holds more inodes than
   * this runs as a subtree operation (lock the root, walk and work in
   * bounded transactions); up to it, in one transaction as before.
   */
  readonly subtreeThreshold: number;
  /** Rows one transaction of a subtree operation reads or deletes, and one page of a content summary's walk. */
  readonly subtreeBatchSize: number;
  /**
   * Test hook, '' in production: 'delete:2', 'delete:3', 'rename:2' or
   * 'rename:3' stops that subtree operation in that phase (printing
   * `subtree-pause <op> phase <n>` on stdout) so a test can kill -9 the namenode there.
   */
  readonly subtreePauseForTests: string;
  /** dfs.namenode.acls.enabled: when false every ACL operation answers AclException. */
  readonly aclsEnabled: boolean;
  /** dfs.namenode.posix.acl.inheritance.enabled: under a default ACL, a new inode's mode is the client's unmasked one. */
  readonly posixAclInheritance: boolean;
  /** Bytes the path → inode id hints may take (keys counted at two bytes a character). */
  readonly hintCacheBytes: number;
  /** Redis for the coherent inode cache (namenode/cache/README.md), redis://host:port; '' and no sentinels: no cache. */
  readonly redisUrl: string;
  /** Redis Sentinels (host:port,host:port) to ask for the master `redisSentinelName`; takes precedence over redisUrl. */
  readonly redisSentinels: string;
  readonly redisSentinelName: string;
  /** Key and channel prefix of the cache in Redis (several fleets may share one Redis). */
  readonly cacheRedisPrefix: string;
  /** A namenode serves cached rows only within this long of its last lease renewal (minus the margin). */
  readonly cacheLeaseMs: number;
  /** Safety margin for clock rate differences between namenodes and Redis. */
  readonly cacheLeaseMarginMs: number;
  /** Bytes the cached inode rows may take. */
  readonly inodeCacheBytes: number;
  /** Test hook, 'on' in production: 'off' makes writers skip invalidations (the checker must then find stale reads). */
  readonly cacheCoherenceForTests: 'on' | 'off';
  /** With Redis: tell the other namenodes when a RECEIVED report commits here, waking their complete/addBlock waiters (namenode/cache/replica-notices.ts). */
  readonly replicaNotices: boolean;
  /** With Redis: share directory path → inode id hints with the fleet (namenode/cache/shared-hint-cache.ts). */
  readonly sharedHints: boolean;
  /** A shared hint expires this long after it was last written. */
  readonly sharedHintTtlMs: number;
  /**
   * A command handed to a datanode and not yet confirmed by its reports is
   * handed out again after this long (the heartbeat answer may have been lost).
   */
  readonly commandRedeliveryMs: number;
  /** Hand-outs of one command before it is dropped; the duty that made it makes it again if still needed. */
  readonly commandMaxDeliveries: number;
  /** hadoop.proxyuser.<user>.hosts/users/groups: who may act for whom (doAs). */
  readonly proxyUsers: ProxyUserRules;
  /** ipc.maximum.data.length: largest request frame, in bytes. */
  readonly ipcMaximumDataLength: number;
  /** Largest frame before the connection context (a peer mid-handshake buffers no more). */
  readonly ipcMaximumHandshakeDataLength: number;
  /** ipc.server.max.connections (0: no limit). */
  readonly ipcServerMaxConnections: number;
  /** Bytes of incomplete request frames held across all IPC connections (keep above ipcMaximumDataLength). */
  readonly ipcServerMaxBufferedBytes: number;
  /** Connections from one remote address (0: no limit). */
  readonly ipcServerMaxConnectionsPerAddress: number;
  /** Preamble and connection context must arrive within this many ms. */
  readonly ipcServerHandshakeTimeoutMs: number;
  /** ipc.client.connection.maxidletime, ms: the server closes a connection idle for twice this, as Hadoop. */
  readonly ipcClientConnectionMaxIdleTimeMs: number;
  /** ipc.client.idlethreshold: idle connections are closed only while at least this many are held. */
  readonly ipcClientIdleThreshold: number;
  /** Calls admitted per connection before the server stops reading it. */
  readonly ipcServerMaxInFlightPerConnection: number;
  /** dfs.namenode.handler.count: calls executing at once (each may hold a database connection). */
  readonly handlerCount: number;
  /** ipc.server.handler.queue.size: calls waiting per handler; beyond, "Server too busy". */
  readonly ipcServerHandlerQueueSize: number;
  /** getContentSummary and listings with block locations executing at once. */
  readonly expensiveHandlerCount: number;
  /** ipc.callqueue.overflow.trigger.failover (1: a full queue answers StandbyException so clients try another namenode). */
  readonly ipcCallQueueOverflowTriggerFailover: number;
  /** dfs.block.access.token.enable: datanodes serve blocks only to holders of a namenode's token. */
  readonly blockAccessTokens: boolean;
  /** dfs.block.access.key.update.interval (600 min), in ms. */
  readonly blockKeyUpdateIntervalMs: number;
  /** dfs.block.access.token.lifetime (600 min), in ms. */
  readonly blockTokenLifetimeMs: number;
  /** Whether every mutation writes its change events (Watch, inotify); off only to measure what the log costs. */
  readonly changeLog: boolean;
  /** Concurrent creates, mkdirs, completes and attribute changes on paths apart share one database transaction (namenode/tx/group-commit.ts). */
  readonly groupCommit: boolean;
  /** A write whose path the hint cache knows sends no read before its lock round trip (namenode/tx/hinted-path.ts); off only to measure it. */
  readonly hintedWrites: boolean;
  /** A transaction's writes and COMMIT go as one compound statement where the server takes it (MariaDB; namenode/dal/sql/sql-db.ts); off only to measure it. */
  readonly compoundWrites: boolean;
  /**
   * Unlocked lookups (getFileInfo, getBlockLocations, path resolution) go
   * to the database in batches; a batch of fewer than this many waits up to
   * lookupLingerMs for more (namenode/tx/batch-linger.ts). 0: never waits.
   */
  readonly lookupLingerBatch: number;
  /** The longest such wait, ms (0: never waits). */
  readonly lookupLingerMs: number;
  /**
   * A wait that ran out its time with at least this many lookups still
   * paid (it spared the database statements); waits stop for a while only
   * when most gather fewer. Without it a namenode seeing a few thousand
   * lookups a second (one of two behind haproxy on a slow box) counted
   * its 2 ms waits of 4–11 lookups as wasted, stopped waiting, and sent
   * three times the statements per lookup (bench/README.md, stop 43).
   */
  readonly lookupLingerPaidAt: number;
  /**
   * Group commit's path writes (creates, completes, mkdirs, deletes,
   * attribute changes): a group of fewer than this many waits up to
   * writeLingerMs for more (namenode/tx/group-commit.ts); waits stop for a
   * while when most of them find no company. 0: never waits.
   */
  readonly writeLingerBatch: number;
  /** The longest such wait, ms (0: never waits). */
  readonly writeLingerMs: number;
  /** The leader trims change-log positions older than this. */
  readonly changeLogRetentionMs: number;
  /** …and keeps at most this many positions (transactions). */
  readonly changeLogMaxPositions: number;
  /**
   * dfs.hosts.exclude: a file of HOST or HOST:PORT entries that refreshNodes
   * (`hdfs dfsadmin -refreshNodes`) reads on the namenode receiving it, to
   * decommission the listed datanodes fleet-wide ('': refreshNodes refused).
   */
  readonly hostsExcludeFile: string;
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
  staleDatanodeIntervalMs: 45_000,
  avoidStaleDatanodeForWrite: true,
  staleDatanodeWriteRatio: 0.5,
  avoidStaleDatanodeForRead: true,
  leaseSoftLimitMs: 60_000,
  leaseHardLimitMs: 1_200_000,
  replicaReportWaitMs: 5000,
  replicaReportPollMs: 100,
  housekeepingIntervalMs: 3000,
  retryCacheExpiryMs: 600_000,
  maxDirectoryItems: 1024 * 1024,
  snapshotMaxLimit: 65536,
  snapshotDiffListingLimit: 1000,
  subtreeThreshold: 2000,
  subtreeBatchSize: 1000,
  subtreePauseForTests: '',
  aclsEnabled: true,
  posixAclInheritance: true,
  hintCacheBytes: 64 * 1024 * 1024,
  redisUrl: '',
  redisSentinels: '',
  redisSentinelName: 'mymaster',
  cacheRedisPrefix: 'nnfleet:cache:',
  cacheLeaseMs: 2000,
  cacheLeaseMarginMs: 250,
  inodeCacheBytes: 256 * 1024 * 1024,
  cacheCoherenceForTests: 'on',
  replicaNotices: true,
  sharedHints: true,
  sharedHintTtlMs: 3_600_000,
  commandRedeliveryMs: 30_000,
  commandMaxDeliveries: 10,
  proxyUsers: {},
  ipcMaximumDataLength: 64 * 1024 * 1024,
  ipcMaximumHandshakeDataLength: 64 * 1024,
  ipcServerMaxConnections: 10_000,
  ipcServerMaxBufferedBytes: 512 * 1024 * 1024,
  ipcServerMaxConnectionsPerAddress: 2_048,
  ipcServerHandshakeTimeoutMs: 10_000,
  ipcClientConnectionMaxIdleTimeMs: 10_000,
  ipcClientIdleThreshold: 4_000,
  ipcServerMaxInFlightPerConnection: 256,
  handlerCount: 64,
  ipcServerHandlerQueueSize: 100,
  expensiveHandlerCount: 4,
  ipcCallQueueOverflowTriggerFailover: 0,
  blockAccessTokens: true,
  blockKeyUpdateIntervalMs: 600 * 60_000,
  blockTokenLifetimeMs: 600 * 60_000,
  changeLog: true,
  groupCommit: true,
  hintedWrites: true,
  compoundWrites: true,
  lookupLingerBatch: 12,
  lookupLingerMs: 2,
  lookupLingerPaidAt: 4,
  writeLingerBatch: 16,
  writeLingerMs: 10,
  changeLogRetentionMs: 24 * 3_600_000,
  changeLogMaxPositions: 10_000_000,
  hostsExcludeFile: '',
}
