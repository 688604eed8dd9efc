import type { Connection } from 'mysql2/promise';
import { sqlChangeLog } from '../../namenode/dal/sql/change-log-sql';
import type { SqlMutation, SqlQuery } from '../../namenode/dal/query';
import type { SqlStatement } from '../../namenode/dal/sql/sql-session';
import { migrate } from '../../schema/migrate';
import { allMigrations } from '../../schema/migrations/all-migrations';
import { v0018ChangeLogOrder } from '../../schema/migrations/v0018-change-log-order';
import { createMysqlConnection } from '../../schema/mysql-config';
import { createTestDatabase, type TestDatabase } from '../harness/test-database';

let db: TestDatabase;
let conn: Connection;
beforeAll(async () => {
  db = await createTestDatabase('clorder_mig', { format: false });
  conn = await createMysqlConnection(db.config);
});
afterAll(async () => {
  await conn.end();
  await db.drop();
});

const indexes = async (): Promise<string[]> =>
  [...new Set(((await conn.query('SHOW INDEX FROM change_log'))[0] as { Key_name: string }[]).map((r) => r.Key_name))].sort();

interface PlanRow {
  table: string;
  type: string;
  key: string | null;
  Extra: string | null;
}
const explain = async (sql: string, params: readonly unknown[]): Promise<PlanRow[]> => (await conn.query(`EXPLAIN ${sql}`, [...params]))[0] as PlanRow[];

test('v0018 puts change_log_order in place of change_log_position, keeps the rows, and runs again harmlessly', async () => {
  await migrate(conn, { engine: 'innodb', migrations: allMigrations.slice(0, 17) });
  expect(await indexes()).toEqual(['PRIMARY', 'change_log_created', 'change_log_position']);
  await conn.query("INSERT INTO change_log (txn_id, seq, epoch, stamp, position, created_ms, kind, path, detail) VALUES (1, 0, 1, 10, 1, 0, 0, '/a', '{}'), (2, 0, 1, 11, NULL, 0, 0, '/b', '{}')");
  expect((await migrate(conn, { engine: 'innodb', migrations: allMigrations.slice(0, 18) })).applied).toEqual([18]);
  expect(await indexes()).toEqual(['PRIMARY', 'change_log_created', 'change_log_order']);
  for (const statement of v0018ChangeLogOrder.statements('innodb')) await conn.query(statement);
  expect(await indexes()).toEqual(['PRIMARY', 'change_log_created', 'change_log_order']);
  expect(((await conn.query('SELECT txn_id, position FROM change_log ORDER BY txn_id'))[0] as { txn_id: number; position: number | null }[]).map((r) => [Number(r.txn_id), r.position === null ? null : Number(r.position)])).toEqual([
    [1, 1],
    [2, null],
  ]);
  // NDB takes neither IF NOT EXISTS nor IF EXISTS: the swap is one statement there.
  expect(v0018ChangeLogOrder.statements('ndb')).toEqual(['ALTER TABLE `change_log` ADD INDEX `change_log_order` (`position`, `epoch`, `stamp`), DROP INDEX `change_log_position`']);
});

test("the sequencer's statements: its read follows the order index without a sort, and its positions join the change log by primary key", async () => {
  await migrate(conn, { engine: 'innodb', migrations: allMigrations });
  // A backlog of unsequenced transactions behind sequenced ones, enough rows for the optimizer to weigh its plans.
  await conn.query('DELETE FROM change_log');
  await conn.query(
    "INSERT INTO change_log (txn_id, seq, epoch, stamp, position, created_ms, kind, path, detail) SELECT seq, 0, 1 + seq DIV 3000, 20000 - seq, IF(seq <= 15000, seq, NULL), 0, 0, CONCAT('/f', seq), '{}' FROM seq_1_to_20000",
  );
  await conn.query('ANALYZE TABLE change_log');

  const read = (sqlChangeLog.findUnsequencedBefore(7, 1000) as SqlQuery<number[]>).statements[0] as SqlStatement;
  const [readPlan] = await explain(read.sql, read.params);
  expect(readPlan).toMatchObject({ table: 'change_log', key: 'change_log_order' });
  expect(readPlan?.Extra ?? '').not.toContain('filesort');
  const [rows] = await conn.query(read.sql, [...read.params]);
  const ids = (rows as { txn_id: number }[]).map((r) => Number(r.txn_id));
  // Epochs 6 and below, then by stamp (which falls as txn_id grows here).
  expect(ids.slice(0, 3)).toEqual([17999, 17998, 17997]);
  expect(ids).toHaveLength(1000);

  const assign = sqlChangeLog.assignPositions(ids, 15001) as SqlMutation;
  const plan = await explain(assign.statement.sql, assign.statement.params);
  expect(plan.find((r) => r.table === 'c')).toMatchObject({ type: 'ref', key: 'PRIMARY' });
  expect(plan[0]?.table).toBe('<derived2>');
  const [result] = await conn.query(assign.statement.sql, [...assign.statement.params]);
  expect((result as { affectedRows: number }).affectedRows).toBe(1000);
  const [positioned] = await conn.query('SELECT MIN(position) AS lo, MAX(position) AS hi FROM change_log WHERE txn_id IN (17999, 17000)');
  expect((positioned as { lo: number; hi: number }[])[0]).toEqual({ lo: 15001, hi: 16000 });
});
