import type { DbSession } from '../dal/db-session';
import type { FileBlockRowSet } from '../dal/block-repository';
import type { ChildPage, InodeRepository, LockMode, ReadBatch } from '../dal/inode-repository';
import { keyOf, type InodeKey, type InodeRow } from '../dal/inode-row';
import type { BatchedRead, ChildPageRequest } from './batched-reads';
import { FlightQueue, takeUpTo } from './flight-queue';

/** A lookup's rows by key, and (a `withBlocks` batcher's) the block rows of every file its batch found, by inode id. */
export interface LookupAnswer {
  readonly rows: Map<string, InodeRow>;
  readonly files: ReadonlyMap<number, FileBlockRowSet>;
}

interface KeysWaiter {
  readonly kind: 'keys';
  readonly keys: readonly InodeKey[];
  /** The block rows of the files among its rows wanted too (lookupWithFiles on a `withBlocks` batcher). */
  readonly withBlocks: boolean;
  resolve(answer: LookupAnswer): void;
  reject(e: unknown): void;
}

interface PageWaiter {
  readonly kind: 'page';
  readonly page: ChildPage;
  resolve(rows: InodeRow[]): void;
  reject(e: unknown): void;
}

type Waiter = KeysWaiter | PageWaiter;

/** A flight's answer: rows by key, files by inode id, pages by pageKey. */
interface FlightAnswer extends LookupAnswer {
  readonly pages: ReadonlyMap<string, InodeRow[]>;
}

const pageKey = (p: ChildPage): string => `${p.parentId}/${p.limit}/${p.startAfter}`;
/** A page weighs this many keys in a flight's budget: up to 200 pages (of up to listingLimit rows each) in one statement, as before. */
const PAGE_WEIGHT = 2;

const NO_FILES: ReadonlyMap<number, FileBlockRowSet> = new Map();

/** Largest number of keys one SELECT carries. */
const MAX_KEYS_PER_QUERY = 400;

/**
 * Lookups at the database at once, per batcher. Measured (bench fleet
 * section, fileStatus through haproxy, 32 threads, 2 cores): with 1, 0.08
 * statements per fileStatus with one namenode and 0.19-0.20 with two,
 * against 0.15-0.18 and 0.29-0.31 with no limit; 2 and 4 fell between.
 * Two namenodes still cost about twice one's: a namenode's batch follows
 * the clients it serves (one namenode with 16 threads costs what each of
 * two with 32 between them does), not its peer's background statements.
 */
export const LOOKUP_BATCHES_IN_FLIGHT = 1;

/**
 * Cross-request coalescing of primary-key lookups (modelled on ioredis
 * auto-pipelining): lookups issued in the same tick by any number of
 * operations join one queue; the first schedules a flush with setImmediate;
 * the flush sends one multi-key SELECT (deduplicated) and hands each caller
 * the rows for its own keys. A failed query fails exactly its callers.
 * While `maxInFlight` lookups are at the database the rest wait and join
 * the next one (FlightQueue): a batch is what arrived during a round trip,
 * not during one turn of the event loop, so a namenode that gets half the
 * clients (two behind haproxy) still sends full batches.
 *
 * Only autocommit reads go through here: unlocked ones, or (for a
 * coherent cache's misses) shared-lock ones that wait for writers' COMMIT;
 * reads in a transaction belong to its connection and are never shared.
 * `withBlocks` (unlocked only): `lookupWithFiles` has the same SELECT
 * joined with the blocks and replicas of the files it finds
 * (getBlockLocations' resolution), so an open costs one statement per batch
 * instead of three; plain lookups waiting at the same time (getFileInfo,
 * getListing, writes' resolutions) go in that statement too, without
 * blocks, so a mix of reads makes one flight, not one per kind.
 */
export class LookupBatcher {
  readonly #db: DbSession;
  readonly #inodes: InodeRepository;
  readonly #lock: LockMode;
  readonly #withBlocks: boolean;
  readonly #queue: FlightQueue<Waiter, FlightAnswer>;
  keysLookedUp = 0;

