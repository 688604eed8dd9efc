import type { BlockRepository, ReportedBlock } from '../../namenode/dal/block-repository';
import { CommandKind, RECOVERY_KINDS } from '../../namenode/dal/command-repository';
import type { DatanodeState } from '../../namenode/domain/datanode-info';
import { BlockState, type Block } from '../../namenode/domain/located-blocks';
import { compositeKey } from './memory-table';
import { deleteWhere, inList, insertRow, localMutation, localQuery, rekeyWhere } from './local-statements';
import type { MemoryTables } from './memory-tables';
import { memoryReplicas } from './memory-replicas';
import { memoryPipelines } from './memory-pipelines';
import type { LocalQuery, Query } from '../../namenode/dal/query';

export function memoryBlocks(t: MemoryTables): BlockRepository {
  const table = t.blocks;
  return {
    findByInode: (inodeId) => localQuery(() => table.rows().filter((b) => b.inodeId === inodeId).sort((a, b) => a.index - b.index)),
    findFileRowSet: (inodeId, withPipeline) =>
      localQuery(() => {
        // The replica and pipeline fakes' own answers, evaluated in this one statement.
        const evaluate = <T>(q: Query<T>): T => (q as LocalQuery<T>).evaluate();
        return {
          blocks: table.rows().filter((b) => b.inodeId === inodeId).sort((a, b) => a.index - b.index),
          replicas: evaluate(memoryReplicas(t).findLocationsByInodesBatched([inodeId])),
          pipeline: withPipeline ? evaluate(memoryPipelines(t).findLocationsByInodesBatched([inodeId])) : [],
        };
      }),
    findByInodesBatched: (ids) =>
      localQuery(() => {
        const wanted = inList(ids, 'blocks.findByInodesBatched');
        return table.rows().filter((b) => wanted.has(b.inodeId)).sort((a, b) => a.inodeId - b.inodeId || a.index - b.index);
      }),
    findByIdBatched: (ids) =>
      localQuery(() => {
        const wanted = inList(ids, 'blocks.findByIdBatched');
        return table.rows().filter((b) => wanted.has(b.blockId));
      }),
    findReportedBatched: (ids, uuids) =>
      localQuery(() => {
        const wanted = inList(ids, 'blocks.findReportedBatched');
        const confirmed: readonly CommandKind[] = [CommandKind.Transfer, ...RECOVERY_KINDS];
        const flagged = (b: Block): ReportedBlock => ({
          ...b,
          commanded: t.commands.rows().some((c) => c.blockId === b.blockId && confirmed.includes(c.kind)),
          queued: t.underReplicated.rows().some((u) => u.blockId === b.blockId),
        });
        const kept = t.blockVersions
          .rows()
          .filter((v) => wanted.has(v.blockId))
          .map((v) => flagged({ inodeId: v.inodeId, index: v.index, blockId: v.blockId, genStamp: v.genStamp, numBytes: v.numBytes, state: BlockState.Complete }));
        const registered = new Set(uuids);
        return {
          blocks: table.rows().filter((b) => wanted.has(b.blockId)).map(flagged),
          kept,
          registrations: new Map<string, DatanodeState>(t.datanodes.rows().filter((d) => registered.has(d.uuid)).map((d) => [d.uuid, d.state])),
        };
      }),
    insert: (b) =>
      localMutation((log) =>
        insertRow(table, { inodeId: b.inodeId, index: b.index, blockId: b.blockId, genStamp: b.genStamp, numBytes: b.numBytes, state: b.state }, log),
      ),
    insertBatched: (rows) =>
      localMutation((log) => {
        for (const b of rows) insertRow(table, { inodeId: b.inodeId, index: b.index, blockId: b.blockId, genStamp: b.genStamp, numBytes: b.numBytes, state: b.state }, log);
        return rows.length;
      }),
    updateByPk: (b) =>
      localMutation((log) => {
        const key = compositeKey(b.inodeId, b.index);
        const old = table.get(key);
        if (!old) return 0;
        const undo = table.replace(key, { ...old, blockId: b.blockId, genStamp: b.genStamp, numBytes: b.numBytes, state: b.state });
        if (undo) log.add(undo);
        return 1;
      }),
    deleteByPk: (b) => localMutation((log) => deleteWhere(table, (r) => r.inodeId === b.inodeId && r.index === b.index, log)),
    deleteByInodesBatched: (ids) =>
      localMutation((log) => {
        const doomed = inList(ids, 'blocks.deleteByInodesBatched');
        return deleteWhere(table, (r) => doomed.has(r.inodeId), log);
      }),
    moveToInode: (from, to, offset) =>
      localMutation((log) => rekeyWhere(table, (r) => r.inodeId === from, (r) => ({ ...r, inodeId: to, index: r.index + offset }), log)),
  };
}
