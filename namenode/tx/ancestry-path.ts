import { ROOT_INODE_ID } from '../../schema/tables';
import type { InodeRow } from '../dal/inode-row';
import type { LockedPath } from './lock-plan';

/**
 * A row's ancestry (root first, as InodeRepository.findAncestryById reads
 * it) as the locked path a path operation would have held, so a
 * transaction on an inode known by id can name the rows it changes;
 * undefined when the chain does not reach the root (a row removed meanwhile).
 */
export function lockedPathOfAncestry(rows: readonly InodeRow[]): LockedPath | undefined {
  if (rows.length === 0 || rows[0]?.id !== ROOT_INODE_ID) return undefined;
  const components = rows.slice(1).map((r) => r.name);
  return {
    path: { text: `/${components.join('/')}`, components },
    rows,
    target: rows[rows.length - 1],
    parent: rows[rows.length - 2],
    throughFile: false,
  };
}
