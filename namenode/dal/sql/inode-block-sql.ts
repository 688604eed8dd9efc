import type { Block, BlockState } from '../../domain/located-blocks';
import type { InodesWithBlocks } from '../inode-repository';
import type { InodeKey, InodeRow } from '../inode-row';
import type { ReplicaLocation, ReplicaState } from '../replica-repository';
import { sqlQuery } from '../query';
import { DATANODE_COLUMNS, toLocation } from './datanode-columns';
import { INODE_COLUMNS, keyListParams, toInodeRow } from './inode-columns';
import { rowsOf } from './sql-session';
import { num, textsByLength } from './sql-values';

const QUALIFIED_INODE_COLUMNS = INODE_COLUMNS.split(', ').map((c) => `i.${c}`).join(', ');

/** findByPkWithBlocks' texts by key count: its keys as a row list, as findByPkBatched's unlocked lookup (inode-sql.ts). */
const withBlocksSql = textsByLength(
  (n) => `SELECT ${QUALIFIED_INODE_COLUMNS}, b.block_index, b.block_id, b.generation_stamp AS block_gs, b.num_bytes AS block_bytes, b.state AS block_state,
                   r.storage_id, r.generation_stamp AS replica_gs, r.num_bytes AS replica_bytes, r.state AS replica_state, s.storage_type, ${DATANODE_COLUMNS}
            FROM inodes i
            LEFT JOIN blocks b ON b.inode_id = i.id
            LEFT JOIN (replicas r JOIN datanodes d ON d.uuid = r.datanode_uuid LEFT JOIN storages s ON s.storage_id = r.storage_id)
              ON r.inode_id = b.inode_id AND r.block_id = b.block_id
            WHERE (i.parent_id, i.name) IN (${Array.from({ length: n }, () => '(?, ?)').join(', ')})`,
);

/**
 * Inode rows by primary key, each joined with its blocks and their
 * replicas on datanodes (the replica's datanode row is required, as
 * findLocationsByInodesBatched requires it): one row per (inode, block,
 * replica), an inode without blocks or a block without replicas once with
 * NULLs. Block and replica columns are renamed apart from the datanode's
 * (`state`) and from each other.
 */
export function findByPkWithBlocks(keys: readonly InodeKey[]) {
  if (keys.length === 0) throw new Error('findByPkWithBlocksBatched needs at least one key');
  // getBlockLocations' lookup flights: a prepared statement.
  const { count, params, prepared } = keyListParams(keys, true);
  return sqlQuery(
    { sql: withBlocksSql(count), params, prepared },
    (result): InodesWithBlocks => {
      const rows: InodeRow[] = [];
      const files = new Map<number, { blocks: Block[]; replicas: ReplicaLocation[]; pipeline: [] }>();
      const seen = new Set<string>();
      for (const r of rowsOf(result)) {
        const inodeId = num(r['id']);
        let file = files.get(inodeId);
        if (!file) {
          rows.push(toInodeRow(r));
          file = { blocks: [], replicas: [], pipeline: [] };
          files.set(inodeId, file);
        }
        if (r['block_id'] === null || r['block_id'] === undefined) continue;
        const blockId = num(r['block_id']);
        const index = num(r['block_index']);
        // A block with n replicas comes n times, in a row or not: keep it once.
        if (!seen.has(`${inodeId}/${index}`)) {
          seen.add(`${inodeId}/${index}`);
          file.blocks.push({ inodeId, index, blockId, genStamp: num(r['block_gs']), numBytes: num(r['block_bytes']), state: num(r['block_state']) as BlockState });
        }
        if (r['uuid'] === null || r['uuid'] === undefined) continue;
        file.replicas.push({ blockId, genStamp: num(r['replica_gs']), numBytes: num(r['replica_bytes']), state: num(r['replica_state']) as ReplicaState, location: toLocation(r) });
      }
      for (const f of files.values()) f.blocks.sort((a, b) => a.index - b.index);
      return { rows, files };
    },
  );
}
