import type { DbSession } from '../dal/db-session';
import type { FileBlockRowSet } from '../dal/block-repository';
import type { InodeRepository, LockMode } from '../dal/inode-repository';
import { keyOf, type InodeKey, type InodeRow } from '../dal/inode-row';

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
 * Cross-request coalescing of primary-key lookups (modelled on ioredis
 * auto-pipelining): lookups issued in the same tick by any number of
 * operations join one queue; the first schedules a flush with setImmediate;
 * the flush sends one multi-key SELECT (deduplicated) and hands each caller
 * the rows for its own keys. A failed query fails exactly its callers.
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
  #queue: Waiter[] = [];
  #scheduled = false;
  queries = 0;
  keysLookedUp = 0;

  constructor(db: DbSession, inodes: InodeRepository, lock: LockMode = 'none', withBlocks = false) {
    if (withBlocks && lock !== 'none') throw new Error('a lookup with blocks is unlocked');
    this.#db = db;
    this.#inodes = inodes;
    this.#lock = lock;
    this.#withBlocks = withBlocks;
  }

  async lookup(keys: readonly InodeKey[]): Promise<Map<string, InodeRow>> {
    return (await this.lookupWithFiles(keys)).rows;
  }

  lookupWithFiles(keys: readonly InodeKey[]): Promise<LookupAnswer> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ keys, resolve, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  #flush(): void {
    this.#scheduled = false;
    const waiters = this.#queue;
    this.#queue = [];
    let batch: Waiter[] = [];
    let batchKeys = new Map<string, InodeKey>();
    for (const w of waiters) {
      if (batchKeys.size > 0 && batchKeys.size + w.keys.length > MAX_KEYS_PER_QUERY) {
        void this.#send(batch, batchKeys);
        batch = [];
        batchKeys = new Map();
      }
      batch.push(w);
      for (const k of w.keys) batchKeys.set(keyOf(k), k);
    }
    if (batch.length > 0) void this.#send(batch, batchKeys);
  }

  async #send(waiters: readonly Waiter[], keys: Map<string, InodeKey>): Promise<void> {
    this.queries++;
    this.keysLookedUp += keys.size;
    try {
      const wanted = [...keys.values()];
      const { rows, files } = this.#withBlocks
        ? await this.#db.run(this.#inodes.findByPkWithBlocksBatched(wanted))
        : { rows: await this.#db.run(this.#inodes.findByPkBatched(wanted, this.#lock)), files: NO_FILES };
      const found = new Map<string, InodeRow>();
      for (const row of rows) found.set(keyOf(row), row);
      for (const w of waiters) {
        const mine = new Map<string, InodeRow>();
        for (const k of w.keys) {
          const row = found.get(keyOf(k));
          if (row) mine.set(keyOf(k), row);
        }
        w.resolve({ rows: mine, files });
      }
    } catch (e) {
      for (const w of waiters) w.reject(e);
    }
  }
}
