/** The checksum datanodes compute; clients must use the same one. */
export type ChecksumType = 'CRC32C';

/** What a client writes with unless it asks otherwise (HDFS's FsServerDefaults). */
export interface ServerDefaults {
  readonly blockSize: number;
  readonly bytesPerChecksum: number;
  readonly writePacketSize: number;
  readonly replication: number;
  readonly fileBufferSize: number;
  readonly encryptDataTransfer: boolean;
  /** Minutes; 0 means no trash. */
  readonly trashInterval: number;
  readonly checksumType: ChecksumType;
}
