import { ReplicaState, type ReplicaLocation, type ReplicaRepository, type ReplicaRow } from '../../namenode/dal/replica-repository';
import { joinLocation } from './datanode-join';
import { deleteWhere, inList, localMutation, localQuery, rekeyWhere, updateWhere, upsertRow } from './local-statements';
import type { MemoryTables } from './memory-tables';

const replicaColumns = (r: ReplicaRow): ReplicaRow => ({
  inodeId: r.inodeId,
  blockId: r.blockId,
  storageId: r.storageId,
  datanodeUuid: r.datanodeUuid,
  genStamp: r.genStamp,
  numBytes: r.numBytes,
  state: r.state,
});

export function memoryReplicas(t: MemoryTables): ReplicaRepository {
  const table = t.replicas;
  return {
    findLocationsByInodesBatched: (ids) =>
      localQuery(() => {
        const wanted = inList(ids, 'replicas.findLocationsByInodesBatched');
        return table
          .rows()
          .filter((r) => wanted.has(r.inodeId))
          .flatMap((r): ReplicaLocation[] => {
            const location = joinLocation(t, r.datanodeUuid, r.storageId);
            return location ? [{ blockId: r.blockId, genStamp: r.genStamp, numBytes: r.numBytes, state: r.state, location }] : [];
          });
      }),
    findByInodesBatched: (ids) =>
      localQuery(() => {
        const wanted = inList(ids, 'replicas.findByInodesBatched');
        return table.rows().filter((r) => wanted.has(r.inodeId));
      }),
    findByStorageWithBlockStamps: (datanodeUuid, storageId) =>
      localQuery(() =>
        table
          .rows()
          .filter((r) => r.datanodeUuid === datanodeUuid && r.storageId === storageId)
          .map((r) => ({ ...r, blockGenStamp: t.blocks.rows().find((b) => b.blockId === r.blockId && b.inodeId === r.inodeId)?.genStamp })),
      ),
    findFinalizedOfBlock: (inodeId, blockId, minGenStamp) =>
      localQuery(() =>
        table
          .rows()
          .filter((r) => r.inodeId === inodeId && r.blockId === blockId && r.state === ReplicaState.Finalized && r.genStamp >= minGenStamp)
          .map((r) => ({ datanodeUuid: r.datanodeUuid, genStamp: r.genStamp, numBytes: r.numBytes })),
      ),
    upsertBatched: (rows) =>
      localMutation((log) =>
        rows.reduce(
          (n, r) => n + upsertRow(table, replicaColumns(r), (old) => ({ ...old, datanodeUuid: r.datanodeUuid, genStamp: r.genStamp, numBytes: r.numBytes, state: r.state }), log),
          0,
        ),
      ),
    deleteOfStorageBatched: (storageId, blocks) =>
      localMutation((log) => {
        const doomed = inList(blocks.map((b) => `${b.inodeId}/${b.blockId}`), 'replicas.deleteOfStorageBatched');
        return deleteWhere(table, (r) => r.storageId === storageId && doomed.has(`${r.inodeId}/${r.blockId}`), log);
      }),
    deleteByPk: (inodeId, blockId, storageId) =>
      localMutation((log) => deleteWhere(table, (r) => r.inodeId === inodeId && r.blockId === blockId && r.storageId === storageId, log)),
    deleteByInodesBatched: (ids) =>
      localMutation((log) => {
        const doomed = inList(ids, 'replicas.deleteByInodesBatched');
        return deleteWhere(table, (r) => doomed.has(r.inodeId), log);
      }),
    moveToInode: (from, to) => localMutation((log) => rekeyWhere(table, (r) => r.inodeId === from, (r) => ({ ...r, inodeId: to }), log)),
    markCorrupt: (inodeId, blockId, datanodeUuid) =>
      localMutation((log) =>
        updateWhere(
          table,
          (r) => r.inodeId === inodeId && r.blockId === blockId && r.datanodeUuid === datanodeUuid,
          (r) => ({ ...r, state: ReplicaState.Corrupt }),
          log,
        ),
      ),
  };
}
