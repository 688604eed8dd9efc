import { isDirectory, type InodeRow } from '../dal/inode-row';
import type { QueryRunner } from '../tx/tx-contexts';

const PARENTS_PER_QUERY = 500;

/**
 * Walks the subtree under `root` breadth first, one batched query per level
 * (at most 500 directories a query), and hands each level's rows to
 * `visit`. The caller holds a lock on `root` that keeps writers out of the
 * subtree (every write share-locks its ancestors).
 */
export async function walkSubtree(
  root: InodeRow,
  db: QueryRunner,
  visit: (rows: readonly InodeRow[]) => void,
): Promise<void> {
  let frontier = isDirectory(root) ? [root.id] : [];
  while (frontier.length > 0) {
    const next: number[] = [];
    for (let i = 0; i < frontier.length; i += PARENTS_PER_QUERY) {
      const rows = await db.run(db.dal.inodes.findChildrenByParentsBatched(frontier.slice(i, i + PARENTS_PER_QUERY)));
      visit(rows);
      for (const r of rows) if (isDirectory(r)) next.push(r.id);
    }
    frontier = next;
  }
}
