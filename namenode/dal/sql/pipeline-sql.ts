import type { PipelineRepository } from '../pipeline-repository';
import { rowShape, sqlDeleteIn, sqlQuery, sqlRowsMutation, withRows } from '../query';
import { DATANODE_COLUMNS, toLocation } from './datanode-columns';
import { num, placeholders, rowsWith } from './sql-values';

/** insertBatched's parts: the pipelines of a group commit's addBlocks join as one statement. */
const PIPELINE_ROWS = rowShape({ into: 'pipeline_targets', head: 'INSERT INTO pipeline_targets (inode_id, block_id, position, datanode_uuid, storage_id) VALUES ', rows: '(?,?,?,?,?)', separator: ',', tail: '' });

/** deleteByBlock's parts: a block's rows by their key's first two columns (a range on the primary key). */
const DELETE_BY_BLOCK = rowShape({ into: 'pipeline_targets', removes: true, head: 'DELETE FROM pipeline_targets WHERE ', rows: '(inode_id = ? AND block_id = ?)', separator: ' OR ', tail: '' });

export const sqlPipelines: PipelineRepository = {
  findLocationsByInodesBatched: (inodeIds) =>
    sqlQuery(
      {
        sql: `SELECT p.block_id, p.storage_id, p.position, s.storage_type, ${DATANODE_COLUMNS}
              FROM pipeline_targets p JOIN datanodes d ON d.uuid = p.datanode_uuid LEFT JOIN storages s ON s.storage_id = p.storage_id
              WHERE p.inode_id IN (${placeholders(inodeIds.length)}) ORDER BY p.block_id, p.position`,
        params: [...inodeIds],
      },
      rowsWith((r) => ({ blockId: num(r['block_id']), location: toLocation(r) })),
    ),
  // Joins the other pipelines of a group commit's addBlocks in one statement.
  insertBatched: (targets) =>
    sqlRowsMutation(
      withRows(PIPELINE_ROWS, targets.map(() => PIPELINE_ROWS.rows).join(',')),
      targets.flatMap((t) => [t.inodeId, t.blockId, t.position, t.datanodeUuid, t.storageId]),
    ),
  // Joins the other deletes of a group commit's completes in one statement.
  deleteByBlock: (inodeId, blockId) => sqlRowsMutation(DELETE_BY_BLOCK, [inodeId, blockId]),
  deleteByInodesBatched: (ids) => sqlDeleteIn('pipeline_targets', 'inode_id', ids),
};
