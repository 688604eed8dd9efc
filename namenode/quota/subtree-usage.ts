import { isDirectory, isFile, type InodeRow } from '../dal/inode-row';
import type { Block } from '../domain/located-blocks';
import { sumUsage, usageOf, type Charge, type QuotaDim } from '../domain/quota';
import { effectiveStoragePolicy } from '../domain/storage-policies';
import type { QueryRunner } from '../tx/tx-contexts';
import { fileBytes, inodeCharge } from './file-charge';

const OPEN_FILES_PER_ROUND_TRIP = 200;

/** The blocks of the open files among `rows`, 200 files a round trip. */
async function openFilesBlocks(db: QueryRunner, rows: readonly InodeRow[]): Promise<Map<number, Block[]>> {
  const open = rows.filter((r) => isFile(r) && r.ucClient !== null);
  const blocks = new Map<number, Block[]>();
  for (let i = 0; i < open.length; i += OPEN_FILES_PER_ROUND_TRIP) {
    const chunk = open.slice(i, i + OPEN_FILES_PER_ROUND_TRIP);
    const found = await db.runAll(chunk.map((f) => db.dal.blocks.findByInode(f.id)));
    chunk.forEach((f, j) => blocks.set(f.id, found[j] as Block[]));
  }
  return blocks;
}

/**
 * The charges of `rows` (every row after its parent); `policies` holds the
 * effective storage policy of the directories already seen and gains those
 * of the directories among `rows`. `rootPolicy`, for the row `rootId`.
 */
async function chargesOf(db: QueryRunner, rows: readonly InodeRow[], policies: Map<number, number>, rootId?: number, rootPolicy = 0): Promise<Charge[]> {
  const blocks = await openFilesBlocks(db, rows);
  return rows.map((r) => {
    const own = r.id === rootId ? rootPolicy : effectiveStoragePolicy([policies.get(r.parentId) ?? 0, r.storagePolicy]);
    if (isDirectory(r)) policies.set(r.id, own);
    return inodeCharge(r, own, isFile(r) ? fileBytes(r, blocks.get(r.id)) : 0);
  });
}

/**
 * The usage of a subtree, every dimension, as HDFS's computeQuotaUsage
 * counts it: one namespace entry per inode, files at their replication
 * under their effective storage policy, open files' blocks being written
 * at the preferred block size. `rows` come root first, every row after its
 * parent (ops/subtree.ts's walk order); `policy` is the storage policy the
 * root lives under. Open files' blocks are read, 200 files a round trip.
 */
export async function usageOfRows(db: QueryRunner, rows: readonly InodeRow[], policy: number): Promise<Map<QuotaDim, number>> {
  const root = rows[0];
  if (!root) return new Map();
  return usageOf(await chargesOf(db, rows, new Map(), root.id, policy));
}

/**
 * The usage of a subtree too big for one transaction, counted page by page
 * as a paged walk (ops/subtree-walk.ts) reads it: each page inside the
 * transaction that read it (its open files' blocks with it), parents'
 * pages before their children's. Memory: the usage and one storage policy
 * per directory.
 */
export class UsageTally {
  readonly #policies = new Map<number, number>();
  #usage: Map<QuotaDim, number>;

  /** Starts with `root` itself; `policy` is its effective storage policy (as usageOfRows takes it). */
  constructor(root: InodeRow, policy: number) {
    this.#usage = usageOf([inodeCharge(root, policy)]);
    this.#policies.set(root.id, policy);
  }

  /**
   * Counts one page of children in `db`'s transaction; answers what adds
   * it to the tally, to call once that transaction committed (a
   * transaction that runs again counts its page again).
   */
  async countPage(db: QueryRunner, rows: readonly InodeRow[]): Promise<() => void> {
    const page = usageOf(await chargesOf(db, rows, this.#policies));
    return () => {
      this.#usage = sumUsage(this.#usage, page);
    };
  }

  get usage(): ReadonlyMap<QuotaDim, number> {
    return this.#usage;
  }
}
