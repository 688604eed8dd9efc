import { DatanodeState, type HeartbeatStats } from '../../domain/datanode-info';
import type { DatanodeRepository } from '../datanode-repository';
import { ReplicaState } from '../replica-repository';
import { datanodeToken, readLockClause } from '../cache-tokens';
import { sqlMutation, sqlQuery } from '../query';
import { DATANODE_COLUMNS, toDatanodeInfo, toLocation } from './datanode-columns';
import { firstRow, num, placeholders, rowsWith } from './sql-values';

/** In service: live and Normal (not decommissioning), so it may take new replicas. */
const IN_SERVICE = `d.state = ${DatanodeState.Normal} AND d.last_heartbeat > ?`;

/** The administrative states a registration keeps: an operator's decommissioning outlives a datanode restart. */
const RETIRING = `${DatanodeState.Decommissioning}, ${DatanodeState.Decommissioned}`;

const queueReplicasOf = (uuid: string, now: number) =>
  sqlMutation({
    sql: `INSERT INTO under_replicated (block_id, inode_id, queued_at, scheduled_at)
          SELECT block_id, inode_id, ?, 0 FROM replicas WHERE datanode_uuid = ? ON DUPLICATE KEY UPDATE scheduled_at = 0`,
    params: [now, uuid],
  });

