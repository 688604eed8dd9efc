/**
 * What path resolution asks of a metadata cache: path prefix → inode id
 * hints, fetched for many prefixes at once and dropped on change. The
 * resolver never trusts a hint (every one is checked against the rows it
 * reads), so a cache may be stale without being wrong; a coherent
 * fleet-wide cache (Redis invalidations) plugs in here, as the in-process
 * LRU `HintCache` does today. Asynchronous so a remote cache fits.
 */
export interface MetadataCache {
  /** One answer per path, in order; undefined where nothing is cached. */
  getBatch(paths: readonly string[]): Promise<readonly (number | undefined)[]>;
  /** `directory` when the path is known to name a directory (only those can prefix other paths). */
  set(path: string, inodeId: number, directory?: boolean): void;
  /** Drops the entries of these paths (not of their descendants: those become unreachable hints). */
  invalidate(paths: readonly string[]): void;
  readonly stats: MetadataCacheStats;
}

export interface MetadataCacheStats {
  readonly entries: number;
  readonly hits: number;
  readonly misses: number;
}
