import type { SnapshotRepository } from '../../namenode/dal/snapshot-repository';
import { COUNTER_SNAPSHOT_ID } from '../../schema/counters';
import { bumpCounter } from './memory-counters';
import { deleteWhere, inList, insertRow, localMutation, localQuery, rekeyWhere, upsertRow, writingQuery } from './local-statements';
import type { MemoryTables } from './memory-tables';
import { compareBytes } from './name-order';

/** snapshottable_dirs and snapshots in memory, and the snapshot id counter made on first use. */
export function memorySnapshots(t: MemoryTables): SnapshotRepository {
  const { snapshottableDirs: dirs, snapshots } = t;
  return {
    findSnapshottableByDirsBatched: (dirIds) =>
      localQuery(() => {
        const wanted = inList(dirIds, 'snapshottable_dirs.findSnapshottableByDirsBatched');
        return dirs.rows().filter((d) => wanted.has(d.dirId)).sort((a, b) => a.dirId - b.dirId);
      }),
    findAllSnapshottable: () => localQuery(() => dirs.rows().sort((a, b) => a.dirId - b.dirId)),
    upsertSnapshottable: (row) => localMutation((log) => upsertRow(dirs, { ...row }, () => ({ ...row }), log)),
    deleteSnapshottableByDir: (dirId) => localMutation((log) => deleteWhere(dirs, (d) => d.dirId === dirId, log)),
    findSnapshotsByDirsBatched: (dirIds) =>
      localQuery(() => {
        const wanted = inList(dirIds, 'snapshots.findSnapshotsByDirsBatched');
        return snapshots.rows().filter((s) => wanted.has(s.dirId)).sort((a, b) => a.dirId - b.dirId || compareBytes(a.name, b.name));
      }),
    insertSnapshot: (row) => localMutation((log) => insertRow(snapshots, { ...row }, log)),
    deleteSnapshotByPk: (dirId, name) => localMutation((log) => deleteWhere(snapshots, (s) => s.dirId === dirId && s.name === name, log)),
    renameSnapshotByPk: (dirId, oldName, newName) =>
      localMutation((log) => rekeyWhere(snapshots, (s) => s.dirId === dirId && s.name === oldName, (s) => ({ ...s, name: newName }), log)),
    // In memory a deleted snapshot simply goes: nothing reclaims versions here.
    findAllSnapshotIds: () => localQuery(() => snapshots.rows().map((s) => ({ dirId: s.dirId, snapshotId: s.snapshotId, deleted: false }))),
    markSnapshotDeleted: (dirId, name) => localMutation((log) => deleteWhere(snapshots, (s) => s.dirId === dirId && s.name === name, log)),
    deleteSnapshotById: (snapshotId) => localMutation((log) => deleteWhere(snapshots, (s) => s.snapshotId === snapshotId, log)),
    nextSnapshotId: () =>
      writingQuery(t, (log) => {
        if (!t.counters.get(COUNTER_SNAPSHOT_ID)) insertRow(t.counters, { name: COUNTER_SNAPSHOT_ID, value: 0 }, log);
        return bumpCounter(t, COUNTER_SNAPSHOT_ID, (v) => v + 1, log);
      }),
  };
}
