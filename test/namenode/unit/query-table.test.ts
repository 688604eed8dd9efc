import { QueryTable, sameQuery } from '../../../namenode/dal/query-table';
import { sqlQuery, type Query } from '../../../namenode/dal/query';

const read = (sql: string, ...params: (string | number | Buffer | null)[]): Query<unknown> => sqlQuery({ sql, params }, (r) => r);
const local: Query<unknown> = { kind: 'local', evaluate: () => 1 };

describe('QueryTable', () => {
  it('finds a query by what it sends, not by its object', () => {
    const t = new QueryTable<string>();
    t.keep(read('SELECT a FROM t WHERE id = ?', 7), 'seven');
    t.keep(read('SELECT a FROM t WHERE id = ?', 8), 'eight');
    expect(t.find(read('SELECT a FROM t WHERE id = ?', 8))?.value).toBe('eight');
    expect(t.find(read('SELECT a FROM t WHERE id = ?', 9))).toBeUndefined();
    expect(t.find(read('SELECT b FROM t WHERE id = ?', 7))).toBeUndefined();
    expect(t.find(read('SELECT a FROM t WHERE id = ?', '7'))).toBeUndefined();
  });

  it('compares Buffer params by their bytes, and every statement of a query', () => {
    const two = (x: number): Query<unknown> => ({
      kind: 'sql',
      statements: [
        { sql: 'SELECT 1 FROM t WHERE k = ?', params: [Buffer.from('ab')] },
        { sql: 'SELECT 2 FROM t WHERE id = ?', params: [x] },
      ],
      decode: (r) => r,
    });
    const t = new QueryTable<number>();
    t.keep(two(1), 1);
    expect(t.find(two(1))?.value).toBe(1);
    expect(t.find(two(2))).toBeUndefined();
    expect(t.find(read('SELECT 1 FROM t WHERE k = ?', Buffer.from('ab')))).toBeUndefined();
    expect(sameQuery(read('SELECT ?', Buffer.from('ab')), read('SELECT ?', Buffer.from('ac')))).toBe(false);
  });

  it('keeps the first of equal queries, and answers each taken one once', () => {
    const t = new QueryTable<string>();
    expect(t.keep(read('SELECT ?', 1), 'first')).toBe('first');
    expect(t.keep(read('SELECT ?', 1), 'second')).toBe('first');
    expect(t.size).toBe(1);
    expect(t.take(read('SELECT ?', 1))?.value).toBe('first');
    expect(t.take(read('SELECT ?', 1))).toBeUndefined();
    expect(t.size).toBe(0);
  });

  it('never keeps or finds an in-memory query', () => {
    const t = new QueryTable<number>();
    expect(t.keep(local, 1)).toBe(1);
    expect(t.size).toBe(0);
    expect(t.find(local)).toBeUndefined();
    expect(sameQuery(local, local)).toBe(false);
  });
});
