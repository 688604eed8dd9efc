import type { InodeVersion, InodeVersionRepository } from '../../namenode/dal/inode-version-repository';
import { deleteWhere, inList, insertIgnoreRows, localMutation, localQuery, rekeyWhere } from './local-statements';
import type { MemoryTables } from './memory-tables';

/** inode_versions in memory: INSERT IGNORE, and the snapshot-view and diff reads. */
export function memoryInodeVersions(t: MemoryTables): InodeVersionRepository {
  const { inodeVersions: versions } = t;
  return {
    insertBatched: (rows) => localMutation((log) => insertIgnoreRows(versions, rows, log)),
    findByInodesFrom: (inodeIds, snapshotId) =>
      localQuery(() => {
        const wanted = inList(inodeIds, 'inode_versions.findByInodesFrom');
        return versions
          .rows()
          .filter((v: InodeVersion) => wanted.has(v.inodeId) && v.snapshotId >= snapshotId)
          .sort((a, b) => a.inodeId - b.inodeId || a.snapshotId - b.snapshotId);
      }),
    findInodeIdsByParentFrom: (parentId, name, snapshotId) =>
      localQuery(() => [
        ...new Set(versions.rows().filter((v) => v.row?.parentId === parentId && (name === undefined || v.row.name === name) && v.snapshotId >= snapshotId).map((v) => v.inodeId)),
      ]),
    findKeysNotIn: (live, limit) =>
      localQuery(() =>
        versions
          .rows()
          .filter((v) => !live.includes(v.snapshotId))
          .sort((a, b) => a.inodeId - b.inodeId || a.snapshotId - b.snapshotId)
          .slice(0, limit)
          .map((v) => ({ inodeId: v.inodeId, snapshotId: v.snapshotId })),
      ),
    deleteByKey: (inodeId, snapshotId) => localMutation((log) => deleteWhere(versions, (v) => v.inodeId === inodeId && v.snapshotId === snapshotId, log)),
    rekey: (inodeId, from, to) => localMutation((log) => rekeyWhere(versions, (v) => v.inodeId === inodeId && v.snapshotId === from, (v) => ({ ...v, snapshotId: to }), log)),
    findInodesWithVersions: (inodeIds) => localQuery(() => [...new Set(versions.rows().filter((v) => inodeIds.includes(v.inodeId)).map((v) => v.inodeId))]),
    findInodeIdsBetween: (from, to) =>
      localQuery(() => [...new Set(versions.rows().filter((v) => v.snapshotId >= from && (to === undefined || v.snapshotId < to)).map((v) => v.inodeId))]),
  };
}
