import type { SubtreeOpRepository } from '../../namenode/dal/subtree-op-repository';
import { deleteWhere, localMutation, localQuery, upsertRow } from './local-statements';
import type { MemoryTables } from './memory-tables';

export function memorySubtreeOps(t: MemoryTables): SubtreeOpRepository {
  const table = t.subtreeOps;
  return {
    findAll: () => localQuery(() => table.rows()),
    upsert: (op) =>
      localMutation((log) => {
        upsertRow(table, op, () => op, log);
        return 1;
      }),
    deleteByRootAndOwner: (rootId, owner) => localMutation((log) => deleteWhere(table, (o) => o.rootId === rootId && o.owner === owner, log)),
  };
}
