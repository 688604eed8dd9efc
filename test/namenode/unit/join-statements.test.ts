import { format } from 'mysql2';
import { joinStatements, sqlLiteral, type SqlParam } from '../../../namenode/dal/sql/sql-session';

// mysql2's own client-side formatting is the oracle: joinStatements must send exactly what `query(sql, params)` sent.
const mysql2 = (sql: string, params: readonly SqlParam[]): string => format(sql, [...params]);

const VALUES: readonly SqlParam[] = [
  0,
  -1,
  42,
  2 ** 53 - 1,
  -(2 ** 53),
  1.5,
  1e21,
  123456789012345678901234567890n,
  null,
  '',
  'plain',
  "it's",
  'say "hi"',
  'back\\slash',
  'nul\0byte',
  'line\nbreak\rreturn\ttab\bback',
  'ctrl-z\x1a',
  'ünïcødé ✓ 𝄞',
  "'; DROP TABLE inodes; --",
  '?',
  Buffer.alloc(0),
  Buffer.from('file1562'),
  Buffer.from([0, 39, 92, 255]),
];

describe('joinStatements', () => {
  test.each(VALUES.map((v) => [v]))('the literal of %p is the one mysql2 writes', (v) => {
    expect(sqlLiteral(v)).toBe(mysql2('?', [v]));
  });

  test('statements are joined with their parameters inlined, as mysql2 formats the joined text', () => {
    const statements: { sql: string; params: SqlParam[] }[] = [
      { sql: 'START TRANSACTION', params: [] },
      { sql: 'SELECT id FROM inodes WHERE (parent_id = ? AND name = ?) OR (parent_id = ? AND name = ?) FOR UPDATE', params: [1, Buffer.from('a'), 2, Buffer.from("b'c")] },
      { sql: 'INSERT INTO leases (holder, last_renewed) VALUES (?, ?) ON DUPLICATE KEY UPDATE last_renewed = VALUES(last_renewed)', params: ['DFSClient_?_1', 1796243961841] },
      { sql: 'UPDATE inodes SET uc_client = ?, acl = ? WHERE id = ?', params: [null, Buffer.from([1, 2]), 7] },
      { sql: 'COMMIT', params: [] },
    ];
    const expected = mysql2(
      statements.map((s) => s.sql).join(';\n'),
      statements.flatMap((s) => s.params),
    );
    expect(joinStatements(statements)).toBe(expected);
  });

  test('a statement whose placeholders do not match its parameters is refused', () => {
    expect(() => joinStatements([{ sql: 'SELECT ? + ?', params: [1] }])).toThrow(/2 placeholders got 1 parameters/);
    expect(() => joinStatements([{ sql: 'SELECT 1', params: [1] }])).toThrow(/0 placeholders got 1 parameters/);
  });

  test('a parameter of another type (a protobufjs Long, a boolean) is refused, not written as garbage', () => {
    const long = { low: 1000, high: 0, unsigned: false, toString: (radix?: number) => (radix === undefined ? '1000' : String(1 / 0)) };
    expect(() => joinStatements([{ sql: 'SELECT ?', params: [long as unknown as SqlParam] }])).toThrow(TypeError);
    expect(() => sqlLiteral(true as unknown as SqlParam)).toThrow(/type boolean/);
  });
});
