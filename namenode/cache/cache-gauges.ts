import type { CoherentRows } from './coherent-rows';

/** Where gauges go (the namenode's /metrics). */
interface Gauges {
  addGauge(name: string, help: string, read: () => number): void;
}

/** The coherent inode cache's figures on /metrics. */
export function addCacheMetrics(g: Gauges, c: CoherentRows): void {
  const m = c.metrics;
  g.addGauge('nnfleet_inode_cache_hits', 'Inode rows served from the coherent cache', () => m.hits);
  g.addGauge('nnfleet_inode_cache_misses', 'Inode rows looked for in the cache and read from the database', () => m.misses);
  g.addGauge('nnfleet_inode_cache_bypasses', 'Lookups sent to the database because no cache lease was held', () => m.bypasses);
  g.addGauge('nnfleet_inode_cache_entries', 'Inode rows in the cache', () => c.rows.entries);
  g.addGauge('nnfleet_inode_cache_bytes', 'Bytes the cached rows are counted as', () => c.rows.bytes);
  g.addGauge('nnfleet_inode_cache_installs', 'Rows read from the database and kept', () => m.installs);
  g.addGauge('nnfleet_inode_cache_stale_install_refusals', 'Rows not kept: invalidated or lease lapsed since the read began', () => m.staleInstallRefusals);
  g.addGauge('nnfleet_inode_cache_rereads', 'Lookups read again: a row served from memory was invalidated meanwhile', () => m.rereads);
  g.addGauge('nnfleet_inode_cache_locked_or_absent_peeks', 'Missed rows the skip-locked shared read did not return (absent, or locked by a writer), read unlocked and not kept', () => m.lockedOrAbsentPeeks);
  g.addGauge('nnfleet_inode_cache_write_resolution_peeks', 'Missed rows of writes’ resolutions, read unlocked and not kept (their lock round trip validates them)', () => m.writeResolutionPeeks);
  g.addGauge('nnfleet_inode_cache_invalidations_sent', 'Invalidations published by this namenode’s writers', () => m.invalidationsSent);
  g.addGauge('nnfleet_inode_cache_invalidations_received', 'Invalidations received from other namenodes', () => m.invalidationsReceived);
  g.addGauge('nnfleet_inode_cache_entries_invalidated', 'Cached rows dropped by invalidations', () => m.entriesInvalidated);
  g.addGauge('nnfleet_inode_cache_acks_received', 'Acks received for this namenode’s invalidations', () => m.acksReceived);
  g.addGauge('nnfleet_inode_cache_leases_waited_out', 'Silent lease holders a writer waited out', () => m.leasesWaitedOut);
  g.addGauge('nnfleet_inode_cache_redis_unreachable_waits', 'Writes that waited one lease period because Redis was unreachable', () => m.redisUnreachableWaits);
  g.addGauge('nnfleet_inode_cache_ack_wait_ms_total', 'Milliseconds writers spent publishing and waiting for acks', () => m.ackWaitMsTotal);
  g.addGauge('nnfleet_inode_cache_ack_wait_ms_max', 'Longest publish-and-wait of one write, ms', () => m.ackWaitMsMax);
  g.addGauge('nnfleet_inode_cache_lease_valid', '1 while this namenode holds its cache lease', () => (c.redis.leaseValid ? 1 : 0));
  g.addGauge('nnfleet_inode_cache_lease_remaining_ms', 'Milliseconds of cache lease left', () => c.redis.leaseRemainingMs);
  g.addGauge('nnfleet_inode_cache_lapses', 'Times the cache lease lapsed and the cache was dropped', () => m.lapses);
  g.addGauge('nnfleet_inode_cache_renewal_marks_missed', 'Lease renewals not counted: the subscriber had not read the renewal’s mark within a lease (invalidations may be behind)', () => m.marksMissed);
  g.addGauge('nnfleet_inode_cache_joins', 'Joins this namenode completed (its lease counted after the acks and the fence)', () => m.joins);
  g.addGauge('nnfleet_inode_cache_joins_acked', 'Joins of other namenodes acked here', () => m.joinsAcked);
  g.addGauge('nnfleet_inode_cache_other_holders', 'Other lease holders this namenode knows of', () => c.redis.otherHolders);
  g.addGauge('nnfleet_inode_cache_sole_holder_writes', 'Writes that published nothing: this namenode was the sole lease holder', () => m.soleHolderWrites);
  g.addGauge('nnfleet_inode_cache_folded_commits', 'Sole-holder writes whose statements and COMMIT went in one round trip', () => m.foldedCommits);
  g.addGauge('nnfleet_inode_cache_writer_installs', 'Rows a sole-holder write read back under its locks before COMMIT and kept once answered', () => m.writerInstalls);
  g.addGauge('nnfleet_inode_cache_writer_listings', 'Listings a sole-holder write dropped and kept again, patched with the rows it read back', () => m.writerListings);
  for (const kind of ['blocks', 'listing', 'datanode'] as const) {
    g.addGauge(`nnfleet_${kind}_cache_hits`, `${kind} entries served from the coherent cache`, () => m.entries[kind].hits);
    g.addGauge(`nnfleet_${kind}_cache_misses`, `${kind} entries looked for and read from the database`, () => m.entries[kind].misses);
  }
}