  constructor(db: DbSession, inodes: InodeRepository, lock: LockMode = 'none', withBlocks = false, maxInFlight = LOOKUP_BATCHES_IN_FLIGHT) {
    if (withBlocks && lock !== 'none') throw new Error('a lookup with blocks is unlocked');
    this.#db = db;
    this.#inodes = inodes;
    this.#lock = lock;
    this.#withBlocks = withBlocks;
    this.#queue = new FlightQueue<Waiter, FlightAnswer>(
      (batch) => this.#send(batch),
      settle,
      takeUpTo(MAX_KEYS_PER_QUERY, (w) => (w.kind === 'keys' ? w.keys.length : PAGE_WEIGHT)),
      maxInFlight,
    );
  }

  /** SELECTs sent. */
  get queries(): number {
    return this.#queue.batches;
  }

  async lookup(keys: readonly InodeKey[]): Promise<Map<string, InodeRow>> {
    return (await this.#push(keys, false)).rows;
  }

  /** The rows, and (a `withBlocks` batcher's) the block rows of the files among them. */
  lookupWithFiles(keys: readonly InodeKey[]): Promise<LookupAnswer> {
    return this.#push(keys, this.#withBlocks);
  }

  /**
   * getListing's pages of `limit` rows (unlocked batchers only), in the
   * same flights as the lookups: a listing's page read waits for the
   * flight its resolution's lookup would have waited for anyway, and adds
   * no statement of its own.
   */
  pageReads(limit: number): BatchedRead<ChildPageRequest, InodeRow[]> {
    if (this.#lock !== 'none') throw new Error('page reads are unlocked');
    return { get: ({ parentId, startAfter }) => new Promise((resolve, reject) => this.#queue.push({ kind: 'page', page: { parentId, startAfter, limit }, resolve, reject })) };
  }

  #push(keys: readonly InodeKey[], withBlocks: boolean): Promise<LookupAnswer> {
    return new Promise((resolve, reject) => this.#queue.push({ kind: 'keys', keys, withBlocks, resolve, reject }));
  }

  async #send(waiters: readonly Waiter[]): Promise<FlightAnswer> {
    const blockKeys = new Map<string, InodeKey>();
    const plainKeys = new Map<string, InodeKey>();
    const pages = new Map<string, ChildPage>();
    for (const w of waiters) {
      if (w.kind === 'page') pages.set(pageKey(w.page), w.page);
      else for (const k of w.keys) (w.withBlocks ? blockKeys : plainKeys).set(keyOf(k), k);
    }
    for (const key of blockKeys.keys()) plainKeys.delete(key);
    this.keysLookedUp += blockKeys.size + plainKeys.size;
    const { rows, files, pages: paged } = await this.#query([...blockKeys.values()], [...plainKeys.values()], [...pages.values()]);
    const found = new Map<string, InodeRow>();
    for (const row of rows) found.set(keyOf(row), row);
    const byPage = new Map<string, InodeRow[]>();
    [...pages.keys()].forEach((key, i) => byPage.set(key, paged[i] ?? []));
    return { rows: found, files, pages: byPage };
  }

  /** The flight's one statement: the simplest that answers it (fileStatus and open alone send what they sent before pages joined). */
  async #query(blockKeys: readonly InodeKey[], plainKeys: readonly InodeKey[], pages: readonly ChildPage[]): Promise<ReadBatch> {
    if (pages.length > 0) return this.#db.run(this.#inodes.findByPkAndChildPagesBatched(blockKeys, plainKeys, pages));
    if (blockKeys.length > 0) return { ...(await this.#db.run(this.#inodes.findByPkWithBlocksBatched(blockKeys, plainKeys))), pages: [] };
    return { rows: await this.#db.run(this.#inodes.findByPkBatched(plainKeys, this.#lock)), files: NO_FILES, pages: [] };
  }
}

/** Each waiter's own rows (or page) out of its batch's answer. */
function settle(waiters: readonly Waiter[], { rows, files, pages }: FlightAnswer): void {
  for (const w of waiters) {
    if (w.kind === 'page') {
      w.resolve(pages.get(pageKey(w.page)) ?? []);
      continue;
    }
    const mine = new Map<string, InodeRow>();
    for (const k of w.keys) {
      const row = rows.get(keyOf(k));
      if (row) mine.set(keyOf(k), row);
    }
    w.resolve({ rows: mine, files });
  }
}
