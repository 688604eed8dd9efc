/** Counters of the coherent inode cache, exported on /metrics. */
export class CacheMetrics {
  hits = 0;
  misses = 0;
  /** Lookups answered by the database because no lease was held. */
  bypasses = 0;
  installs = 0;
  staleInstallRefusals = 0;
  /** Lookups read again from the database: a row served from memory was invalidated meanwhile. */
  rereads = 0;
  /** Missed keys the shared-lock read did not answer (absent, or a writer held them locked): read unlocked, not kept. */
  lockedOrAbsentPeeks = 0;
  /** Missed keys of writes' resolutions, read unlocked and not kept (the lock round trip validates them). */
  writeResolutionPeeks = 0;
  invalidationsSent = 0;
  invalidationsReceived = 0;
  entriesInvalidated = 0;
  acksReceived = 0;
  /** Holders a writer waited out instead of an ack. */
  leasesWaitedOut = 0;
  /** Writes that found Redis unreachable and waited one lease period. */
  redisUnreachableWaits = 0;
  ackWaitMsTotal = 0;
  ackWaitMsMax = 0;
  lapses = 0;
  /** Renewals whose answer came but whose mark the subscriber did not read within a lease: not counted. */
  marksMissed = 0;
  /** Joins completed by this namenode (its lease counted after acks and the fence). */
  joins = 0;
  /** Joins of other namenodes this namenode acked. */
  joinsAcked = 0;
  /** Writes that published nothing: this namenode was the sole lease holder. */
  soleHolderWrites = 0;
  /** Of those, writes whose statements and COMMIT went in one round trip. */
  foldedCommits = 0;
  /** Rows a sole holder's write read back under its locks before COMMIT and kept once answered. */
  writerInstalls = 0;
  /** Listings a sole holder's write dropped and kept again, patched with what it changed (the rows it read back). */
  writerListings = 0;
  /** Entries other than path resolution's rows: a closed file's blocks, datanode rows, listings. */
  readonly entries = { blocks: { hits: 0, misses: 0 }, listing: { hits: 0, misses: 0 }, datanode: { hits: 0, misses: 0 } };
}
