import type { PipelineLocation, PipelineRepository } from '../../namenode/dal/pipeline-repository';
import { joinLocation } from './datanode-join';
import { deleteWhere, inList, insertRow, localMutation, localQuery } from './local-statements';
import type { MemoryTables } from './memory-tables';

export function memoryPipelines(t: MemoryTables): PipelineRepository {
  const table = t.pipelineTargets;
  return {
    findLocationsByInodesBatched: (ids) =>
      localQuery(() => {
        const wanted = inList(ids, 'pipelines.findLocationsByInodesBatched');
        return table
          .rows()
          .filter((p) => wanted.has(p.inodeId))
          .sort((a, b) => a.blockId - b.blockId || a.position - b.position)
          .flatMap((p): PipelineLocation[] => {
            const location = joinLocation(t, p.datanodeUuid, p.storageId);
            return location ? [{ blockId: p.blockId, location }] : [];
          });
      }),
    insertBatched: (targets) =>
      localMutation((log) => {
        inList(targets, 'pipelines.insertBatched');
        return targets.reduce(
          (n, p) => n + insertRow(table, { inodeId: p.inodeId, blockId: p.blockId, position: p.position, datanodeUuid: p.datanodeUuid, storageId: p.storageId }, log),
          0,
        );
      }),
    deleteByBlock: (inodeId, blockId) => localMutation((log) => deleteWhere(table, (p) => p.inodeId === inodeId && p.blockId === blockId, log)),
    deleteByInodesBatched: (ids) =>
      localMutation((log) => {
        const doomed = inList(ids, 'pipelines.deleteByInodesBatched');
        return deleteWhere(table, (p) => doomed.has(p.inodeId), log);
      }),
  };
}
