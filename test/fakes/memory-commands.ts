import { CommandKind, commandKeyText, RECOVERY_KINDS, type CommandKey, type CommandRepository, type PendingCommand } from '../../namenode/dal/command-repository';
import { compositeKey } from './memory-table';
import { deleteWhere, inList, localMutation, localQuery, updateWhere, upsertRow } from './local-statements';
import type { CommandRecord } from './memory-rows';
import type { MemoryTables } from './memory-tables';

const pending = (c: CommandRecord): PendingCommand => ({
  datanodeUuid: c.datanodeUuid,
  blockId: c.blockId,
  kind: c.kind,
  genStamp: c.genStamp,
  numBytes: c.numBytes,
  deliveries: c.deliveries,
});

export function memoryCommands(t: MemoryTables): CommandRepository {
  const table = t.commands;
  const keysOf = (uuid: string, keys: readonly CommandKey[], what: string) => inList(keys.map((k) => compositeKey(uuid, k.blockId, k.kind)), what);
  return {
    insert: (c, now) => [
      localMutation((log) => {
        const row: CommandRecord = { ...c, targets: [...c.targets], createdAt: now, handedOutAt: 0, deliveries: 0 };
        return upsertRow(table, row, (old) => ({ ...old, genStamp: row.genStamp, numBytes: row.numBytes, targets: row.targets, createdAt: now, handedOutAt: 0, deliveries: 0 }), log);
      }),
    ],
    findDueByDatanodeForUpdate: (uuid, handedOutBefore, limit) =>
      localQuery(() =>
        table
          .rows()
          .filter((c) => c.datanodeUuid === uuid && c.handedOutAt < handedOutBefore)
          .sort((a, b) => a.createdAt - b.createdAt)
          .slice(0, limit)
          .map(pending),
      ),
    findTargetsBatched: (uuid, keys) =>
      localQuery(() => {
        const wanted = keysOf(uuid, keys, 'commands.findTargetsBatched');
        return new Map(table.rows().filter((c) => wanted.has(table.keyOf(c)) && c.targets.length > 0).map((c) => [commandKeyText(c), [...c.targets]]));
      }),
    markHandedOut: (uuid, keys, now) =>
      localMutation((log) => {
        const wanted = keysOf(uuid, keys, 'commands.markHandedOut');
        return updateWhere(table, (c) => wanted.has(table.keyOf(c)), (c) => ({ ...c, handedOutAt: now, deliveries: c.deliveries + 1 }), log);
      }),
    deleteByPkBatched: (uuid, keys) =>
      localMutation((log) => {
        const doomed = keysOf(uuid, keys, 'commands.deleteByPkBatched');
        return deleteWhere(table, (c) => doomed.has(table.keyOf(c)), log);
      }),
    deleteByDatanode: (uuid) => localMutation((log) => deleteWhere(table, (c) => c.datanodeUuid === uuid, log)),
    confirmReceived: (copies) => [
      localMutation((log) =>
        deleteWhere(table, (c) => RECOVERY_KINDS.includes(c.kind) && copies.some((k) => k.uuid === c.datanodeUuid && k.blockId === c.blockId && c.genStamp <= k.genStamp), log),
      ),
      localMutation((log) => deleteWhere(table, (c) => c.kind === CommandKind.Transfer && copies.some((k) => k.blockId === c.blockId && c.targets.includes(k.uuid)), log)),
    ],
    findDatanodesWithDue: (uuids, handedOutBefore) =>
      localQuery(() => {
        const wanted = inList(uuids, 'commands.findDatanodesWithDue');
        return [...new Set(table.rows().filter((c) => wanted.has(c.datanodeUuid) && c.handedOutAt < handedOutBefore).map((c) => c.datanodeUuid))];
      }),
    findHandedOutInvalidations: (uuid, handedOutBefore) =>
      localQuery(() =>
        table
          .rows()
          .filter((c) => c.datanodeUuid === uuid && c.kind === CommandKind.Invalidate && c.handedOutAt > 0 && c.handedOutAt < handedOutBefore)
          .map(pending),
      ),
    findRecoveryHolders: (blockId) => localQuery(() => table.rows().filter((c) => c.blockId === blockId && RECOVERY_KINDS.includes(c.kind)).map((c) => c.datanodeUuid)),
  };
}
