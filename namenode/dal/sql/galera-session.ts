import type { SqlSession } from './sql-session';

/**
 * Galera's two departures from one InnoDB server that a namenode must
 * know of.
 *
 * 1. A write set is applied on the other nodes after the writer's COMMIT
 *    returns: a plain read on another node may miss a write already
 *    acknowledged to a client (seen: 10 of 10,107 getFileInfo calls through
 *    a namenode on one node missed a mkdirs or setPermission acknowledged
 *    through a namenode on another, `test/galera/galera-cross-node-reads.test.ts`).
 *    `wsrep_sync_wait = 1` makes each read statement (SELECT, SHOW, BEGIN)
 *    wait until its node has applied every write set the cluster ordered
 *    before it: HDFS's "a read after a write returns sees it" across the
 *    fleet. Set on every connection of a namenode's pool; MariaDB without
 *    wsrep keeps its setting, and a server without the variable (MySQL,
 *    NDB) refuses the statement with 1193, which changes nothing.
 *
 * 2. Row locks are local to a node (conflicts are found at certification):
 *    see `galeraNode` and the coherent cache in namenode/namenode-process.ts.
 */
export const CAUSAL_READS_SQL = 'SET SESSION wsrep_sync_wait = IF(@@wsrep_on, 1, @@wsrep_sync_wait)';

/** ER_UNKNOWN_SYSTEM_VARIABLE: a server without wsrep (MySQL, MySQL Cluster). */
export const UNKNOWN_SYSTEM_VARIABLE = 1193;

/** Whether the session's server is a Galera node with replication on. */
export async function galeraNode(session: SqlSession): Promise<boolean> {
  try {
    const [rows] = await session.query('SELECT @@wsrep_on AS wsrep_on');
    return Number((rows as { wsrep_on: unknown }[])[0]?.wsrep_on ?? 0) === 1;
  } catch (e) {
    if ((e as { errno?: number }).errno === UNKNOWN_SYSTEM_VARIABLE) return false;
    throw e;
  }
}
