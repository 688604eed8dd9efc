import { isDirectory, type InodeRow } from '../dal/inode-row';
import { NamesystemError } from '../errors';
import type { QueryRunner } from '../tx/tx-contexts';

const PARENTS_PER_QUERY = 500;

/**
 * Thrown inside a one-transaction delete or rename whose subtree turns out
 * to hold more than the threshold: the transaction rolls back and the
 * operation runs again as a subtree operation. Never leaves the namesystem.
 */
export class SubtreeTooBig extends NamesystemError {
  constructor() {
    super('IO', 'the subtree holds more inodes than one transaction may touch');
  }
}

/**
 * Walks the subtree under `root` breadth first, one batched query per level
 * (at most 500 directories a query), and hands each level's rows to
 * `visit`. The caller holds a lock on `root` that keeps writers out of the
 * subtree (every write share-locks its ancestors). Before each query the
 * directories' child counts say how many rows it will bring: past
 * `maxRows` in all, SubtreeTooBig, before the rows are read.
 */
export async function walkSubtree(
  root: InodeRow,
  db: QueryRunner,
  visit: (rows: readonly InodeRow[]) => void,
  maxRows = Infinity,
): Promise<void> {
  let frontier = isDirectory(root) ? [root] : [];
  let expected = 0;
  while (frontier.length > 0) {
    const next: InodeRow[] = [];
    for (let i = 0; i < frontier.length; i += PARENTS_PER_QUERY) {
      const parents = frontier.slice(i, i + PARENTS_PER_QUERY);
      expected += parents.reduce((n, d) => n + d.children, 0);
      if (expected > maxRows) throw new SubtreeTooBig();
      const rows = await db.run(db.dal.inodes.findChildrenByParentsBatched(parents.map((d) => d.id)));
      visit(rows);
      for (const r of rows) if (isDirectory(r)) next.push(r);
    }
    frontier = next;
  }
}
