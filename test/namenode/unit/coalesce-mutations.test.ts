import type { InodeRow } from '../../../namenode/dal/inode-row';
import { coalesceMutations, sqlDeleteIn, sqlMutation, sqlRowsMutation, type Mutation, type RowsStatement, type SqlMutation } from '../../../namenode/dal/query';
import { sqlInodes } from '../../../namenode/dal/sql/inode-sql';
import { sqlLeases } from '../../../namenode/dal/sql/lease-sql';
import { sqlBlocks } from '../../../namenode/dal/sql/block-sql';
import { sqlPipelines } from '../../../namenode/dal/sql/pipeline-sql';
import { BlockState, type Block } from '../../../namenode/domain/located-blocks';
import { fileRow } from '../../fakes/row-fixtures';

const shape = (into: string, tail = ''): RowsStatement => ({ into, head: `INSERT INTO ${into} (a, b) VALUES `, rows: '(?, ?)', separator: ', ', tail });
const insert = (into: string, a: number, tail = ''): SqlMutation => sqlRowsMutation(shape(into, tail), [a, a * 10]);
const plain = (sql: string): SqlMutation => sqlMutation({ sql, params: [] });
/** A change of one row that joins later changes of the same row by adding their deltas. */
const bump = (id: number, by: number): SqlMutation => ({
  ...sqlMutation({ sql: 'UPDATE counters SET n = n + ? WHERE id = ?', params: [by, id] }),
  sameRow: {
    table: 'counters',
    key: String(id),
    join: (all) => sqlMutation({ sql: 'UPDATE counters SET n = n + ? WHERE id = ?', params: [all.reduce((n, m) => n + (m.statement.params[0] as number), 0), id] }),
  },
});
const local: Mutation = { kind: 'local', apply: () => ({ affected: 0, undo: () => undefined }) };

const sqlOf = (ms: readonly Mutation[]): unknown[] => ms.map((m) => (m.kind === 'sql' ? [m.statement.sql, m.statement.params] : 'local'));

describe('coalesceMutations', () => {
  it('joins INSERTs of one shape where the first stands, and changes of one row', () => {
    const out = coalesceMutations([insert('leases', 1), bump(7, 1), insert('inodes', 2), insert('leases', 3), bump(7, 2), bump(8, 5)]);
    expect(sqlOf(out)).toEqual([
      ['INSERT INTO leases (a, b) VALUES (?, ?), (?, ?)', [1, 10, 3, 30]],
      ['UPDATE counters SET n = n + ? WHERE id = ?', [3, 7]],
      ['INSERT INTO inodes (a, b) VALUES (?, ?)', [2, 20]],
      ['UPDATE counters SET n = n + ? WHERE id = ?', [5, 8]],
    ]);
  });

  it('keeps INSERTs of another tail apart', () => {
    const out = coalesceMutations([insert('leases', 1), insert('leases', 2, ' ON DUPLICATE KEY UPDATE b = VALUES(b)')]);
    expect(out).toHaveLength(2);
  });

  it('does not move a write past a statement that names its table, only past others', () => {
    const out = coalesceMutations([insert('leases', 1), plain('DELETE FROM lease_paths WHERE a = 1'), insert('leases', 2), plain('DELETE FROM leases WHERE a = 9'), insert('leases', 3)]);
    expect(sqlOf(out)).toEqual([
      ['INSERT INTO leases (a, b) VALUES (?, ?), (?, ?)', [1, 10, 2, 20]],
      ['DELETE FROM lease_paths WHERE a = 1', []],
      ['DELETE FROM leases WHERE a = 9', []],
      ['INSERT INTO leases (a, b) VALUES (?, ?)', [3, 30]],
    ]);
  });

  it('joins nothing across an in-memory write', () => {
    const out = coalesceMutations([insert('leases', 1), local, insert('leases', 2), bump(7, 1), local, bump(7, 1)]);
    expect(out).toHaveLength(6);
  });
});

