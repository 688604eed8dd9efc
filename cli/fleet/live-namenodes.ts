import { selectLiveNamenodes } from '../../namenode/dal/namenode-dal';
import { DEFAULT_NAMESYSTEM_CONFIG } from '../../namenode/namesystem-config';
import { createMysqlConnection, type MysqlConfig } from '../../schema/mysql-config';
import type { ClientNamenode } from './client-config';

/** The namenodes' own liveness rule: a heartbeat within three housekeeping intervals. */
const ALIVE_MS = 3 * DEFAULT_NAMESYSTEM_CONFIG.housekeepingIntervalMs;

/**
 * The namenodes serving the namespace in `config`'s database, as their rows
 * in `namenodes` say: each running namenode heartbeats its addresses there,
 * wherever and by whomever it was started. Named nn<id> after their row.
 */
export async function readLiveNamenodes(config: MysqlConfig): Promise<ClientNamenode[]> {
  const conn = await createMysqlConnection(config);
  try {
    const stmt = selectLiveNamenodes(ALIVE_MS);
    const [rows] = await conn.query(stmt.sql, [...stmt.params]);
    return (rows as Record<string, unknown>[]).map((r) => ({
      id: `nn${String(r['id'])}`,
      rpc: String(r['rpc_address']),
      http: String(r['http_address']),
    }));
  } finally {
    await conn.end();
  }
}
