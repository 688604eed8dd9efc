import { ReplicaState, type ReplicaRepository, type ReplicaRow } from '../replica-repository';
import { fileBlocksToken, fileBlocksTokens, readLockClause } from '../cache-tokens';
import { sqlDeleteIn, sqlMutation, sqlQuery, type SqlQuery } from '../query';
import type { SqlRow } from './sql-session';
import { DATANODE_COLUMNS, toLocation } from './datanode-columns';
import { num, placeholders, rowsWith, text } from './sql-values';

const COLUMNS = 'inode_id, block_id, storage_id, datanode_uuid, generation_stamp, num_bytes, state';

const toReplica = (r: SqlRow): ReplicaRow => ({
  inodeId: num(r['inode_id']),
  blockId: num(r['block_id']),
  storageId: text(r['storage_id']),
  datanodeUuid: text(r['datanode_uuid']),
  genStamp: num(r['generation_stamp']),
  numBytes: num(r['num_bytes']),
  state: num(r['state']) as ReplicaState,
});

const replicas = rowsWith(toReplica);

const replicasOf = (ids: readonly number[]): SqlQuery<ReplicaRow[]> =>
  sqlQuery({ sql: `SELECT ${COLUMNS} FROM replicas WHERE inode_id IN (${placeholders(ids.length)})`, params: [...ids] }, replicas);

/**
 * The replica rows of these files. A read of one file's (a delete's
 * declared read) joins the reads of other files (`batch`: a group commit's
 * deletes) as one statement over all their ids.
 */
function findByInodesBatched(ids: readonly number[]): SqlQuery<ReplicaRow[]> {
  const all = replicasOf(ids);
  const id = ids[0];
  if (ids.length !== 1 || id === undefined) return all;
  const many = (several: readonly number[]): SqlQuery<(inodeId: number) => ReplicaRow[]> => {
    const q = replicasOf(several);
    return {
      kind: 'sql',
      statements: q.statements,
      decode: (results) => {
        const rows = q.decode(results);
        return (inodeId) => rows.filter((r) => r.inodeId === inodeId);
      },
    };
  };
  return { ...all, batch: { key: 'replicasByInode', id, many } };
}

export const sqlReplicas: ReplicaRepository = {
  findLocationsByInodesBatched: (inodeIds, lock) =>
    sqlQuery(
      {
        sql: `SELECT r.block_id, r.storage_id, r.generation_stamp AS replica_gs, r.num_bytes AS replica_bytes, r.state AS replica_state, s.storage_type, ${DATANODE_COLUMNS}
              FROM replicas r JOIN datanodes d ON d.uuid = r.datanode_uuid LEFT JOIN storages s ON s.storage_id = r.storage_id
              WHERE r.inode_id IN (${placeholders(inodeIds.length)})${readLockClause(lock)}`,
        params: [...inodeIds],
      },
      rowsWith((r) => ({
        blockId: num(r['block_id']),
        genStamp: num(r['replica_gs']),
        numBytes: num(r['replica_bytes']),
        state: num(r['replica_state']) as ReplicaState,
        location: toLocation(r),
      })),
    ),
  findByInodesBatched,
  findByStorageWithBlockStamps: (datanodeUuid, storageId) =>
    sqlQuery(
      {
        sql: `SELECT r.inode_id, r.block_id, r.storage_id, r.datanode_uuid, r.generation_stamp, r.num_bytes, r.state, b.generation_stamp AS block_gs
              FROM replicas r LEFT JOIN blocks b ON b.block_id = r.block_id AND b.inode_id = r.inode_id
              WHERE r.datanode_uuid = ? AND r.storage_id = ?`,
        params: [datanodeUuid, storageId],
      },
      rowsWith((r) => ({ ...toReplica(r), blockGenStamp: r['block_gs'] === null || r['block_gs'] === undefined ? undefined : num(r['block_gs']) })),
    ),
  findFinalizedOfBlock: (inodeId, blockId, minGenStamp) =>
    sqlQuery(
      {
        sql: `SELECT datanode_uuid, generation_stamp, num_bytes FROM replicas WHERE inode_id = ? AND block_id = ? AND state = ${ReplicaState.Finalized} AND generation_stamp >= ?`,
        params: [inodeId, blockId, minGenStamp],
      },
      rowsWith((r) => ({ datanodeUuid: text(r['datanode_uuid']), genStamp: num(r['generation_stamp']), numBytes: num(r['num_bytes']) })),
    ),
  upsertBatched: (rows) =>
    sqlMutation({
      sql: `INSERT INTO replicas (${COLUMNS}) VALUES ${rows.map(() => '(?,?,?,?,?,?,?)').join(',')}
            ON DUPLICATE KEY UPDATE datanode_uuid = VALUES(datanode_uuid), generation_stamp = VALUES(generation_stamp), num_bytes = VALUES(num_bytes), state = VALUES(state)`,
      params: rows.flatMap((r) => [r.inodeId, r.blockId, r.storageId, r.datanodeUuid, r.genStamp, r.numBytes, r.state]),
    }, fileBlocksTokens(rows.map((r) => r.inodeId))),
  deleteOfStorageBatched: (storageId, blocks) => {
    // Grouped by file: primary-key ranges (and the file's partition), never a scan of the block index.
    const byInode = new Map<number, number[]>();
    for (const b of blocks) byInode.set(b.inodeId, [...(byInode.get(b.inodeId) ?? []), b.blockId]);
    const groups = [...byInode];
    return sqlMutation({
      sql: `DELETE FROM replicas WHERE storage_id = ? AND (${groups.map(([, ids]) => `(inode_id = ? AND block_id IN (${placeholders(ids.length)}))`).join(' OR ')})`,
      params: [storageId, ...groups.flatMap(([inodeId, ids]) => [inodeId, ...ids])],
    }, fileBlocksTokens(byInode.keys()));
  },
  deleteByPk: (inodeId, blockId, storageId) =>
    sqlMutation({ sql: 'DELETE FROM replicas WHERE inode_id = ? AND block_id = ? AND storage_id = ?', params: [inodeId, blockId, storageId] }, [fileBlocksToken(inodeId)]),
  deleteByInodesBatched: (ids) => sqlDeleteIn('replicas', 'inode_id', ids, fileBlocksTokens(ids)),
  moveToInode: (from, to) => sqlMutation({ sql: 'UPDATE replicas SET inode_id = ? WHERE inode_id = ?', params: [to, from] }, fileBlocksTokens([from, to])),
  markCorrupt: (inodeId, blockId, datanodeUuid) =>
    sqlMutation({
      sql: `UPDATE replicas SET state = ${ReplicaState.Corrupt} WHERE inode_id = ? AND block_id = ? AND datanode_uuid = ?`,
      params: [inodeId, blockId, datanodeUuid],
    }, [fileBlocksToken(inodeId)]),
};
