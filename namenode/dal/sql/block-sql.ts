import type { Block, BlockState } from '../../domain/located-blocks';
import type { BlockRepository } from '../block-repository';
import { fileBlocksToken, fileBlocksTokens, readLockClause } from '../cache-tokens';
import { rowShape, sqlDeleteIn, sqlMutation, sqlQuery, sqlRowsMutation } from '../query';
import type { SqlRow } from './sql-session';
import { num, placeholders, rowsWith } from './sql-values';
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
  updateByPk: (b) =>
    sqlMutation({
      sql: 'UPDATE blocks SET block_id = ?, generation_stamp = ?, num_bytes = ?, state = ? WHERE inode_id = ? AND block_index = ?',
      params: [b.blockId, b.genStamp, b.numBytes, b.state, b.inodeId, b.index],
    }, [fileBlocksToken(b.inodeId)]),
  deleteByPk: (b) => sqlMutation({ sql: 'DELETE FROM blocks WHERE inode_id = ? AND block_index = ?', params: [b.inodeId, b.index] }, [fileBlocksToken(b.inodeId)]),
  deleteByInodesBatched: (ids) => sqlDeleteIn('blocks', 'inode_id', ids, fileBlocksTokens(ids)),
  moveToInode: (from, to, offset) =>
    sqlMutation({ sql: 'UPDATE blocks SET inode_id = ?, block_index = block_index + ? WHERE inode_id = ?', params: [to, offset, from] }, fileBlocksTokens([from, to])),
};