export const sqlDatanodes: DatanodeRepository = {
  upsert: (d, now) =>
    sqlMutation({
      sql: `INSERT INTO datanodes (uuid, ip_addr, host_name, xfer_port, info_port, ipc_port, capacity, dfs_used, remaining, block_pool_used, non_dfs_used, xceiver_count, last_heartbeat, registered_at, state)
            VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,${DatanodeState.Normal})
            ON DUPLICATE KEY UPDATE ip_addr = VALUES(ip_addr), host_name = VALUES(host_name), xfer_port = VALUES(xfer_port), info_port = VALUES(info_port),
              ipc_port = VALUES(ipc_port), last_heartbeat = VALUES(last_heartbeat), registered_at = VALUES(registered_at),
              state = IF(state IN (${RETIRING}), state, ${DatanodeState.Normal})`,
      params: [d.uuid, d.ipAddr, d.hostName, d.xferPort, d.infoPort, d.ipcPort, d.capacity, d.dfsUsed, d.remaining, d.blockPoolUsed, d.nonDfsUsed, d.xceiverCount, now, now],
    }, [datanodeToken(d.uuid)]),
  updateHeartbeatsBatched: (beats, now) => {
    const column = (name: string, of: (s: HeartbeatStats) => number) => ({ sql: `${name} = CASE uuid ${beats.map(() => 'WHEN ? THEN ?').join(' ')} END`, params: beats.flatMap((b) => [b.uuid, of(b.stats)]) });
    const sets = [
      column('capacity', (s) => s.capacity),
      column('dfs_used', (s) => s.dfsUsed),
      column('remaining', (s) => s.remaining),
      column('block_pool_used', (s) => s.blockPoolUsed),
      column('non_dfs_used', (s) => s.nonDfsUsed),
      column('xceiver_count', (s) => s.xceiverCount),
    ];
    return sqlMutation({
      sql: `UPDATE datanodes SET ${sets.map((c) => c.sql).join(', ')}, last_heartbeat = ?
            WHERE uuid IN (${placeholders(beats.length)}) AND state <> ${DatanodeState.Dead}`,
      params: [...sets.flatMap((c) => c.params), now, ...beats.map((b) => b.uuid)],
    });
  },
  upsertStoragesBatched: (rows, now) =>
    sqlMutation({
      sql: `INSERT INTO storages (storage_id, datanode_uuid, storage_type, capacity, dfs_used, remaining, last_report) VALUES ${rows.map(() => '(?,?,?,?,?,?,?)').join(',')}
            ON DUPLICATE KEY UPDATE datanode_uuid = VALUES(datanode_uuid), storage_type = VALUES(storage_type), capacity = VALUES(capacity),
              dfs_used = VALUES(dfs_used), remaining = VALUES(remaining), last_report = VALUES(last_report)`,
      params: rows.flatMap((s) => [s.storageId, s.datanodeUuid, s.storageType, s.capacity, s.dfsUsed, s.remaining, now]),
    }),
  findLiveStorages: (heartbeatAfter) =>
    sqlQuery(
      {
        sql: `SELECT ${DATANODE_COLUMNS}, s.storage_id, s.storage_type, s.remaining AS storage_remaining
              FROM datanodes d JOIN storages s ON s.datanode_uuid = d.uuid WHERE ${IN_SERVICE}`,
        params: [heartbeatAfter],
      },
      rowsWith((r) => ({ ...toLocation(r), storageRemaining: num(r['storage_remaining'] ?? 0) })),
    ),
  findAll: () => sqlQuery({ sql: `SELECT ${DATANODE_COLUMNS} FROM datanodes d ORDER BY d.uuid`, params: [] }, rowsWith(toDatanodeInfo)),
  findByPk: (uuid) =>
    sqlQuery({ sql: `SELECT ${DATANODE_COLUMNS} FROM datanodes d WHERE d.uuid = ?`, params: [uuid] }, (r) => {
      const row = firstRow(r);
      return row ? toDatanodeInfo(row) : undefined;
    }),
  findByPkBatched: (uuids, lock) =>
    sqlQuery({ sql: `SELECT ${DATANODE_COLUMNS} FROM datanodes d WHERE d.uuid IN (${placeholders(uuids.length)})${readLockClause(lock)}`, params: [...uuids] }, rowsWith(toDatanodeInfo)),
  findStoragesByUuidBatched: (uuids) =>
    sqlQuery(
      {
        sql: `SELECT ${DATANODE_COLUMNS}, s.storage_id, s.storage_type FROM datanodes d JOIN storages s ON s.datanode_uuid = d.uuid WHERE d.uuid IN (${placeholders(uuids.length)})`,
        params: [...uuids],
      },
      rowsWith(toLocation),
    ),
  findExpired: (heartbeatBefore) =>
    sqlQuery(
      { sql: `SELECT ${DATANODE_COLUMNS} FROM datanodes d WHERE d.state <> ${DatanodeState.Dead} AND d.last_heartbeat < ?`, params: [heartbeatBefore] },
      rowsWith(toDatanodeInfo),
    ),
  lockExpiredByPk: (uuid, heartbeatBefore) =>
    sqlQuery(
      { sql: `SELECT uuid FROM datanodes WHERE uuid = ? AND state <> ${DatanodeState.Dead} AND last_heartbeat < ? FOR UPDATE`, params: [uuid, heartbeatBefore] },
      (r) => firstRow(r) !== undefined,
    ),
  markDead: (uuid, heartbeatBefore) =>
    sqlMutation({ sql: `UPDATE datanodes SET state = ${DatanodeState.Dead} WHERE uuid = ? AND last_heartbeat < ?`, params: [uuid, heartbeatBefore] }, [datanodeToken(uuid)]),
  forgetDead: (uuid, now) => [
    queueReplicasOf(uuid, now),
    sqlMutation({ sql: 'DELETE FROM replicas WHERE datanode_uuid = ?', params: [uuid] }, [datanodeToken(uuid)]),
    sqlMutation({ sql: 'DELETE FROM datanode_commands WHERE datanode_uuid = ?', params: [uuid] }),
  ],
  sumLiveCapacity: (heartbeatAfter) =>
    sqlQuery(
      {
        sql: `SELECT COUNT(*) AS n, COALESCE(SUM(d.capacity),0) AS capacity, COALESCE(SUM(d.dfs_used),0) AS used, COALESCE(SUM(d.remaining),0) AS remaining
              FROM datanodes d WHERE ${IN_SERVICE}`,
        params: [heartbeatAfter],
      },
      (result) => {
        const r = firstRow(result) ?? {};
        return { datanodes: num(r['n'] ?? 0), capacity: num(r['capacity'] ?? 0), used: num(r['used'] ?? 0), remaining: num(r['remaining'] ?? 0) };
      },
    ),
  lockByPk: (uuid) =>
    sqlQuery({ sql: `SELECT ${DATANODE_COLUMNS} FROM datanodes d WHERE d.uuid = ? FOR UPDATE`, params: [uuid] }, (r) => {
      const row = firstRow(r);
      return row ? toDatanodeInfo(row) : undefined;
    }),
  setStateByPk: (uuid, from, to) =>
    sqlMutation({ sql: `UPDATE datanodes SET state = ? WHERE uuid = ? AND state IN (${placeholders(from.length)})`, params: [to, uuid, ...from] }, [datanodeToken(uuid)]),
  queueReplicasOf,
  countBlocksShortElsewhere: (uuid, heartbeatAfter, atMost) =>
    sqlQuery(
      {
        sql: `SELECT COUNT(*) AS n FROM replicas r
                JOIN blocks b ON b.block_id = r.block_id
                JOIN inodes i ON i.id = b.inode_id
              WHERE r.datanode_uuid = ?
                AND (SELECT COUNT(DISTINCT o.datanode_uuid) FROM replicas o JOIN datanodes d ON d.uuid = o.datanode_uuid
                     WHERE o.inode_id = b.inode_id AND o.block_id = b.block_id AND o.datanode_uuid <> r.datanode_uuid
                       AND o.state = ${ReplicaState.Finalized} AND o.generation_stamp = b.generation_stamp AND o.num_bytes = b.num_bytes
                       AND ${IN_SERVICE}) < LEAST(GREATEST(i.replication, 1), ?)`,
        params: [uuid, heartbeatAfter, atMost],
      },
      (r) => num(firstRow(r)?.['n'] ?? 0),
    ),
};