describe('coalesceMutations of the SQL repositories\' joinable writes', () => {
  const file = (id: number, name: string, more: Partial<InodeRow> = {}): InodeRow => fileRow(id, 5, name, more);
  const closed = (row: InodeRow): InodeRow => ({ ...row, ucClient: null, ucMachine: null, mtime: row.mtime + 1, length: 7 });
  const update = (row: InodeRow, after: InodeRow): SqlMutation => sqlInodes.updateByPk(row, after) as SqlMutation;
  const close = (ids: number[]): SqlMutation => sqlLeases.deletePathsByInodesBatched(ids) as SqlMutation;

  it('joins updates of rows that keep their key in one multi-table UPDATE with the rows\' new values, the params in row order', () => {
    const a = file(10, 'a', { ucClient: 'c1' });
    const b = file(11, 'b', { ucClient: 'c2' });
    const [joined, ...rest] = coalesceMutations([update(a, closed(a)), update(b, closed(b))]) as SqlMutation[];
    expect(rest).toHaveLength(0);
    const { sql, params } = (joined as SqlMutation).statement;
    expect(sql).toMatch(/^UPDATE \(SELECT NULL AS parent_id, NULL AS name, NULL AS id,.* FROM DUAL WHERE FALSE UNION ALL VALUES \(\?(, \?){20}\), \(\?(, \?){20}\)\) v STRAIGHT_JOIN inodes i ON i\.parent_id = v\.parent_id AND i\.name = v\.name SET i\.id = v\.id, /);
    expect(sql).not.toMatch(/INSERT|parent_id = v\.parent_id,|i\.name = v\.name,/);
    const one = update(a, closed(a)).statement.params;
    // Each row's params are UPDATE's SET params (the WHERE key left off).
    expect(params).toEqual([...one.slice(0, -2), ...update(b, closed(b)).statement.params.slice(0, -2)]);
    expect((joined as SqlMutation).invalidates).toEqual(expect.arrayContaining([...(update(a, closed(a)).invalidates ?? []), ...(update(b, closed(b)).invalidates ?? [])]));
  });

  it('sends one update alone as the plain UPDATE, and never joins an update that moves a row', () => {
    const a = file(10, 'a');
    const b = file(11, 'b');
    const alone = coalesceMutations([update(a, closed(a))]) as SqlMutation[];
    expect(alone.map((m) => m.statement.sql)).toEqual([expect.stringMatching(/^UPDATE inodes SET parent_id = \?/)]);
    const moved = coalesceMutations([update(a, { ...a, name: 'a2' }), update(b, closed(b)), update(a, { ...a, parentId: 6 })]);
    expect(moved).toHaveLength(3);
  });

  it('joins the lease-path deletes of several closes in one DELETE by key over all their ids, touching no other row of their holders', () => {
    const out = coalesceMutations([close([10]), update(file(11, 'b'), closed(file(11, 'b'))), close([11, 12])]) as SqlMutation[];
    expect(out).toHaveLength(2);
    expect((out[0] as SqlMutation).statement).toEqual({ sql: 'DELETE FROM lease_paths WHERE inode_id IN (?,?,?) LIMIT ?', params: [10, 11, 12, 3] });
  });

  it('does not move a lease-path delete past an insert into lease_paths', () => {
    const out = coalesceMutations([close([10]), sqlLeases.insertPath(10, 'h') as SqlMutation, close([12])]);
    expect(out).toHaveLength(3);
  });
});

