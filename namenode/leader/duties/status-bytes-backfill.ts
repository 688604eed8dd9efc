import type { InodeKey, InodeRow } from '../../dal/inode-row';
import type { OpContext } from '../../tx/op-context';

/** Keys walked per round: one bounded primary-key range of key columns. */
export const BACKFILL_KEYS_PER_ROUND = 5_000;
/** Rows read and filled per statement. */
const ROWS_PER_STATEMENT = 500;
/** Before the root's key (parent 0, empty name): the walk starts after it. */
const START: InodeKey = { parentId: 0, name: '' };

/**
 * Fills the status bytes (inodes.status_head / status_tail, schema v16) of
 * rows written before the namenode kept them: a listing reads such a
 * directory's page as whole rows (namenode/ops/status.ts) until every child
 * has its bytes. Every write since v16 keeps a row's bytes, so only rows
 * that no write touched since the upgrade have none.
 *
 * The leader walks the whole table in key order, BACKFILL_KEYS_PER_ROUND
 * keys a housekeeping round (key columns only), reads the rows without
 * bytes and writes theirs, each write guarded by `status_head IS NULL`: a
 * row written between this read and that write keeps its own, newer bytes.
 * A walk that reached the end is not repeated while this namenode lives;
 * a new leader walks once more (a fully kept table costs it one read of
 * its keys, spread over rounds).
 */
export class StatusBytesBackfill {
  #after: InodeKey = START;
  #done = false;
  /** Rows this namenode gave their bytes, over its walks. */
  filled = 0;

  get done(): boolean {
    return this.#done;
  }

  /** One round: the rows filled (0 once the walk is over). */
  async round(ctx: OpContext, keysPerRound = BACKFILL_KEYS_PER_ROUND): Promise<number> {
    if (this.#done) return 0;
    const page = await ctx.runner.query('statusBytesBackfill', ctx.dal.inodes.findKeysAfter(this.#after, keysPerRound));
    const unkept = page.filter((k) => !k.kept).map((k) => k.key);
    let filled = 0;
    for (let i = 0; i < unkept.length; i += ROWS_PER_STATEMENT) {
      const keys = unkept.slice(i, i + ROWS_PER_STATEMENT);
      const rows: InodeRow[] = await ctx.runner.query('statusBytesBackfill', ctx.dal.inodes.findByPkBatched(keys, 'none'));
      if (rows.length === 0) continue;
      const [n] = await ctx.runner.mutate('statusBytesBackfill', [ctx.dal.inodes.fillStatusBytes(rows)]);
      filled += n ?? 0;
    }
    const last = page[page.length - 1];
    if (last) this.#after = last.key;
    if (page.length < keysPerRound) this.#done = true;
    this.filled += filled;
    return filled;
  }
}
