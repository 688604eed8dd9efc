import type { InodeRow } from '../dal/inode-row';
import { ROOT_PARENT_ID } from '../../schema/tables';
import type { QueryRunner } from '../tx/tx-contexts';
import type { QuotaDir } from './usage-ledger';

/**
 * The quota directories above an inode known only by id (lease recovery
 * closes files by id, not by path): its ancestors read upwards, one
 * primary-key read per level, deepest first.
 */
export async function quotaDirsAbove(db: QueryRunner, inode: InodeRow): Promise<QuotaDir[]> {
  const up: InodeRow[] = [];
  for (let id = inode.parentId; id !== ROOT_PARENT_ID; ) {
    const [row] = await db.run(db.dal.inodes.findByIdBatched([id], 'none'));
    if (!row) break;
    up.push(row);
    id = row.parentId;
  }
  const names = up.map((r) => r.name).reverse();
  return up.flatMap((r, i) => (r.hasQuota ? [{ id: r.id, path: `/${names.slice(1, names.length - i).join('/')}` }] : []));
}
