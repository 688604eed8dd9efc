import type { SqlStatement } from './sql-session';

/** The database's clock in ms: every namenode compares heartbeats against the same clock. */
const DB_NOW = 'CAST(UNIX_TIMESTAMP(NOW(3)) * 1000 AS SIGNED)';

export const reserveNamenodeId = (): SqlStatement[] => [
  { sql: "INSERT IGNORE INTO counters (name, value) VALUES ('namenode_id', 0)", params: [] },
  { sql: "UPDATE counters SET value = LAST_INSERT_ID(value + 1) WHERE name = 'namenode_id'", params: [] },
  { sql: 'SELECT LAST_INSERT_ID() AS id', params: [] },
];

export const upsertNamenode = (id: number, rpc: string, http: string): SqlStatement => ({
  sql: `INSERT INTO namenodes (id, rpc_address, http_address, started_at, heartbeat_counter, last_heartbeat) VALUES (?, ?, ?, ${DB_NOW}, 1, ${DB_NOW})
        ON DUPLICATE KEY UPDATE heartbeat_counter = heartbeat_counter + 1, last_heartbeat = ${DB_NOW}`,
  params: [id, rpc, http],
});

/** Live namenodes (heartbeat within `aliveMs` by the database clock), lowest id first. */
export const selectLiveNamenodes = (aliveMs: number): SqlStatement => ({
  sql: `SELECT id, rpc_address, http_address, started_at, heartbeat_counter FROM namenodes WHERE last_heartbeat > ${DB_NOW} - ? ORDER BY id`,
  params: [aliveMs],
});

export const deleteDeadNamenodes = (deadMs: number): SqlStatement => ({
  sql: `DELETE FROM namenodes WHERE last_heartbeat < ${DB_NOW} - ?`,
  params: [deadMs],
});

export const deleteNamenode = (id: number): SqlStatement => ({ sql: 'DELETE FROM namenodes WHERE id = ?', params: [id] });
