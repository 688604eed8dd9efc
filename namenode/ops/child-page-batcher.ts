import type { DbSession } from '../dal/db-session';
import type { InodeRow } from '../dal/inode-row';
import type { StoredStatus } from '../dal/inode-repository';
import type { Repositories } from '../dal/repositories';
import type { ChildPageRequest } from '../tx/batched-reads';
import { TickBatcher } from '../tx/tick-batcher';


const keyOf = (r: ChildPageRequest): string => `${r.parentId}/${r.startAfter}`;

/**
 * getListing's page reads coalesced across concurrent calls, as fileStatus
 * lookups are: every page asked for in one tick in one statement (a UNION
 * of per-directory index range scans of `limit` rows each).
 */
export function childPageBatcher(db: DbSession, dal: Repositories, limit: number): TickBatcher<ChildPageRequest, InodeRow[]> {
  return new TickBatcher(async (requests) => {
    const pages = await db.run(dal.inodes.findChildPagesBatched(requests, limit));
    return new Map(requests.map((r, i) => [keyOf(r), pages[i] ?? []]));
  }, keyOf);
}

/** The same pages as each child's stored status bytes (getListing for Hadoop IPC without a coherent cache). */
export function childStatusBatcher(db: DbSession, dal: Repositories, limit: number): TickBatcher<ChildPageRequest, StoredStatus[]> {
  return new TickBatcher(async (requests) => {
    const pages = await db.run(dal.inodes.findChildStatusPagesBatched(requests, limit));
    return new Map(requests.map((r, i) => [keyOf(r), pages[i] ?? []]));
  }, keyOf);
}
