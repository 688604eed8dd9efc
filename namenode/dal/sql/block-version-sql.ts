import type { BlockVersion, BlockVersionRepository } from '../block-version-repository';
import { sqlDeleteIn, sqlMutation, sqlQuery } from '../query';
import { num, placeholders, rowsWith } from './sql-values';

const COLUMNS = 'inode_id, snapshot_id, block_index, block_id, generation_stamp, num_bytes, replaced_by';

const versions = rowsWith(
  (r): BlockVersion => ({
    inodeId: num(r['inode_id']),
    snapshotId: num(r['snapshot_id']),
    index: num(r['block_index']),
    blockId: num(r['block_id']),
    genStamp: num(r['generation_stamp']),
    numBytes: num(r['num_bytes']),
    replacedBy: num(r['replaced_by']),
  }),
);

export const sqlBlockVersions: BlockVersionRepository = {
  insertBatched: (rows) =>
    sqlMutation({
      sql: `INSERT IGNORE INTO block_versions (${COLUMNS}) VALUES ${rows.map(() => '(?,?,?,?,?,?,?)').join(',')}`,
      params: rows.flatMap((v) => [v.inodeId, v.snapshotId, v.index, v.blockId, v.genStamp, v.numBytes, v.replacedBy]),
    }),
  findByInodeFrom: (inodeId, snapshotId) =>
    sqlQuery({ sql: `SELECT ${COLUMNS} FROM block_versions WHERE inode_id = ? AND snapshot_id >= ? ORDER BY snapshot_id, block_index`, params: [inodeId, snapshotId] }, versions),
  findByReplacementBatched: (ids) => sqlQuery({ sql: `SELECT ${COLUMNS} FROM block_versions WHERE replaced_by IN (${placeholders(ids.length)})`, params: [...ids] }, versions),
  findByKey: (inodeId, snapshotId) =>
    sqlQuery({ sql: `SELECT ${COLUMNS} FROM block_versions WHERE inode_id = ? AND snapshot_id = ? ORDER BY block_index`, params: [inodeId, snapshotId] }, versions),
  deleteByKey: (inodeId, snapshotId) => sqlMutation({ sql: 'DELETE FROM block_versions WHERE inode_id = ? AND snapshot_id = ?', params: [inodeId, snapshotId] }),
  rekey: (inodeId, from, to) => sqlMutation({ sql: 'UPDATE block_versions SET snapshot_id = ? WHERE inode_id = ? AND snapshot_id = ?', params: [to, inodeId, from] }),
  deleteByInodesBatched: (ids) => sqlDeleteIn('block_versions', 'inode_id', ids),
};