describe('touches of directories (inode-sql touchDirectory)', () => {
  // Each directory's parent is 100 above it: its listing is named too.
  const touch = (id: number, delta: number, mtime: number, hasQuota = false) => sqlInodes.touchDirectory({ id, parentId: id + 100 }, delta, mtime, 100, hasQuota) as SqlMutation;
  const guardOf = (m: Mutation) => (m.kind === 'sql' ? m.guard : undefined);

  it('one touch: an UPDATE of its row, guarded by a check that it matched the row', () => {
    const [one] = coalesceMutations([touch(7, 1, 50)]) as SqlMutation[];
    expect(one?.statement.params).toEqual([50, 1, 100, 0, 1, 7]);
    expect(guardOf(one as Mutation)).toEqual({ sql: expect.stringMatching(/ROW_COUNT\(\) < \?/), params: [1] });
  });

  it('touches that add children join as one UPDATE of every directory: deltas summed per row, newest mtime, the guard counting the rows', () => {
    const out = coalesceMutations([touch(9, 1, 50), touch(7, 1, 60), touch(9, 2, 40)]) as SqlMutation[];
    expect(out).toHaveLength(1);
    const { sql, params } = (out[0] as SqlMutation).statement;
    expect(sql).toMatch(/^UPDATE inodes SET mtime = GREATEST\(mtime, CASE id WHEN \? THEN \? WHEN \? THEN \? END\), children = CASE id WHEN \? THEN IF\(.*\) END WHERE id IN \(\?,\?\)$/);
    expect(params).toEqual([9, 50, 7, 60, 9, 3, 100, 0, 3, 7, 1, 100, 0, 1, 9, 7]);
    expect(guardOf(out[0] as Mutation)?.params).toEqual([2]);
    // Each row, and its parent's listing (which holds the row), once.
    expect([...((out[0] as SqlMutation).invalidates ?? [])].sort()).toEqual(['i7', 'i9', 'l107', 'l109']);
  });

  it('touches of one row expecting different quota flags join into a refusal (one of them was wrong)', () => {
    const [joined] = coalesceMutations([touch(7, 1, 50, false), touch(7, 1, 50, true)]) as SqlMutation[];
    expect(joined?.statement.params).toEqual([50, 2, 100, -1, 2, 7]);
  });

});

describe('deletes of listed rows (a group commit\'s deletes)', () => {
  const key = (parentId: number, name: string) => ({ parentId, name });

  it('join per table: inode rows by key, the rows hanging off inodes by id', () => {
    const out = coalesceMutations([
      sqlInodes.deleteByPkBatched([key(1, 'a')]),
      sqlDeleteIn('xattrs', 'inode_id', [10]),
      sqlInodes.deleteByPkBatched([key(2, 'b'), key(2, 'c')]),
      sqlDeleteIn('xattrs', 'inode_id', [11, 12]),
    ]);
    expect(sqlOf(out)).toEqual([
      ['DELETE FROM inodes WHERE (parent_id = ? AND name = ?) OR (parent_id = ? AND name = ?) OR (parent_id = ? AND name = ?)', [1, Buffer.from('a'), 2, Buffer.from('b'), 2, Buffer.from('c')]],
      ['DELETE FROM xattrs WHERE inode_id IN (?,?,?)', [10, 11, 12]],
    ]);
  });

  it('keep their order against the other writes of their table, both ways', () => {
    const deleteThenInsert = coalesceMutations([sqlDeleteIn('blocks', 'inode_id', [1]), insert('blocks', 5), sqlDeleteIn('blocks', 'inode_id', [5])]);
    expect(sqlOf(deleteThenInsert).map((m) => (m as [string])[0].split(' ')[0])).toEqual(['DELETE', 'INSERT', 'DELETE']);
    const insertThenDelete = coalesceMutations([insert('blocks', 1), sqlDeleteIn('blocks', 'inode_id', [5]), insert('blocks', 5)]);
    expect(sqlOf(insertThenDelete).map((m) => (m as [string])[0].split(' ')[0])).toEqual(['INSERT', 'DELETE', 'INSERT']);
    // Writes of other tables between them do not stop them joining.
    expect(coalesceMutations([sqlDeleteIn('blocks', 'inode_id', [1]), insert('leases', 5), sqlDeleteIn('blocks', 'inode_id', [5])])).toHaveLength(2);
  });

  it('touches that remove children join apart from those that add', () => {
    const touch = (id: number, delta: number) => sqlInodes.touchDirectory({ id, parentId: 1 }, delta, 50, 100, false) as SqlMutation;
    const out = coalesceMutations([touch(7, -1), touch(8, 1), touch(9, -1), touch(10, 1)]) as SqlMutation[];
    expect(out).toHaveLength(2);
    expect(out.map((m) => m.guard?.params)).toEqual([[2], [2]]);
  });
});

