/**
 * A coherent cache's names for rows other than `inodes` rows (those are
 * inode-row.ts idToken/keyToken; see namenode/cache/README.md): every
 * mutation the data access layer builds names what it changes.
 */

/** The `blocks` and `replicas` rows of one file. */
export const fileBlocksToken = (inodeId: number): string => `b${inodeId}`;
/** A datanode's identity and administrative state, and every replica row it holds. */
export const datanodeToken = (uuid: string): string => `d${uuid}`;
/** The set of a directory's children and their rows (getListing). */
export const listingToken = (parentId: number): string => `l${parentId}`;

export const fileBlocksTokens = (inodeIds: Iterable<number>): string[] => [...new Set(inodeIds)].map(fileBlocksToken);

/**
 * SQL for `LOCK IN SHARE MODE` when a cache reads to install (the reader waits for writers between their statements and COMMIT);
 * `sharedNoWait` fails at once instead of waiting (isLockNotGranted), and the reader reads unlocked, installing nothing.
 */
export type ReadLock = 'none' | 'shared' | 'sharedNoWait';
export const readLockClause = (lock: ReadLock | undefined): string => (lock === 'shared' ? ' LOCK IN SHARE MODE' : lock === 'sharedNoWait' ? ' LOCK IN SHARE MODE NOWAIT' : '');
