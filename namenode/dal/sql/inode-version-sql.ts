import type { InodeVersion, InodeVersionRepository } from '../inode-version-repository';
import { sqlMutation, sqlQuery } from '../query';
import { rowParams, toInodeRow } from './inode-columns';
import { bytes, num, placeholders, rowsWith } from './sql-values';
import { xattrOfColumns } from './xattr-sql';

const ROW_COLUMNS = 'parent_id, name, type, permission, owner, group_name, mtime, atime, replication, block_size, length, storage_policy, symlink, uc_client, uc_machine, children, acl';

// A tombstone still fills the NOT NULL columns: its parent_id -1 matches no directory.
const TOMBSTONE_ROW = [-1, bytes(''), 0, 0, '', '', 0, 0, 0, 0, 0, 0, null, null, null, 0, null];

/** rowParams without the id (the version's inode_id) and without snap_epoch. */
const versionParams = (v: InodeVersion) => {
  if (!v.row) return [v.inodeId, v.snapshotId, 0, ...TOMBSTONE_ROW];
  const p = rowParams(v.row);
  return [v.inodeId, v.snapshotId, 1, ...p.slice(0, 2), ...p.slice(3, p.length - 1)];
};

const toVersion = rowsWith(
  (r): InodeVersion => ({
    inodeId: num(r['inode_id']),
    snapshotId: num(r['snapshot_id']),
    row: num(r['present']) === 1 ? { ...toInodeRow({ ...r, id: r['inode_id'] }), subtreeLockOwner: null } : undefined,
  }),
);

export const sqlInodeVersions: InodeVersionRepository = {
  insertBatched: (versions) =>
    sqlMutation({
      sql: `INSERT IGNORE INTO inode_versions (inode_id, snapshot_id, present, ${ROW_COLUMNS}) VALUES ${versions.map(() => `(${placeholders(20)})`).join(',')}`,
      params: versions.flatMap(versionParams),
    }),

  findByInodesFrom: (inodeIds, snapshotId) =>
    sqlQuery(
      {
        sql: `SELECT inode_id, snapshot_id, present, ${ROW_COLUMNS} FROM inode_versions WHERE inode_id IN (${placeholders(inodeIds.length)}) AND snapshot_id >= ? ORDER BY inode_id, snapshot_id`,
        params: [...inodeIds, snapshotId],
      },
      toVersion,
    ),

  findInodeIdsByParentFrom: (parentId, name, snapshotId) =>
    sqlQuery(
      name === undefined
        ? { sql: 'SELECT DISTINCT inode_id FROM inode_versions WHERE parent_id = ? AND snapshot_id >= ?', params: [parentId, snapshotId] }
        : { sql: 'SELECT DISTINCT inode_id FROM inode_versions WHERE parent_id = ? AND name = ? AND snapshot_id >= ?', params: [parentId, bytes(name), snapshotId] },
      rowsWith((r) => num(r['inode_id'])),
    ),

  findKeysNotIn: (live, limit) =>
    sqlQuery(
      {
        sql: `SELECT inode_id, snapshot_id FROM inode_versions${live.length === 0 ? '' : ` WHERE snapshot_id NOT IN (${placeholders(live.length)})`} ORDER BY inode_id, snapshot_id LIMIT ?`,
        params: [...live, limit],
      },
      rowsWith((r) => ({ inodeId: num(r['inode_id']), snapshotId: num(r['snapshot_id']) })),
    ),

  deleteByKey: (inodeId, snapshotId) => sqlMutation({ sql: 'DELETE FROM inode_versions WHERE inode_id = ? AND snapshot_id = ?', params: [inodeId, snapshotId] }),

  rekey: (inodeId, from, to) => sqlMutation({ sql: 'UPDATE inode_versions SET snapshot_id = ? WHERE inode_id = ? AND snapshot_id = ?', params: [to, inodeId, from] }),

  findInodesWithVersions: (inodeIds) =>
    sqlQuery(
      { sql: `SELECT DISTINCT inode_id FROM inode_versions WHERE inode_id IN (${placeholders(inodeIds.length)})`, params: [...inodeIds] },
      rowsWith((r) => num(r['inode_id'])),
    ),

  findInodeIdsBetween: (from, to) =>
    sqlQuery(
      to === undefined
        ? { sql: 'SELECT DISTINCT inode_id FROM inode_versions WHERE snapshot_id >= ?', params: [from] }
        : { sql: 'SELECT DISTINCT inode_id FROM inode_versions WHERE snapshot_id >= ? AND snapshot_id < ?', params: [from, to] },
      rowsWith((r) => num(r['inode_id'])),
    ),

  copyXAttrs: (inodeIds, snapshotId) =>
    sqlMutation({
      sql: `INSERT IGNORE INTO inode_version_xattrs (inode_id, snapshot_id, namespace, name, value)
            SELECT inode_id, ?, namespace, name, value FROM xattrs WHERE inode_id IN (${placeholders(inodeIds.length)})`,
      params: [snapshotId, ...inodeIds],
    }),

  findXAttrsOfVersions: (keys) =>
    sqlQuery(
      {
        sql: `SELECT inode_id, snapshot_id, namespace, name, value FROM inode_version_xattrs
              WHERE (inode_id, snapshot_id) IN (${keys.map(() => '(?,?)').join(',')}) ORDER BY inode_id, namespace, name`,
        params: keys.flatMap((k) => [k.inodeId, k.snapshotId]),
      },
      rowsWith((r) => ({ ...xattrOfColumns(r), snapshotId: num(r['snapshot_id']) })),
    ),

  deleteXAttrsByKey: (inodeId, snapshotId) => sqlMutation({ sql: 'DELETE FROM inode_version_xattrs WHERE inode_id = ? AND snapshot_id = ?', params: [inodeId, snapshotId] }),

  rekeyXAttrs: (inodeId, from, to) =>
    sqlMutation({ sql: 'UPDATE inode_version_xattrs SET snapshot_id = ? WHERE inode_id = ? AND snapshot_id = ?', params: [to, inodeId, from] }),
};
