import type { Block, BlockState } from '../../domain/located-blocks';
import type { BlockRepository } from '../block-repository';
import { fileBlocksToken, fileBlocksTokens, readLockClause } from '../cache-tokens';
import { rowShape, sqlDeleteIn, sqlMutation, sqlQuery, sqlRowsMutation, withParts, type SqlMutation } from '../query';
import type { SqlRow } from './sql-session';
import { num, placeholders, rowsWith, textsByLength } from './sql-values';
import { valuesRows, valuesTable } from './values-table';
import { findFileBlockRowSet } from './file-block-sql';
import { findReportedBlockRows } from './reported-block-sql';

const COLUMNS = 'inode_id, block_index, block_id, generation_stamp, num_bytes, state';

const toBlock = (r: SqlRow): Block => ({
  inodeId: num(r['inode_id']),
  index: num(r['block_index']),
  blockId: num(r['block_id']),
  genStamp: num(r['generation_stamp']),
  numBytes: num(r['num_bytes']),
  state: num(r['state']) as BlockState,
});

const blocks = rowsWith(toBlock);

/** insert's parts: the new blocks of a group commit's addBlocks join as one statement. */
const BLOCK_ROWS = rowShape({ into: 'blocks', head: `INSERT INTO blocks (${COLUMNS}) VALUES `, rows: '(?,?,?,?,?,?)', separator: ',', tail: '' });

/**
 * updateByPk of one block row, or of several in one statement: a group
 * commit's completes each settle their file's last block, and those
 * updates join (coalesceMutations) as a multi-table UPDATE joining the
 * rows' new values (one SELECT of literals per row) on the key, as the
 * inodes' updates in place do (inode-sql.ts). Like UPDATE it changes only
 * rows that exist. The join keeps its order with every other write of
 * `blocks` (`removes`): an update moved past an insert of its row would run
 * before the row exists. A multi-table UPDATE changes a row once however
 * many of the joined rows name it, so the last change of a row is the one
 * kept, as the statements one by one would leave it.
 */
function updateAll(changed: readonly Block[]): SqlMutation {
  const byKey = new Map<string, Block>();
  for (const b of changed) byKey.set(`${b.inodeId}/${b.index}`, b);
  const rows = [...byKey.values()];
  const only = rows.length === 1 ? rows[0] : undefined;
  const m = only
    ? sqlMutation({ sql: UPDATE_ONE, params: [only.blockId, only.genStamp, only.numBytes, only.state, only.inodeId, only.index] }, [fileBlocksToken(only.inodeId)])
    : sqlMutation({ sql: updateJoinSql(rows.length), params: rows.flatMap((b) => [b.inodeId, b.index, b.blockId, b.genStamp, b.numBytes, b.state]) }, fileBlocksTokens([...new Set(rows.map((b) => b.inodeId))]));
  const joinable = withParts(m, { sameRow: { table: 'blocks', key: 'updateByPk', removes: true, join: (all) => updateAll(all.flatMap((j) => updatedRows.get(j) ?? [])) } });
  updatedRows.set(joinable, rows);
  return joinable;
}

/** The rows each joinable update writes, for its join. */
const updatedRows = new WeakMap<SqlMutation, readonly Block[]>();

const UPDATE_ONE = 'UPDATE blocks SET block_id = ?, generation_stamp = ?, num_bytes = ?, state = ? WHERE inode_id = ? AND block_index = ?';
const UPDATE_VALUES = valuesTable(['inode_id', 'block_index', 'block_id', 'generation_stamp', 'num_bytes', 'state']);
const updateJoinSql = textsByLength(
  (n) =>
    `UPDATE (${UPDATE_VALUES}${valuesRows(6, n)}) v STRAIGHT_JOIN blocks b` +
    ' ON b.inode_id = v.inode_id AND b.block_index = v.block_index' +
    ' SET b.block_id = v.block_id, b.generation_stamp = v.generation_stamp, b.num_bytes = v.num_bytes, b.state = v.state',
);

export const sqlBlocks: BlockRepository = {
  findByInode: (inodeId) => sqlQuery({ sql: `SELECT ${COLUMNS} FROM blocks WHERE inode_id = ? ORDER BY block_index`, params: [inodeId] }, blocks),
  findFileRowSet: findFileBlockRowSet,
  findByInodesBatched: (ids, lock) =>
    sqlQuery({ sql: `SELECT ${COLUMNS} FROM blocks WHERE inode_id IN (${placeholders(ids.length)}) ORDER BY inode_id, block_index${readLockClause(lock)}`, params: [...ids] }, blocks),
  findByIdBatched: (ids) => sqlQuery({ sql: `SELECT ${COLUMNS} FROM blocks WHERE block_id IN (${placeholders(ids.length)})`, params: [...ids] }, blocks),
  findReportedBatched: findReportedBlockRows,
  // Joins the other new blocks of a group commit's addBlocks in one statement.
  insert: (b) =>
    sqlRowsMutation(BLOCK_ROWS, [b.inodeId, b.index, b.blockId, b.genStamp, b.numBytes, b.state], [
      fileBlocksToken(b.inodeId),
    ]),
  insertBatched: (rows) =>
    sqlMutation({
      sql: `INSERT INTO blocks (${COLUMNS}) VALUES ${rows.map(() => '(?,?,?,?,?,?)').join(',')}`,
      params: rows.flatMap((b) => [b.inodeId, b.index, b.blockId, b.genStamp, b.numBytes, b.state]),
    }, fileBlocksTokens(rows.map((b) => b.inodeId))),
  updateByPk: (b) => updateAll([b]),
  deleteByPk: (b) => sqlMutation({ sql: 'DELETE FROM blocks WHERE inode_id = ? AND block_index = ?', params: [b.inodeId, b.index] }, [fileBlocksToken(b.inodeId)]),
  deleteByInodesBatched: (ids) => sqlDeleteIn('blocks', 'inode_id', ids, fileBlocksTokens(ids)),
  moveToInode: (from, to, offset) =>
    sqlMutation({ sql: 'UPDATE blocks SET inode_id = ?, block_index = block_index + ? WHERE inode_id = ?', params: [to, offset, from] }, fileBlocksTokens([from, to])),
};