describe("a group commit's completes: their blocks' updates and pipeline deletes", () => {
  const block = (inodeId: number, index: number, more: Partial<Block> = {}): Block => ({ inodeId, index, blockId: 1000 + inodeId, genStamp: 7, numBytes: 4096, state: BlockState.Complete, ...more });
  const settle = (b: Block) => sqlBlocks.updateByPk(b) as SqlMutation;
  const unpipe = (inodeId: number) => sqlPipelines.deleteByBlock(inodeId, 1000 + inodeId) as SqlMutation;

  it('one block update alone is the plain UPDATE by key', () => {
    expect(sqlOf(coalesceMutations([settle(block(1, 0))]))).toEqual([
      ['UPDATE blocks SET block_id = ?, generation_stamp = ?, num_bytes = ?, state = ? WHERE inode_id = ? AND block_index = ?', [1001, 7, 4096, 3, 1, 0]],
    ]);
  });

  it('updates of several files\' blocks join as one multi-table UPDATE; the pipeline deletes as one DELETE of every block\'s rows', () => {
    const out = coalesceMutations([settle(block(1, 0)), unpipe(1), plain('DELETE FROM lease_paths WHERE inode_id = 1'), settle(block(2, 0)), unpipe(2)]) as SqlMutation[];
    expect(sqlOf(out)).toEqual([
      [expect.stringMatching(/^UPDATE \(SELECT NULL AS inode_id, NULL AS block_index, .* UNION ALL VALUES \(\?, \?, \?, \?, \?, \?\), \(\?, \?, \?, \?, \?, \?\)\) v STRAIGHT_JOIN blocks b ON b\.inode_id = v\.inode_id AND b\.block_index = v\.block_index SET b\.block_id = v\.block_id, /), [1, 0, 1001, 7, 4096, 3, 2, 0, 1002, 7, 4096, 3]],
      ['DELETE FROM pipeline_targets WHERE (inode_id = ? AND block_id = ?) OR (inode_id = ? AND block_id = ?)', [1, 1001, 2, 1002]],
      ['DELETE FROM lease_paths WHERE inode_id = 1', []],
    ]);
    // Both files' cached block lists are forgotten.
    expect(out[0]?.invalidates).toEqual(expect.arrayContaining([...(settle(block(1, 0)).invalidates ?? []), ...(settle(block(2, 0)).invalidates ?? [])]));
  });

  it('two updates of one row join as its last one, as the statements one by one would leave it', () => {
    const out = coalesceMutations([settle(block(1, 0, { state: BlockState.Committed })), settle(block(2, 0)), settle(block(1, 0, { numBytes: 9 }))]);
    expect(sqlOf(out)).toEqual([[expect.stringMatching(/^UPDATE \(SELECT NULL AS inode_id, .* STRAIGHT_JOIN blocks b ON /), [1, 0, 1001, 7, 9, 3, 2, 0, 1002, 7, 4096, 3]]]);
  });

  it('keep their order against the other writes of their tables: no update runs before the insert of its row, no delete after a new pipeline', () => {
    const inserted = coalesceMutations([settle(block(1, 0)), sqlBlocks.insert(block(2, 1)) as SqlMutation, settle(block(2, 1, { numBytes: 5 }))]);
    expect(sqlOf(inserted).map((m) => (m as [string])[0].split(' ')[0])).toEqual(['UPDATE', 'INSERT', 'UPDATE']);
    const repiped = coalesceMutations([unpipe(1), sqlPipelines.insertBatched([{ inodeId: 1, blockId: 1001, position: 0, datanodeUuid: 'd', storageId: 's' }]) as SqlMutation, unpipe(2)]);
    expect(sqlOf(repiped).map((m) => (m as [string])[0].split(' ')[0])).toEqual(['DELETE', 'INSERT', 'DELETE']);
    // A statement that names blocks (a replication-queue insert reading them) stops the updates joining past it.
    expect(coalesceMutations([settle(block(1, 0)), plain('INSERT INTO under_replicated SELECT block_id FROM blocks WHERE inode_id = 1'), settle(block(2, 0))])).toHaveLength(3);
  });
});
