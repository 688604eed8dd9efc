import type { InodeVersion, InodeVersionRepository } from '../../namenode/dal/inode-version-repository';
import { deleteWhere, inList, insertIgnoreRows, insertRow, localMutation, localQuery, rekeyWhere } from './local-statements';
import { compareBytes } from './name-order';
import type { MemoryTables } from './memory-tables';

/** inode_versions in memory: INSERT IGNORE, and the snapshot-view and diff reads. */
export function memoryInodeVersions(t: MemoryTables): InodeVersionRepository {
  const { inodeVersions: versions, inodeVersionXAttrs: copies } = t;
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
    copyXAttrs: (inodeIds, snapshotId) =>
      localMutation((log) => {
        const wanted = inList(inodeIds, 'inode_version_xattrs.copyXAttrs');
        const fresh = t.xattrs.rows().filter((x) => wanted.has(x.inodeId) && copies.get(copies.keyOf({ ...x, snapshotId })) === undefined);
        for (const x of fresh) insertRow(copies, { ...x, snapshotId }, log);
        return fresh.length;
      }),
    findXAttrsOfVersions: (keys) =>
      localQuery(() =>
        copies
          .rows()
          .filter((x) => keys.some((k) => k.inodeId === x.inodeId && k.snapshotId === x.snapshotId))
          .sort((a, b) => a.inodeId - b.inodeId || a.namespace - b.namespace || compareBytes(a.name, b.name)),
      ),
    deleteXAttrsByKey: (inodeId, snapshotId) => localMutation((log) => deleteWhere(copies, (x) => x.inodeId === inodeId && x.snapshotId === snapshotId, log)),
    rekeyXAttrs: (inodeId, from, to) =>
      localMutation((log) => rekeyWhere(copies, (x) => x.inodeId === inodeId && x.snapshotId === from, (x) => ({ ...x, snapshotId: to }), log)),
  };
}
