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
};
