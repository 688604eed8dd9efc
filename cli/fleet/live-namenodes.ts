import { sqlRepositories } from '../../namenode/dal/sql/sql-repositories';
import { openSqlStorage } from '../../namenode/dal/sql/sql-storage';
import { DEFAULT_NAMESYSTEM_CONFIG } from '../../namenode/namesystem-config';
import type { MysqlConfig } from '../../schema/mysql-config';
import type { ClientNamenode } from './client-config';

/** The namenodes' own liveness rule: a heartbeat within three housekeeping intervals. */
const ALIVE_MS = 3 * DEFAULT_NAMESYSTEM_CONFIG.housekeepingIntervalMs;

/**
 * The namenodes serving the namespace in `config`'s database, as their rows
 * in `namenodes` say: each running namenode heartbeats its addresses there,
 * wherever and by whomever it was started. Named nn<id> after their row.
 */
export async function readLiveNamenodes(config: MysqlConfig): Promise<ClientNamenode[]> {
  const storage = openSqlStorage(config, 1);
  try {
    const live = await storage.db.run(sqlRepositories.namenodes.findLive(ALIVE_MS));
    return live.map((n) => ({ id: `nn${n.id}`, rpc: n.rpcAddress, http: n.httpAddress }));
  } finally {
    await storage.end();
  }
}
