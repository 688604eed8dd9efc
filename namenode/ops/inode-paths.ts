import type { InodeRow } from '../dal/inode-row';
import type { QueryRunner } from '../tx/tx-contexts';
import { ROOT_INODE_ID } from '../../schema/tables';

/** An inode found by id: its row, its full path, and its ancestors' ids, root first. */
export interface PlacedInode {
  readonly row: InodeRow;
  readonly path: string;
  readonly ancestorIds: readonly number[];
}

/**
 * Each inode with its full path, its ancestors read a level at a time for
 * all of them together (HDFS's getFullPathName walks in-memory parents).
 * An inode whose walk does not reach the root (a row deleted between two
 * reads) is left out.
 */
export async function placeInodes(reads: QueryRunner, ids: readonly number[]): Promise<Map<number, PlacedInode>> {
  const rows = new Map<number, InodeRow>();
  for (let wanted = [...new Set(ids)]; wanted.length > 0; ) {
    const found = await reads.run(reads.dal.inodes.findByIdBatched(wanted, 'none'));
    for (const r of found) rows.set(r.id, r);
    wanted = [...new Set(found.filter((r) => r.id !== ROOT_INODE_ID).map((r) => r.parentId))].filter((id) => !rows.has(id));
  }
  const out = new Map<number, PlacedInode>();
  for (const id of ids) {
    const row = rows.get(id);
    if (row === undefined) continue;
    const names: string[] = [];
    const ancestorIds: number[] = [];
    let r: InodeRow | undefined = row;
    for (; r !== undefined && r.id !== ROOT_INODE_ID; r = rows.get(r.parentId)) {
      names.unshift(r.name);
      if (r !== row) ancestorIds.unshift(r.id);
    }
    if (r === undefined) continue;
    if (row.id !== ROOT_INODE_ID) ancestorIds.unshift(ROOT_INODE_ID);
    out.set(id, { row, path: `/${names.join('/')}`, ancestorIds });
  }
  return out;
}
