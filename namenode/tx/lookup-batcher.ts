import type { DbSession } from '../dal/db-session';
import type { FileBlockRowSet } from '../dal/block-repository';
import type { InodeRepository, LockMode } from '../dal/inode-repository';
import { keyOf, type InodeKey, type InodeRow } from '../dal/inode-row';
import { FlightQueue, takeUpTo } from './flight-queue';
import { BatchLinger, NO_LINGER, type LingerSettings } from './batch-linger';

/** A lookup's rows by key, and (a `withBlocks` batcher's) the block rows of every file its batch found, by inode id. */
export interface LookupAnswer {
  readonly rows: Map<string, InodeRow>;
  readonly files: ReadonlyMap<number, FileBlockRowSet>;
}

interface Waiter {
  readonly keys: readonly InodeKey[];
  resolve(answer: LookupAnswer): void;
  reject(e: unknown): void;
}

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
 * two with 32 between them does), not its peer's background statements;
 * hence the linger (batch-linger.ts): a short batch waits for company.
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
 * `withBlocks` (unlocked only): the same SELECT joined with the blocks and
 * replicas of the files it finds (getBlockLocations' resolution), so an
 * open costs one statement per batch instead of three.
 */
export class LookupBatcher {
  readonly #db: DbSession;
  readonly #inodes: InodeRepository;
  readonly #lock: LockMode;
  readonly #withBlocks: boolean;
  readonly #queue: FlightQueue<Waiter, LookupAnswer>;
  /** When a short batch waits for more lookups before it goes. */
  readonly linger: BatchLinger;
  keysLookedUp = 0;

  constructor(
    db: DbSession,
    inodes: InodeRepository,
    lock: LockMode = 'none',
    withBlocks = false,
    maxInFlight = LOOKUP_BATCHES_IN_FLIGHT,
    linger: LingerSettings = NO_LINGER,
  ) {
    if (withBlocks && lock !== 'none') throw new Error('a lookup with blocks is unlocked');
    this.#db = db;
    this.#inodes = inodes;
    this.#lock = lock;
    this.#withBlocks = withBlocks;
    this.linger = new BatchLinger(linger);
    this.#queue = new FlightQueue<Waiter, LookupAnswer>(
      (batch) => this.#send(batch),
      settle,
      takeUpTo(MAX_KEYS_PER_QUERY, (w) => w.keys.length),
      maxInFlight,
      this.linger,
    );
  }

  /** SELECTs sent. */
  get queries(): number {
    return this.#queue.batches;
  }

  async lookup(keys: readonly InodeKey[]): Promise<Map<string, InodeRow>> {
    return (await this.lookupWithFiles(keys)).rows;
  }

  lookupWithFiles(keys: readonly InodeKey[]): Promise<LookupAnswer> {
    return new Promise((resolve, reject) => this.#queue.push({ keys, resolve, reject }));
  }

  async #send(waiters: readonly Waiter[]): Promise<LookupAnswer> {
    const keys = new Map<string, InodeKey>();
    for (const w of waiters) for (const k of w.keys) keys.set(keyOf(k), k);
    this.keysLookedUp += keys.size;
    const wanted = [...keys.values()];
    const { rows, files } = this.#withBlocks
      ? await this.#db.run(this.#inodes.findByPkWithBlocksBatched(wanted))
      : { rows: await this.#db.run(this.#inodes.findByPkBatched(wanted, this.#lock)), files: NO_FILES };
    const found = new Map<string, InodeRow>();
    for (const row of rows) found.set(keyOf(row), row);
    return { rows: found, files };
  }
}

/** Each waiter's own rows out of its batch's answer. */
function settle(waiters: readonly Waiter[], { rows, files }: LookupAnswer): void {
  for (const w of waiters) {
    const mine = new Map<string, InodeRow>();
    for (const k of w.keys) {
      const row = rows.get(keyOf(k));
      if (row) mine.set(keyOf(k), row);
    }
    w.resolve({ rows: mine, files });
  }
}
