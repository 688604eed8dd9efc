import type { CommandRepository, CommandRow } from '../../namenode/dal/command-repository';
import { compositeKey } from './memory-table';
import { deleteWhere, inList, localMutation, localQuery, upsertRow } from './local-statements';
import type { CommandRecord } from './memory-rows';
import type { MemoryTables } from './memory-tables';

const commandRow = (c: CommandRecord): CommandRow => ({
  datanodeUuid: c.datanodeUuid,
  blockId: c.blockId,
  kind: c.kind,
  genStamp: c.genStamp,
  numBytes: c.numBytes,
  targets: c.targets.split(',').filter(Boolean),
});

export function memoryCommands(t: MemoryTables): CommandRepository {
  const table = t.commands;
  return {
    insert: (c, now) =>
      localMutation((log) => {
        const row: CommandRecord = { datanodeUuid: c.datanodeUuid, blockId: c.blockId, kind: c.kind, genStamp: c.genStamp, numBytes: c.numBytes, targets: c.targets.join(','), createdAt: now };
        return upsertRow(table, row, (old) => ({ ...old, genStamp: row.genStamp, numBytes: row.numBytes, targets: row.targets, createdAt: now }), log);
      }),
    findByDatanodeForUpdate: (uuid, limit) =>
      localQuery(() =>
        table
          .rows()
          .filter((c) => c.datanodeUuid === uuid)
          .sort((a, b) => a.createdAt - b.createdAt)
          .slice(0, limit)
          .map(commandRow),
      ),
    deleteByPkBatched: (uuid, keys) =>
      localMutation((log) => {
        const doomed = inList(keys.map((k) => compositeKey(uuid, k.blockId, k.kind)), 'commands.deleteByPkBatched');
        return deleteWhere(table, (c) => doomed.has(table.keyOf(c)), log);
      }),
  };
}
