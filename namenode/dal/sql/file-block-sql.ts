import type { Block, BlockState } from '../../domain/located-blocks';
import type { FileBlockRowSet } from '../block-repository';
import type { ReplicaLocation, ReplicaState } from '../replica-repository';
import type { PipelineLocation } from '../pipeline-repository';
import { sqlQuery, type SqlQuery } from '../query';
import { DATANODE_COLUMNS, toLocation } from './datanode-columns';
import { rowsOf } from './sql-session';
import { num, placeholders } from './sql-values';

/** The datanode columns as NULLs, named as the joins name them (the union's first member names the columns). */
const NO_DATANODE = DATANODE_COLUMNS.split(', ').map((c) => `NULL AS ${c.slice(2)}`).join(', ');

/**
 * A file's blocks, their replicas' locations and (when asked) its pipeline
 * in one statement: a UNION ALL tagged by `k` (0 block, 1 replica, 2
 * pipeline target) over the columns of all three. Members of a UNION keep
 * no ORDER BY of their own: the rows are sorted here. The block's or
 * replica's state is `row_state`: `state` is the datanode's. Reads of
 * several files join (`batch`: a group commit's completes) as the same
 * statement over all their ids, each row tagged with its file.
 */
export function findFileBlockRowSet(inodeId: number, withPipeline: boolean): SqlQuery<FileBlockRowSet> {
  const one = fileBlockRowSets([inodeId], withPipeline);
  return {
    kind: 'sql',
    statements: one.statements,
    decode: (results) => one.decode(results)(inodeId),
    batch: { key: `fileBlockRowSet/${withPipeline ? 1 : 0}`, id: inodeId, many: (ids) => fileBlockRowSets(ids, withPipeline) },
  };
}

const EMPTY: FileBlockRowSet = { blocks: [], replicas: [], pipeline: [] };

/** The block row sets of several files in one statement, each file's as findFileBlockRowSet answers it alone. */
function fileBlockRowSets(inodeIds: readonly number[], withPipeline: boolean): SqlQuery<(inodeId: number) => FileBlockRowSet> {
  const ids = inodeIds.length === 1 ? '= ?' : `IN (${placeholders(inodeIds.length)})`;
  const members = [
    `SELECT 0 AS k, inode_id AS file_id, block_index, block_id, generation_stamp, num_bytes, state AS row_state, NULL AS storage_id, NULL AS position, NULL AS storage_type, ${NO_DATANODE} FROM blocks WHERE inode_id ${ids}`,
    `SELECT 1, r.inode_id, NULL, r.block_id, r.generation_stamp, r.num_bytes, r.state, r.storage_id, NULL, s.storage_type, ${DATANODE_COLUMNS}
     FROM replicas r JOIN datanodes d ON d.uuid = r.datanode_uuid LEFT JOIN storages s ON s.storage_id = r.storage_id WHERE r.inode_id ${ids}`,
    ...(withPipeline
      ? [
          `SELECT 2, p.inode_id, NULL, p.block_id, NULL, NULL, NULL, p.storage_id, p.position, s.storage_type, ${DATANODE_COLUMNS}
           FROM pipeline_targets p JOIN datanodes d ON d.uuid = p.datanode_uuid LEFT JOIN storages s ON s.storage_id = p.storage_id WHERE p.inode_id ${ids}`,
        ]
      : []),
  ];
  return sqlQuery({ sql: members.map((m) => `(${m})`).join(' UNION ALL '), params: members.flatMap(() => inodeIds) }, (result) => {
    const sets = new Map<number, { blocks: Block[]; replicas: ReplicaLocation[]; pipeline: { position: number; row: PipelineLocation }[] }>();
    for (const r of rowsOf(result)) {
      const inodeId = num(r['file_id']);
      let set = sets.get(inodeId);
      if (!set) sets.set(inodeId, (set = { blocks: [], replicas: [], pipeline: [] }));
      const kind = num(r['k']);
      const blockId = num(r['block_id']);
      if (kind === 0) {
        set.blocks.push({ inodeId, index: num(r['block_index']), blockId, genStamp: num(r['generation_stamp']), numBytes: num(r['num_bytes']), state: num(r['row_state']) as BlockState });
      } else if (kind === 1) {
        set.replicas.push({ blockId, genStamp: num(r['generation_stamp']), numBytes: num(r['num_bytes']), state: num(r['row_state']) as ReplicaState, location: toLocation(r) });
      } else {
        set.pipeline.push({ position: num(r['position']), row: { blockId, location: toLocation(r) } });
      }
    }
    const out = new Map<number, FileBlockRowSet>();
    for (const [inodeId, set] of sets) {
      set.blocks.sort((a, b) => a.index - b.index);
      set.pipeline.sort((a, b) => a.row.blockId - b.row.blockId || a.position - b.position);
      out.set(inodeId, { blocks: set.blocks, replicas: set.replicas, pipeline: set.pipeline.map((p) => p.row) });
    }
    return (inodeId: number) => out.get(inodeId) ?? EMPTY;
  });
}
