import type { BlockState } from '../../domain/located-blocks';
import type { FileBlockRowSet } from '../block-repository';
import type { ReplicaState } from '../replica-repository';
import { sqlQuery } from '../query';
import { DATANODE_COLUMNS, toLocation } from './datanode-columns';
import { rowsOf } from './sql-session';
import { num } from './sql-values';

/** The datanode columns as NULLs, named as the joins name them (the union's first member names the columns). */
const NO_DATANODE = DATANODE_COLUMNS.split(', ').map((c) => `NULL AS ${c.slice(2)}`).join(', ');

/**
 * A file's blocks, their replicas' locations and (when asked) its pipeline
 * in one statement: a UNION ALL tagged by `k` (0 block, 1 replica, 2
 * pipeline target) over the columns of all three. Members of a UNION keep
 * no ORDER BY of their own: the rows are sorted here. The block's or
 * replica's state is `row_state`: `state` is the datanode's.
 */
export function findFileBlockRowSet(inodeId: number, withPipeline: boolean) {
  const members = [
    `SELECT 0 AS k, block_index, block_id, generation_stamp, num_bytes, state AS row_state, NULL AS storage_id, NULL AS position, NULL AS storage_type, ${NO_DATANODE} FROM blocks WHERE inode_id = ?`,
    `SELECT 1, NULL, r.block_id, r.generation_stamp, r.num_bytes, r.state, r.storage_id, NULL, s.storage_type, ${DATANODE_COLUMNS}
     FROM replicas r JOIN datanodes d ON d.uuid = r.datanode_uuid LEFT JOIN storages s ON s.storage_id = r.storage_id WHERE r.inode_id = ?`,
    ...(withPipeline
      ? [
          `SELECT 2, NULL, p.block_id, NULL, NULL, NULL, p.storage_id, p.position, s.storage_type, ${DATANODE_COLUMNS}
           FROM pipeline_targets p JOIN datanodes d ON d.uuid = p.datanode_uuid LEFT JOIN storages s ON s.storage_id = p.storage_id WHERE p.inode_id = ?`,
        ]
      : []),
  ];
  return sqlQuery({ sql: members.map((m) => `(${m})`).join(' UNION ALL '), params: members.map(() => inodeId) }, (result): FileBlockRowSet => {
    const blocks: FileBlockRowSet['blocks'][number][] = [];
    const replicas: FileBlockRowSet['replicas'][number][] = [];
    const pipeline: { position: number; row: FileBlockRowSet['pipeline'][number] }[] = [];
    for (const r of rowsOf(result)) {
      const kind = num(r['k']);
      const blockId = num(r['block_id']);
      if (kind === 0) {
        blocks.push({ inodeId, index: num(r['block_index']), blockId, genStamp: num(r['generation_stamp']), numBytes: num(r['num_bytes']), state: num(r['row_state']) as BlockState });
      } else if (kind === 1) {
        replicas.push({ blockId, genStamp: num(r['generation_stamp']), numBytes: num(r['num_bytes']), state: num(r['row_state']) as ReplicaState, location: toLocation(r) });
      } else {
        pipeline.push({ position: num(r['position']), row: { blockId, location: toLocation(r) } });
      }
    }
    blocks.sort((a, b) => a.index - b.index);
    pipeline.sort((a, b) => a.row.blockId - b.row.blockId || a.position - b.position);
    return { blocks, replicas, pipeline: pipeline.map((p) => p.row) };
  });
}
