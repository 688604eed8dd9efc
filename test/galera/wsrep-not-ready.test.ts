import pino from 'pino';
import { userInfo } from 'node:os';
import { classifyDbError } from '../../namenode/dal/db-errors';
import { SqlDb } from '../../namenode/dal/sql/sql-db';
import { sqlRepositories } from '../../namenode/dal/sql/sql-repositories';
import type { SqlPool } from '../../namenode/dal/sql/sql-session';
import { isNamesystemError } from '../../namenode/errors';
import { namesystemErrorMapper } from '../../namenode/ipc/map-error';
import { HintCache } from '../../namenode/tx/hint-cache';
import { TransactionRunner } from '../../namenode/tx/transaction-runner';
import { formatNamespace } from '../../schema/format';
import { ROOT_INODE_ID } from '../../schema/tables';
import { createMysqlConnection, createMysqlPool } from '../../schema/mysql-config';
import { startGaleraNode, type GaleraNode } from '../harness/galera-single-node';

/**
 * MariaDB error 1047 (ER_UNKNOWN_COM_ERROR, "WSREP has not yet prepared
 * node for application use"), which a Galera node answers while it cannot
 * serve (out of the primary component, or told to reject queries): the
 * transaction runner classifies it transient, retries, and either
 * succeeds once the node serves again or gives up with RetriableException.
 */
const dal = sqlRepositories;
let node: GaleraNode;
let pool: ReturnType<typeof createMysqlPool>;
let runner: TransactionRunner;
const MAX_ATTEMPTS = 3;

beforeAll(async () => {
  node = await startGaleraNode();
  await node.sql('CREATE DATABASE nnfleet');
  const config = { ...node.config, database: 'nnfleet' };
  const conn = await createMysqlConnection(config);
  try {
    await formatNamespace(conn, { engine: 'innodb', superuser: userInfo().username, supergroup: 'supergroup' });
  } finally {
    await conn.end();
  }
  pool = createMysqlPool(config, { connectionLimit: 2 });
  runner = new TransactionRunner({ db: new SqlDb(pool as unknown as SqlPool), dal, cache: new HintCache(), logger: pino({ level: 'silent' }), retry: { maxAttempts: MAX_ATTEMPTS, baseDelayMs: 1, maxDelayMs: 10 } });
}, 120_000);
afterAll(async () => {
  await pool?.end();
  await node?.stop();
}, 60_000);

const rootInode = (tx: Parameters<Parameters<TransactionRunner['transaction']>[1]>[0]) => tx.run(dal.inodes.findByIdBatched([ROOT_INODE_ID], 'exclusive'));

test('1047 is transient: retried, and the transaction commits once the node serves again', async () => {
  await node.sql('SET GLOBAL wsrep_reject_queries = ALL');
  const errors: unknown[] = [];
  let attempts = 0;
  const rows = await runner.transaction('wsrep', async (tx) => {
    attempts++;
    if (attempts === 2) await node.sql('SET GLOBAL wsrep_reject_queries = NONE');
    try {
      return await rootInode(tx);
    } catch (e) {
      errors.push(e);
      throw e;
    }
  });
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatchObject({ errno: 1047 });
  expect(classifyDbError(errors[0])).toBe('transient');
  expect(attempts).toBe(2);
  expect(rows.map((r) => r.id)).toEqual([ROOT_INODE_ID]);
});

test('1047 on every attempt: given up after the policy, RetriableException to the client', async () => {
  await node.sql('SET GLOBAL wsrep_reject_queries = ALL');
  let attempts = 0;
  try {
    const err = await runner
      .transaction('wsrep', async (tx) => {
        attempts++;
        return rootInode(tx);
      })
      .then(() => undefined, (e: unknown) => e);
    expect(isNamesystemError(err, 'TransientStorage')).toBe(true);
    expect(attempts).toBe(MAX_ATTEMPTS);
    const seen = namesystemErrorMapper(pino({ level: 'silent' }))(err);
    expect(seen.className).toBe('org.apache.hadoop.ipc.RetriableException');
    expect(seen.message).not.toMatch(/WSREP/);
  } finally {
    await node.sql('SET GLOBAL wsrep_reject_queries = NONE');
  }
});
