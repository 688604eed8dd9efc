import { subtreeLocked } from '../errors';
import type { InodeRow } from '../dal/inode-row';
import type { FleetMembership } from './fleet-membership';

/** The live namenode holding a subtree lock on `row`, unless it is the caller's own (`ownedRoot`). */
export function liveLockOwner(row: InodeRow, membership: FleetMembership, ownedRoot?: number): number | undefined {
  const owner = row.subtreeLockOwner;
  if (owner === null || owner === undefined) return undefined;
  if (row.id === ownedRoot && owner === membership.selfId) return undefined;
  return membership.isLive(owner) ? owner : undefined;
}

/**
 * A write whose path goes through (or ends at) the root of a subtree that a
 * live namenode's big delete or rename holds is refused with Hadoop's
 * RetriableException: the client retries once the operation is done. A
 * dead owner's lock is ignored (a delete works bottom-up and a rename moves
 * the root in one transaction, so the subtree is whole either way).
 */
export function refuseLockedSubtree(path: string, rows: readonly InodeRow[], membership: FleetMembership, ownedRoot?: number): void {
  for (const row of rows) {
    const owner = liveLockOwner(row, membership, ownedRoot);
    if (owner !== undefined) {
      throw subtreeLocked(`${path}: the subtree at inode ${row.id} is held by a delete or rename of namenode ${owner}; retry later`);
    }
  }
}
