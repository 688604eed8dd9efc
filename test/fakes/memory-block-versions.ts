import type { BlockVersionRepository } from '../../namenode/dal/block-version-repository';
import { deleteWhere, inList, insertIgnoreRows, localMutation, localQuery, rekeyWhere } from './local-statements';
import type { MemoryTables } from './memory-tables';

/** block_versions in memory: INSERT IGNORE, and the reads of snapshot views, block reports and the reclaimer. */
export function memoryBlockVersions(t: MemoryTables): BlockVersionRepository {
  const { blockVersions: versions } = t;
  const ordered = <V extends { snapshotId: number; index: number }>(rows: V[]) => rows.sort((a, b) => a.snapshotId - b.snapshotId || a.index - b.index);
  return {
    insertBatched: (rows) => localMutation((log) => insertIgnoreRows(versions, rows, log)),
    findByInodeFrom: (inodeId, snapshotId) => localQuery(() => ordered(versions.rows().filter((v) => v.inodeId === inodeId && v.snapshotId >= snapshotId))),
    findByReplacementBatched: (ids) =>
      localQuery(() => {
        const wanted = inList(ids, 'block_versions.findByReplacementBatched');
        return versions.rows().filter((v) => wanted.has(v.replacedBy));
      }),
    findByKey: (inodeId, snapshotId) => localQuery(() => ordered(versions.rows().filter((v) => v.inodeId === inodeId && v.snapshotId === snapshotId))),
    deleteByKey: (inodeId, snapshotId) => localMutation((log) => deleteWhere(versions, (v) => v.inodeId === inodeId && v.snapshotId === snapshotId, log)),
    rekey: (inodeId, from, to) => localMutation((log) => rekeyWhere(versions, (v) => v.inodeId === inodeId && v.snapshotId === from, (v) => ({ ...v, snapshotId: to }), log)),
    deleteByInodesBatched: (ids) => localMutation((log) => deleteWhere(versions, (v) => ids.includes(v.inodeId), log)),
  };
}
