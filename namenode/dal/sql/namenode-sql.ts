import { COUNTER_NAMENODE_ID } from '../../../schema/counters';
import type { NamenodeMember } from '../../domain/fleet-status';
import type { LiveNamenode, NamenodeRepository } from '../namenode-repository';
import { sqlMutation, type SqlQuery } from '../query';
import type { SqlStatement } from './sql-session';
import { nextOfCounterMadeOnFirstUse } from './counter-sql';
import { num, rowsWith, text } from './sql-values';

/** The database's clock in ms: every namenode compares heartbeats against the same clock. */
const DB_NOW = 'CAST(UNIX_TIMESTAMP(NOW(3)) * 1000 AS SIGNED)';

const selectLive = (aliveMs: number): SqlStatement => ({
  sql: `SELECT id, rpc_address, http_address FROM namenodes WHERE last_heartbeat > ${DB_NOW} - ? ORDER BY id`,
  params: [aliveMs],
});

const liveNamenodes = rowsWith((r): LiveNamenode => ({ id: num(r['id']), rpcAddress: text(r['rpc_address']), httpAddress: text(r['http_address']) }));

export const sqlNamenodes: NamenodeRepository = {
  reserveId: () => nextOfCounterMadeOnFirstUse(COUNTER_NAMENODE_ID),
  heartbeat: (id, rpc, http, deadMs, aliveMs): SqlQuery<LiveNamenode[]> => ({
    kind: 'sql',
    statements: [
      {
        sql: `INSERT INTO namenodes (id, rpc_address, http_address, started_at, heartbeat_counter, last_heartbeat) VALUES (?, ?, ?, ${DB_NOW}, 1, ${DB_NOW})
              ON DUPLICATE KEY UPDATE heartbeat_counter = heartbeat_counter + 1, last_heartbeat = ${DB_NOW}`,
        params: [id, rpc, http],
      },
      { sql: `DELETE FROM namenodes WHERE last_heartbeat < ${DB_NOW} - ?`, params: [deadMs] },
      selectLive(aliveMs),
    ],
    decode: (results) => liveNamenodes(results[2]),
  }),
  findLive: (aliveMs) => ({ kind: 'sql', statements: [selectLive(aliveMs)], decode: (results) => liveNamenodes(results[0]) }),
  findLiveMembers: (aliveMs) => ({
    kind: 'sql',
    statements: [
      {
        sql: `SELECT id, rpc_address, http_address, ${DB_NOW} - started_at AS uptime_ms, ${DB_NOW} - last_heartbeat AS heartbeat_age_ms
              FROM namenodes WHERE last_heartbeat > ${DB_NOW} - ? ORDER BY id`,
        params: [aliveMs],
      },
    ],
    decode: (results) =>
      rowsWith(
        (r): NamenodeMember => ({
          id: num(r['id']),
          rpcAddress: text(r['rpc_address']),
          httpAddress: text(r['http_address']),
          uptimeMs: num(r['uptime_ms']),
          heartbeatAgeMs: num(r['heartbeat_age_ms']),
        }),
      )(results[0]),
  }),
  deleteByPk: (id) => sqlMutation({ sql: 'DELETE FROM namenodes WHERE id = ?', params: [id] }),
};
