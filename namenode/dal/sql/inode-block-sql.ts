import type { Block, BlockState } from '../../domain/located-blocks';
import type { ChildPage, InodesWithBlocks, ReadBatch } from '../inode-repository';
import { keyOf, type InodeKey, type InodeRow } from '../inode-row';
import type { ReplicaLocation, ReplicaState } from '../replica-repository';
import { sqlQuery } from '../query';
import { DATANODE_COLUMNS, toLocation } from './datanode-columns';
import { INODE_COLUMNS, keyParams, toInodeRow } from './inode-columns';
import { rowsOf, type SqlParam, type SqlRow, type SqlStatement } from './sql-session';
import { bytes, num } from './sql-values';

const QUALIFIED_INODE_COLUMNS = INODE_COLUMNS.split(', ').map((c) => `i.${c}`).join(', ');
const BLOCK_COLUMNS = `b.block_index, b.block_id, b.generation_stamp AS block_gs, b.num_bytes AS block_bytes, b.state AS block_state,
                   r.storage_id, r.generation_stamp AS replica_gs, r.num_bytes AS replica_bytes, r.state AS replica_state, s.storage_type, ${DATANODE_COLUMNS}`;
/** A child page's stand-ins for BLOCK_COLUMNS in a UNION with the lookup. */
const NO_BLOCK_COLUMNS = BLOCK_COLUMNS.split(',').map(() => 'NULL').join(', ');
const keyMatches = (keys: readonly InodeKey[], table = ''): string => keys.map(() => `(${table}parent_id = ? AND ${table}name = ?)`).join(' OR ');

/**
 * Inode rows by primary key, each joined with its blocks and their
 * replicas on datanodes (the replica's datanode row is required, as
 * findLocationsByInodesBatched requires it): one row per (inode, block,
 * replica), an inode without blocks or a block without replicas once with
 * NULLs. Block and replica columns are renamed apart from the datanode's
 * (`state`) and from each other. `plainKeys` (not also in `keys`) come in
 * the same statement without their blocks (the join's condition leaves
 * them out) and without an entry in `files`.
 */
function withBlocksSelect(keys: readonly InodeKey[], plainKeys: readonly InodeKey[], pageColumn: string): SqlStatement {
  if (keys.length === 0) throw new Error('findByPkWithBlocksBatched needs at least one key');
  return {
    sql: `SELECT ${pageColumn}${QUALIFIED_INODE_COLUMNS}, ${BLOCK_COLUMNS}
            FROM inodes i
            LEFT JOIN blocks b ON b.inode_id = i.id${plainKeys.length === 0 ? '' : ` AND (${keyMatches(keys, 'i.')})`}
            LEFT JOIN (replicas r JOIN datanodes d ON d.uuid = r.datanode_uuid LEFT JOIN storages s ON s.storage_id = r.storage_id)
              ON r.inode_id = b.inode_id AND r.block_id = b.block_id
            WHERE ${keyMatches([...keys, ...plainKeys], 'i.')}`,
    params: plainKeys.length === 0 ? keys.flatMap(keyParams) : [...keys, ...keys, ...plainKeys].flatMap(keyParams),
  };
}

/** The inode rows of a withBlocksSelect's result, and the blocks of those not among `plainKeys`. */
function inodesWithBlocks(result: readonly SqlRow[], plainKeys: readonly InodeKey[]): InodesWithBlocks {
  const rows: InodeRow[] = [];
  const files = new Map<number, { blocks: Block[]; replicas: ReplicaLocation[]; pipeline: [] }>();
  const seen = new Set<string>();
  const plain = new Set(plainKeys.map(keyOf));
  const found = new Set<number>();
  for (const r of result) {
    const inodeId = num(r['id']);
    if (!found.has(inodeId)) {
      found.add(inodeId);
      const row = toInodeRow(r);
      rows.push(row);
      if (!plain.has(keyOf(row))) files.set(inodeId, { blocks: [], replicas: [], pipeline: [] });
    }
    const file = files.get(inodeId);
    if (!file || r['block_id'] === null || r['block_id'] === undefined) continue;
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
}

export function findByPkWithBlocks(keys: readonly InodeKey[], plainKeys: readonly InodeKey[] = []) {
  return sqlQuery(withBlocksSelect(keys, plainKeys, ''), (result): InodesWithBlocks => inodesWithBlocks(rowsOf(result), plainKeys));
}

/**
 * A read flight in one statement: the lookups (withBlocksSelect, or the
 * plain rows when no key wants blocks; none without keys) and a page of
 * each directory of `pages`, as a UNION ALL whose first column says which
 * part a row answers (-1 the lookups, else the page's index). The lookup
 * goes first: its columns name the result's.
 */
export function findByPkAndChildPages(blockKeys: readonly InodeKey[], plainKeys: readonly InodeKey[], pages: readonly ChildPage[]) {
  const allKeys = [...blockKeys, ...plainKeys];
  if (pages.length === 0) throw new Error('findByPkAndChildPagesBatched needs a page');
  const lookup: SqlStatement | undefined =
    blockKeys.length > 0
      ? withBlocksSelect(blockKeys, plainKeys, '-1 AS page, ')
      : allKeys.length > 0
        ? { sql: `SELECT -1 AS page, ${INODE_COLUMNS} FROM inodes WHERE ${keyMatches(allKeys)}`, params: allKeys.flatMap(keyParams) }
        : undefined;
  const pageColumns = blockKeys.length > 0 ? `${INODE_COLUMNS}, ${NO_BLOCK_COLUMNS}` : INODE_COLUMNS;
  const page = `SELECT ? AS page, ${pageColumns} FROM inodes WHERE parent_id = ? AND name > ? ORDER BY name LIMIT ?`;
  const params: SqlParam[] = [...(lookup?.params ?? []), ...pages.flatMap((p, i) => [i, p.parentId, bytes(p.startAfter), p.limit])];
  const parts = [...(lookup ? [lookup.sql] : []), ...pages.map(() => page)];
  return sqlQuery({ sql: parts.map((s) => `(${s})`).join(' UNION ALL '), params }, (result): ReadBatch => {
    const looked: SqlRow[] = [];
    const paged = pages.map((): InodeRow[] => []);
    for (const r of rowsOf(result)) {
      const i = num(r['page']);
      if (i < 0) looked.push(r);
      else paged[i]?.push(toInodeRow(r));
    }
    const { rows, files } = blockKeys.length > 0 ? inodesWithBlocks(looked, plainKeys) : { rows: looked.map(toInodeRow), files: new Map() };
    return { rows, files, pages: paged };
  });
}
