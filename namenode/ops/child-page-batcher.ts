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

/**
 * Rows one statement of pages reads at most, by the pages' expected rows
 * (ChildPageRequest.rows): many pages in one statement are one MariaDB
 * thread's work while the namenode waits for all of them; several smaller
 * statements run on both cores and answer in turn. listStatus, 32 threads on
 * one connection, directories of 50 files: 4 pages a statement against all
 * of a tick's in one, 25 % → 6 % of both cores idle (bench/README.md,
 * stop 42).
 */
export const ROWS_PER_PAGE_STATEMENT = 200;

/** A page's weight in a statement: the rows it expects (a page when unknown), at least one. */
const rowsOf = (limit: number) => (r: ChildPageRequest): number => Math.max(1, Math.min(r.rows ?? limit, limit));

/** The same pages as each child's stored status bytes (getListing for Hadoop IPC without a coherent cache). */
export function childStatusBatcher(db: DbSession, dal: Repositories, limit: number): TickBatcher<ChildPageRequest, StoredStatus[]> {
  return new TickBatcher(
    async (requests) => {
      const pages = await db.run(dal.inodes.findChildStatusPagesBatched(requests, limit));
      return new Map(requests.map((r, i) => [keyOf(r), pages[i] ?? []]));
    },
    keyOf,
    ROWS_PER_PAGE_STATEMENT,
    Infinity,
    rowsOf(limit),
  );
}
