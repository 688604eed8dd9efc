import type { DbSession } from '../dal/db-session';
import type { InodeRow } from '../dal/inode-row';
import type { StoredStatus } from '../dal/inode-repository';
import type { Repositories } from '../dal/repositories';
import type { ChildPageRequest } from '../tx/batched-reads';
import { TickBatcher } from '../tx/tick-batcher';

/**
 * Pages one statement carries at most. A burst of listings (threads that
 * share a client connection, woken by one read) went as one statement of
 * up to 200 pages: MariaDB scanned them on one thread while the namenode
 * waited, then the namenode encoded them while MariaDB idled, a fifth of
 * the two cores unused. In flights of 16 pages the database answers on
 * both cores and the namenode encodes one flight's answer while the next
 * is scanned: listStatus at 128 threads on one connection 10,161–11,250 →
 * 11,691–14,570 calls/s, idle 20 % → 6–14 %; at 32 threads no change
 * (bench/README.md, stop 55).
 */
export const PAGES_PER_BATCH = 16;

const keyOf = (r: ChildPageRequest): string => `${r.parentId}/${r.startAfter}`;

/**
 * getListing's page reads coalesced across concurrent calls, as fileStatus
 * lookups are: the pages asked for in one tick in statements of at most
 * PAGES_PER_BATCH pages, all sent at once (ChildPagesSql: whole directories
 * as one IN-list range, other pages as UNION ALL members of `limit` rows).
 */
export function childPageBatcher(db: DbSession, dal: Repositories, limit: number): TickBatcher<ChildPageRequest, InodeRow[]> {
  return pageBatcher((pages) => db.run(dal.inodes.findChildPagesBatched(pages, limit)));
}

/** The same pages as each child's stored status bytes (getListing for Hadoop IPC without a coherent cache). */
export function childStatusBatcher(db: DbSession, dal: Repositories, limit: number): TickBatcher<ChildPageRequest, StoredStatus[]> {
  return pageBatcher((pages) => db.run(dal.inodes.findChildStatusPagesBatched(pages, limit)));
}

function pageBatcher<T>(read: (pages: readonly ChildPageRequest[]) => Promise<(T[] | undefined)[]>): TickBatcher<ChildPageRequest, T[]> {
  return new TickBatcher(async (requests) => {
    const pages = await read(requests);
    // Whole pages the statement's cap cut short (a directory grew since its row was read): read again as pages of `limit` rows.
    const cut = requests.filter((_, i) => pages[i] === undefined);
    const again = cut.length === 0 ? [] : await read(cut.map((r) => ({ parentId: r.parentId, startAfter: r.startAfter })));
    let next = 0;
    return new Map(requests.map((r, i) => [keyOf(r), pages[i] ?? again[next++] ?? []]));
  }, keyOf, PAGES_PER_BATCH);
}
