/** StorageTypeProto (hdfs.proto): the kind of a datanode storage. */
export enum StorageType {
  Disk = 1,
  Ssd = 2,
  Archive = 3,
  RamDisk = 4,
  /**
   * External storage that datanodes share (HDFS-9806), nnfleet's shared
   * block stores (object storage): one stored copy that every datanode
   * attached to it can serve, replicated by the store itself.
   */
  Provided = 5,
  /** Non-volatile memory (Hadoop 3.4, HDFS-15025): only the ALL_NVDIMM policy names it. */
  Nvdimm = 6,
}

/** StorageType.toString(): the Java enum's names, which HDFS puts in messages and WebHDFS in JSON. */
export const STORAGE_TYPE_NAMES: Readonly<Record<StorageType, string>> = {
  [StorageType.Disk]: 'DISK',
  [StorageType.Ssd]: 'SSD',
  [StorageType.Archive]: 'ARCHIVE',
  [StorageType.RamDisk]: 'RAM_DISK',
  [StorageType.Provided]: 'PROVIDED',
  [StorageType.Nvdimm]: 'NVDIMM',
};

/**
 * Whether a copy on this storage is the store's business to keep safe: the
 * block manager counts it as a whole block, never re-replicates it across
 * datanodes, and places a new block on one such storage alone.
 */
export const isSharedStorage = (storageType: number): boolean => storageType === StorageType.Provided;
