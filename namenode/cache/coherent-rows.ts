import type { Logger } from 'pino';
import { idsOfTokens, idToken, keyOf, type InodeKey, type InodeRow } from '../dal/inode-row';
import type { EntryCache, EntryKind, RowCache, RowLookup, WriteSteps } from '../tx/row-cache';
import { CacheMetrics } from './cache-metrics';
import { InodeRowCache } from './inode-row-cache';
import { isListingKey, listingBytes, listingTokens, MAX_CACHED_LISTING, parentOfListingKey, patchedListing } from '../dal/cached-listing';
import { RedisCoherence, type RedisEndpoint } from './redis-coherence';

export interface CoherentRowsOptions {
  readonly endpoint: RedisEndpoint;
  readonly prefix: string;
  readonly maxBytes: number;
  readonly leaseMs: number;
  readonly marginMs: number;
  readonly coherent: boolean;
  readonly logger: Logger;
  /** The join fence (namenode/tx/write-fence.ts): given, sole-holder writes commit in their write round trip (README.md, *Sole holder*). */
  readonly fence?: (() => Promise<void>) | undefined;
  /** The most children a kept listing has (dal/cached-listing.ts maxListingEntries); a writer's patched listing beyond it is not kept. */
  readonly maxListingEntries?: number;
}

/**
 * The coherent inode cache the transaction runner uses (README.md): rows
 * served from memory while the lease holds, misses read with a shared lock
 * and installed only when no invalidation or lapse came since the read
 * began, and writers' invalidations published through Redis.
 */
export class CoherentRows implements RowCache {
  readonly metrics = new CacheMetrics();
  readonly rows: InodeRowCache;
  readonly redis: RedisCoherence;
  /** File blocks, datanode rows and listings, under the same lease, tokens and byte budget. */
  readonly entries: EntryCache;

  readonly #maxListingEntries: number;

  constructor(o: CoherentRowsOptions) {
    this.#maxListingEntries = o.maxListingEntries ?? MAX_CACHED_LISTING - 1;
    this.rows = new InodeRowCache(o.maxBytes);
    this.redis = new RedisCoherence({
      endpoint: o.endpoint,
      prefix: o.prefix,
      leaseMs: o.leaseMs,
      marginMs: o.marginMs,
      coherent: o.coherent,
      metrics: this.metrics,
      logger: o.logger,
      onInvalidate: (tokens) => {
        this.metrics.entriesInvalidated += this.rows.invalidate(tokens);
      },
      onLapse: () => this.rows.clear(),
      fence: o.fence,
    });
    this.entries = this.#entryCache();
  }

