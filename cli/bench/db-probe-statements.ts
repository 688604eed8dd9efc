/**
 * The SQL the bench sends to measure the database itself: its ceilings
 * (one primary-key read, one small locking transaction, on the inodes
 * table as a namenode would touch it) and its statement counters. These are
 * measurement probes run beside a namenode, not namespace access: the
 * namenode's own SQL lives in its data access layer only. Parameterised,
 * like every statement of ours.
 */

/** Existing (parent_id, name) keys to look up: LIMIT ?. */
export const SAMPLE_INODE_KEYS = 'SELECT parent_id, name FROM inodes WHERE parent_id > 0 LIMIT ?';

/** A row of SAMPLE_INODE_KEYS, kept in the driver's form (name as the raw bytes) for POINT_SELECT. */
export const toSampledKey = (r: Readonly<Record<string, unknown>>): { parentId: number; name: Buffer } => ({ parentId: Number(r['parent_id']), name: r['name'] as Buffer });

/** One inode by primary key, with the columns a getFileInfo reads: parent_id = ?, name = ?. */
export const POINT_SELECT =
  'SELECT id, type, permission, owner, group_name, mtime, atime, replication, block_size, length FROM inodes WHERE parent_id = ? AND name = ?';

/** The same read holding the row lock, as a namespace write's lock phase does. */
export const POINT_SELECT_FOR_UPDATE = `${POINT_SELECT} FOR UPDATE`;

/**
 * The smallest write on the locked row: mtime = ?, parent_id = ?, name = ?.
 * mtime, not atime: a row's stored status bytes (status_head/tail, which
 * this probe cannot rewrite) hold its atime but not its mtime.
 */
export const TOUCH_INODE_MTIME = 'UPDATE inodes SET mtime = ? WHERE parent_id = ? AND name = ?';

export const BEGIN = 'BEGIN';
export const COMMIT = 'COMMIT';
export const ROLLBACK = 'ROLLBACK';

/** Server-wide counters by name; one `?` per name. */
export function showGlobalStatus(names: number): string {
  return `SHOW GLOBAL STATUS WHERE Variable_name IN (${Array.from({ length: names }, () => '?').join(',')})`;
}

/** InnoDB's purge backlog (undo log history not yet purged) from the metrics table: NAME = ?. */
export const INNODB_METRIC = 'SELECT COUNT AS value FROM information_schema.INNODB_METRICS WHERE NAME = ?';
