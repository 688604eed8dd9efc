import { coalesceMutations, sqlMutation, sqlRowsMutation, type Mutation, type RowsStatement, type SqlMutation } from '../../../namenode/dal/query';

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