  #entryCache(): EntryCache {
    const tokens = this.rows.tokens;
    const m = this.metrics;
    const redis = this.redis;
    return {
      get epoch() {
        return tokens.epoch;
      },
      get<V>(kind: EntryKind, key: string): V | undefined {
        const found = redis.leaseValid ? tokens.get<V>(key) : undefined;
        const counts = m.entries[kind];
        if (found === undefined) counts.misses++;
        else counts.hits++;
        return found;
      },
      install(key: string, value: unknown, bytes: number, names: readonly string[], e0: number): boolean {
        if (!redis.leaseValid || !tokens.mayInstall(names, e0)) {
          m.staleInstallRefusals++;
          return false;
        }
        tokens.install(key, value, bytes, names);
        m.installs++;
        return true;
      },
    };
  }

  start(): Promise<void> {
    return this.redis.start();
  }

  stop(): Promise<void> {
    return this.redis.stop();
  }

  /** The rows of these keys held in memory, and the keys missed (counted). */
  #fromMemory(keys: readonly InodeKey[]): { found: Map<string, InodeRow>; served: InodeRow[]; missed: InodeKey[] } {
    const found = new Map<string, InodeRow>();
    const served: InodeRow[] = [];
    const missed: InodeKey[] = [];
    for (const k of keys) {
      const key = keyOf(k);
      const row = this.rows.get(key);
      if (row) {
        found.set(key, row);
        served.push(row);
      } else {
        missed.push(k);
      }
    }
    this.metrics.hits += served.length;
    this.metrics.misses += missed.length;
    return { found, served, missed };
  }

  async lookupForWrite(keys: readonly InodeKey[], peek: RowLookup): Promise<Map<string, InodeRow>> {
    if (!this.redis.leaseValid) {
      this.metrics.bypasses++;
      return peek(keys);
    }
    const { found, missed } = this.#fromMemory(keys);
    if (missed.length === 0) return found;
    this.metrics.writeResolutionPeeks += missed.length;
    for (const [key, row] of await peek(missed)) found.set(key, row);
    return found;
  }

  async lookup(keys: readonly InodeKey[], load: RowLookup, peek: RowLookup): Promise<Map<string, InodeRow>> {
    const m = this.metrics;
    if (!this.redis.leaseValid) {
      m.bypasses++;
      return peek(keys);
    }
    const { found, served, missed } = this.#fromMemory(keys);
    if (missed.length === 0) return found;
    const e0 = this.rows.epoch;
    const loaded = await load(missed);
    // The answer must be one state: rows served from memory must still be current when the others were read.
    if (!this.redis.leaseValid || served.some((r) => this.rows.invalidatedSince(r, e0))) {
      m.rereads++;
      return peek(keys);
    }
    for (const [key, row] of loaded) {
      found.set(key, row);
      if (this.rows.mayInstall(row, e0)) {
        this.rows.install(row);
        m.installs++;
      } else {
        m.staleInstallRefusals++;
      }
    }
    // Absent, or locked by a writer not yet committed: its committed row (or none) is the answer, not kept.
    const unanswered = missed.filter((k) => !loaded.has(keyOf(k)));
    if (unanswered.length === 0) return found;
    m.lockedOrAbsentPeeks += unanswered.length;
    for (const [key, row] of await peek(unanswered)) found.set(key, row);
    return found;
  }

  forget(rows: readonly InodeRow[]): void {
    this.rows.invalidate(rows.map((r) => idToken(r.id)));
  }

  async invalidate(tokens: readonly string[]): Promise<void> {
    this.metrics.entriesInvalidated += this.rows.invalidate(tokens);
    // The statements ran: the rows are locked until COMMIT, and a namenode that joins from now on reads them locked or committed.
    if (this.redis.soleHolder) {
      this.metrics.soleHolderWrites++;
      return;
    }
    await this.redis.publish(tokens);
  }

  /**
   * The listings a write dropped, as its changes leave them: whole listings
   * only (not `too large`), and not beyond `maxListingEntries`. A child the
   * write removed or moved is named by its key token, one it changed or
   * added by its id token, and those still under the directory were read back.
   */
  #patchedListings(listings: readonly { key: string; value: unknown }[], readBack: readonly InodeRow[], own: ReadonlySet<string>): { key: string; entry: InodeRow[]; tokens: string[] }[] {
    const out: { key: string; entry: InodeRow[]; tokens: string[] }[] = [];
    if (listings.length === 0) return out;
    const changedIds = new Set(idsOfTokens([...own]));
    for (const { key, value } of listings) {
      if (!Array.isArray(value)) continue;
      const parentId = parentOfListingKey(key);
      const prefix = `k${parentId}/`;
      const removed = new Set<string>();
      for (const t of own) if (t.startsWith(prefix)) removed.add(t.slice(prefix.length));
      const entry = patchedListing(parentId, value as InodeRow[], removed, changedIds, readBack);
      if (entry.length > this.#maxListingEntries) continue;
      out.push({ key, entry, tokens: listingTokens(parentId) });
    }
    return out;
  }

  async commitWrite(tokens: readonly string[], fenced: boolean, steps: WriteSteps): Promise<void> {
    if (fenced && this.redis.fenced && this.redis.soleHolder) {
      // Decided before any namenode that joins later is known here: that join's fence waits for this transaction.
      this.metrics.soleHolderWrites++;
      this.metrics.foldedCommits++;
      // The listings the hold drops: the committed state of their directories now (README.md, *Writer's rows*).
      const listings = this.rows.tokens.named(tokens, isListingKey);
      this.metrics.entriesInvalidated += this.rows.tokens.hold(tokens);
      const heldAt = this.rows.epoch;
      let changed: readonly InodeRow[] | undefined;
      try {
        changed = await steps.writeAndCommit();
      } finally {
        // What the write read back under its own locks is the committed state: kept unless another write or a lapse came between.
        const own = new Set(tokens);
        const kept = (changed ?? []).filter((r) => this.rows.keptByWriter(r, heldAt, own));
        const patched = changed ? this.#patchedListings(listings, changed, own).filter((l) => this.rows.tokens.keptByWriter(l.tokens, heldAt, own)) : [];
        this.metrics.entriesInvalidated += this.rows.tokens.release(tokens);
        if (this.redis.leaseValid) {
          for (const r of kept) this.rows.install(r);
          for (const l of patched) this.rows.tokens.install(l.key, l.entry, listingBytes(l.entry), l.tokens);
          this.metrics.writerInstalls += kept.length;
          this.metrics.writerListings += patched.length;
        }
      }
      return;
    }
    await steps.write();
    await this.invalidate(tokens);
    await steps.commit();
  }
}
