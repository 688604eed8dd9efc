import type { DbSession } from '../dal/db-session';
import type { FileBlockRowSet } from '../dal/block-repository';
import type { InodeRepository, LockMode } from '../dal/inode-repository';
import { keyOf, type InodeKey, type InodeRow } from '../dal/inode-row';
import { FlightQueue, takeUpTo } from './flight-queue';
import { BatchLinger, NO_LINGER, type LingerSettings } from './batch-linger';
import { RowsByKey } from './rows-by-key';
import type { CallCount } from './call-count';

/** A lookup's rows, one per key in the keys' order (undefined where none exists), and (a `withBlocks` batcher's) the block rows of every file its batch found, by inode id. */
export interface LookupAnswer {
  readonly rows: readonly (InodeRow | undefined)[];
  readonly files: ReadonlyMap<number, FileBlockRowSet>;
}

interface Waiter {
  readonly keys: readonly InodeKey[];
  /** Handed its rows alone (rows()), or with the batch's files (lookupWithFiles()). */
  readonly answer: { rowsOnly: true; resolve(rows: readonly (InodeRow | undefined)[]): void } | { rowsOnly: false; resolve(answer: LookupAnswer): void };
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
 * Lookups at the database at once when the ones past the first each carry a
 * full batch (the linger's minBatch): a busy namenode's queue fills while
 * its one lookup is out, and that batch waiting idled both the namenode and
 * the database (fileStatus, 1 namenode, 32 threads: ~22 % of both cores idle).
 */
export const LOOKUP_FULL_BATCHES_IN_FLIGHT = 2;

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
  readonly #queue: FlightQueue<Waiter, BatchAnswer>;
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
    calls?: CallCount,
  ) {
    if (withBlocks && lock !== 'none') throw new Error('a lookup with blocks is unlocked');
    this.#db = db;
    this.#inodes = inodes;
    this.#lock = lock;
    this.#withBlocks = withBlocks;
    this.linger = new BatchLinger(linger);
    this.#queue = new FlightQueue<Waiter, BatchAnswer>(
      (batch) => this.#send(batch),
      settle,
      takeUpTo(MAX_KEYS_PER_QUERY, (w) => w.keys.length),
      maxInFlight,
      this.linger,
      linger.maxMs > 0 ? LOOKUP_FULL_BATCHES_IN_FLIGHT : maxInFlight,
      calls,
    );
  }

  /** SELECTs sent. */
  get queries(): number {
    return this.#queue.batches;
  }

  /** The rows of these keys, one per key in order (undefined where none exists). Not async: the waiter's own promise is the answer (every read's resolution waits on it). */
  rows(keys: readonly InodeKey[]): Promise<readonly (InodeRow | undefined)[]> {
    return new Promise((resolve, reject) => this.#queue.push({ keys, answer: { rowsOnly: true, resolve }, reject }));
  }

  /** The rows of these keys by keyOf (a coherent cache's shape). */
  async lookup(keys: readonly InodeKey[]): Promise<Map<string, InodeRow>> {
    const rows = await this.rows(keys);
    const out = new Map<string, InodeRow>();
    rows.forEach((row, i) => row && out.set(keyOf(keys[i] as InodeKey), row));
    return out;
  }

  lookupWithFiles(keys: readonly InodeKey[]): Promise<LookupAnswer> {
    return new Promise((resolve, reject) => this.#queue.push({ keys, answer: { rowsOnly: false, resolve }, reject }));
  }

  async #send(waiters: readonly Waiter[]): Promise<BatchAnswer> {
    // Deduplicated by parent id, then name: no key text is built (a name's hash is computed once, on its own string).
    const seen = new Map<number, Set<string>>();
    const wanted: InodeKey[] = [];
    for (const w of waiters) {
      for (const k of w.keys) {
        let names = seen.get(k.parentId);
        if (names === undefined) seen.set(k.parentId, (names = new Set()));
        else if (names.has(k.name)) continue;
        names.add(k.name);
        wanted.push(k);
      }
    }
    this.keysLookedUp += wanted.length;
    const { rows, files } = this.#withBlocks
      ? await this.#db.run(this.#inodes.findByPkWithBlocksBatched(wanted))
      : { rows: await this.#db.run(this.#inodes.findByPkBatched(wanted, this.#lock)), files: NO_FILES };
    const found = new RowsByKey(rows);
    return { found, files };
  }
}

/** A batch's rows by parent id and name, and its files' block rows. */
interface BatchAnswer {
  readonly found: RowsByKey;
  readonly files: ReadonlyMap<number, FileBlockRowSet>;
}

/** Each waiter's own rows out of its batch's answer, in its keys' order. */
function settle(waiters: readonly Waiter[], { found, files }: BatchAnswer): void {
  for (const w of waiters) {
    const mine = new Array<InodeRow | undefined>(w.keys.length);
    for (let i = 0; i < w.keys.length; i++) {
      const k = w.keys[i] as InodeKey;
      mine[i] = found.get(k);
    }
    if (w.answer.rowsOnly) w.answer.resolve(mine);
    else w.answer.resolve({ rows: mine, files });
  }
}
