import type { Connection, Pool } from 'mysql2/promise';
import pino from 'pino';
import { classifyDbError } from '../../namenode/dal/db-errors';
import type { InodeRow } from '../../namenode/dal/inode-row';
import { compoundStatementsSupported, SqlDb } from '../../namenode/dal/sql/sql-db';
import { sqlRepositories } from '../../namenode/dal/sql/sql-repositories';
import type { SqlPool } from '../../namenode/dal/sql/sql-session';
import { isNamesystemError } from '../../namenode/errors';
import { namesystemErrorMapper } from '../../namenode/ipc/map-error';
import { HintCache } from '../../namenode/tx/hint-cache';
import { TransactionRunner } from '../../namenode/tx/transaction-runner';
import type { WriteContext } from '../../namenode/tx/tx-contexts';
import { createMysqlConnection, createMysqlPool } from '../../schema/mysql-config';
import { eventually, until } from '../harness/eventually';
import { namesystemFixture, type NamesystemFixture } from '../harness/namesystem-fixture';

/**
 * The transaction runner's classification of database errors and its
 * retry / give-up path, against errors the test's MariaDB really raises:
 * a deadlock (1213) and a lock wait timeout (1205) provoked by a second
 * session, a connection killed mid-transaction, a duplicate key (1062).
 * What the runner retries, how often, what its caller finally gets (as the
 * Hadoop IPC front door maps it), and that no failed attempt leaves rows.
 */
const dal = sqlRepositories;
const MAX_ATTEMPTS = 3;
const ipcError = namesystemErrorMapper(pino({ level: 'silent' }));
let f: NamesystemFixture;
const pools: Pool[] = [];
/** The runner under test; its sessions wait 1 s for a row lock (innodb_lock_wait_timeout's minimum) instead of 50. */
let runner: TransactionRunner;
/** Another client of the database, the test's adversary. */
let other: Connection;
/** A third session that watches the other two (information_schema) and kills. */
let observer: Connection;
let d1: number;
let d2: number;
let heavy: number[];
/** Rows only the first test's plain sessions lock. */
let e1: number;
let e2: number;

beforeAll(async () => {
  f = await namesystemFixture('txerr');
  for (const name of ['d1', 'd2', 'e1', 'e2', 'h1', 'h2', 'h3', 'h4']) await f.ns.mkdirs(f.root, `/tx/${name}`, 0o755, true);
  const idOf = async (name: string) => Number((await f.ns.getFileInfo(f.root, `/tx/${name}`))?.fileId);
  d1 = await idOf('d1');
  d2 = await idOf('d2');
  e1 = await idOf('e1');
  e2 = await idOf('e2');
  heavy = await Promise.all(['h1', 'h2', 'h3', 'h4'].map(idOf));
  other = await createMysqlConnection(f.db.config);
  observer = await createMysqlConnection(f.db.config);
});
afterAll(async () => {
  await other?.end().catch(() => undefined);
  await observer?.end().catch(() => undefined);
  await Promise.all(pools.map((p) => p.end()));
  await f?.close();
});

/** Whether the runners made next send writes and COMMIT as compound statements (sql-db.ts) or as multi-statement queries. */
let compound = false;

/** A runner on a pool of its own whose sessions wait `lockWaitS` seconds for a row lock. */
function runnerWaiting(lockWaitS: number): TransactionRunner {
  const pool = createMysqlPool(f.db.config, { connectionLimit: 4 });
  pools.push(pool);
  pool.on('connection', (conn) => {
    conn.query(`SET SESSION innodb_lock_wait_timeout = ${lockWaitS}`);
  });
  const db = new SqlDb(pool as unknown as SqlPool);
  db.compoundWrites = compound;
  return new TransactionRunner({ db, dal, cache: new HintCache(), logger: pino({ level: 'silent' }), retry: { maxAttempts: MAX_ATTEMPTS, baseDelayMs: 1, maxDelayMs: 10 } });
}

const lockInode = (tx: WriteContext, id: number) => tx.run(dal.inodes.findByIdBatched([id], 'exclusive'));
const readInode = async (tx: WriteContext, id: number): Promise<InodeRow> => (await tx.run(dal.inodes.findByIdBatched([id], 'none')))[0] as InodeRow;

async function rows<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  const [r] = await observer.query(sql, params);
  return r as T[];
}
const holders = async (prefix: string) => (await rows<{ holder: string }>('SELECT holder FROM leases WHERE holder LIKE ? ORDER BY holder', [`${prefix}%`])).map((r) => r.holder);

/**
 * information_schema.innodb_trx is a cache InnoDB refreshes only when it has
 * not been read for 100 ms: polled faster, it never changes. Poll it slower.
 */
const TRX_POLL_MS = 200;

/** The sessions waiting for a row lock of inode `id`. */
async function waitingFor(id: number): Promise<number[]> {
  const r = await rows<{ id: number }>("SELECT trx_mysql_thread_id AS id FROM information_schema.innodb_trx WHERE trx_state = 'LOCK WAIT' AND trx_query LIKE ?", [`% id = ${id} %`]);
  return r.map((x) => Number(x.id));
}

/** Sessions waiting for any row lock, but `except`. */
async function waitingExcept(except: number): Promise<number[]> {
  const r = await rows<{ id: number }>("SELECT trx_mysql_thread_id AS id FROM information_schema.innodb_trx WHERE trx_state = 'LOCK WAIT' AND trx_mysql_thread_id <> ?", [except]);
  return r.map((x) => Number(x.id));
}

test('classifies the errors MariaDB raises: 1213 and 1205 transient, 1062 duplicate, a killed connection lost', async () => {
  // Each provoked once here on plain connections, then through the runner below.
  const a = await createMysqlConnection(f.db.config);
  const b = await createMysqlConnection(f.db.config);
  try {
    await a.query('SET SESSION innodb_lock_wait_timeout = 1');
    await b.query('SET SESSION innodb_lock_wait_timeout = 1');
    await a.query('START TRANSACTION');
    await a.query('SELECT id FROM inodes WHERE id = ? FOR UPDATE', [e1]);
    await b.query('START TRANSACTION');
    const timeout = await b.query('SELECT id FROM inodes WHERE id = ? FOR UPDATE', [e1]).then(() => undefined, (e: unknown) => e);
    expect(timeout).toMatchObject({ errno: 1205 });
    expect(classifyDbError(timeout)).toBe('transient');

    await b.query('SELECT id FROM inodes WHERE id = ? FOR UPDATE', [e2]);
    const aWaits = a.query('SELECT id FROM inodes WHERE id = ? FOR UPDATE', [e2]).then(() => undefined, (e: unknown) => e);
    await until('a to wait for b', async () => (await waitingFor(e2)).includes(a.threadId), 20_000, TRX_POLL_MS);
    const bDeadlock = await b.query('SELECT id FROM inodes WHERE id = ? FOR UPDATE', [e1]).then(() => undefined, (e: unknown) => e);
    const deadlock = bDeadlock ?? (await aWaits);
    expect(deadlock).toMatchObject({ errno: 1213 });
    expect(classifyDbError(deadlock)).toBe('transient');
    await a.query('ROLLBACK').catch(() => undefined);
    await b.query('ROLLBACK').catch(() => undefined);

    const dup = await a.query('INSERT INTO leases (holder, last_renewed) VALUES (?, 0), (?, 0)', ['dup-plain', 'dup-plain']).then(() => undefined, (e: unknown) => e);
    expect(dup).toMatchObject({ errno: 1062 });
    expect(classifyDbError(dup)).toBe('duplicate');

    await observer.query('KILL ?', [b.threadId]);
    const lost = await b.query('SELECT 1').then(() => undefined, (e: unknown) => e);
    expect(lost).toBeDefined();
    expect(classifyDbError(lost)).toBe('connection');
  } finally {
    a.destroy();
    b.destroy();
  }
  // Their sessions end (and their transactions with them) before the runner's tests lock rows.
  await until('the plain sessions to be gone', async () => (await rows('SELECT 1 FROM information_schema.innodb_trx WHERE trx_mysql_thread_id IN (?, ?)', [a.threadId, b.threadId])).length === 0, 20_000, TRX_POLL_MS);
});

// Every path below twice: a transaction's writes and COMMIT as a multi-statement query, and as one
// MariaDB compound statement (what a namenode sends on MariaDB): the same errors, retries and leftovers.
describe.each([
  ['multi-statement', false],
  ['compound-statement', true],
])('writes as %s queries', (_label, mode) => {
  beforeAll(async () => {
    if (mode) expect(await compoundStatementsSupported(f.pool)).toBe(true);
    compound = mode;
    runner = runnerWaiting(1);
  });

  test('a deadlock (1213) is retried: the victim attempt is rolled back, the next one commits', async () => {
    const retries = runner.stats.retries;
    let attempts = 0;
    let adversary: Promise<unknown> | undefined;
    const result = await runner.transaction('deadlock', async (tx) => {
      attempts++;
      await lockInode(tx, d1);
      if (attempts === 1) {
        // The adversary changes rows, so it is the heavier transaction: InnoDB rolls the runner back.
        await other.query('START TRANSACTION');
        await other.query('UPDATE inodes SET mtime = mtime + 1 WHERE id IN (?)', [[d2, ...heavy]]);
        let failed: unknown;
        adversary = other.query('SELECT id FROM inodes WHERE id = ? FOR UPDATE', [d1]).then(() => other.query('COMMIT'));
        adversary.catch((e: unknown) => (failed = e ?? 'failed'));
        await until('the adversary to wait for d1', async () => {
          if (failed !== undefined) throw new Error(`the adversary failed: ${String(failed)}`);
          return (await waitingFor(d1)).includes(other.threadId);
        }, 20_000, TRX_POLL_MS);
      }
      await lockInode(tx, d2);
      tx.changes.add(dal.leases.upsert(`dl-${attempts}`, tx.now));
      return attempts;
    });
    await adversary;
    expect(result).toBe(2);
    expect(attempts).toBe(2);
    expect(runner.stats.retries).toBe(retries + 1);
    expect(await holders('dl-')).toEqual(['dl-2']);
  });

  test('a lock wait timeout (1205) on every attempt: retried up to the policy, then RetriableException; no attempt leaves a row', async () => {
    await other.query('START TRANSACTION');
    await other.query('SELECT id FROM inodes WHERE id = ? FOR UPDATE', [d1]);
    const retries = runner.stats.retries;
    let attempts = 0;
    try {
      const err = await runner
        .transaction('lockwait', async (tx) => {
          attempts++;
          const row = await readInode(tx, d1); // a consistent read: no lock, no wait
          // COMMIT's round trip: a new row first, then the update that waits for d1 and times out.
          // A timed-out statement leaves the transaction open with the row in it (innodb_rollback_on_timeout
          // is off): the runner's ROLLBACK must drop it.
          tx.changes.add(dal.leases.upsert(`lw-${attempts}`, tx.now));
          tx.changes.add(dal.inodes.updateByPk(row, { ...row, mtime: row.mtime + 1 }));
        })
        .then(() => undefined, (e: unknown) => e);
      expect(isNamesystemError(err, 'TransientStorage')).toBe(true);
      expect(attempts).toBe(MAX_ATTEMPTS);
      expect(runner.stats.retries).toBe(retries + MAX_ATTEMPTS - 1);
      const seen = ipcError(err);
      expect(seen.className).toBe('org.apache.hadoop.ipc.RetriableException');
      expect(seen.message).toMatch(/gave up after 3 attempts/);
      expect(seen.message).not.toMatch(/inodes|UPDATE|Lock wait/i);
      expect(await holders('lw-')).toEqual([]);
    } finally {
      await other.query('ROLLBACK');
    }
  });

  test('a connection killed mid-transaction is retried on a new connection; the killed attempt leaves no row', async () => {
    // Sessions that would wait 50 s: the kill, not a timeout, ends the first attempt.
    const patient = runnerWaiting(50);
    await other.query('START TRANSACTION');
    await other.query('SELECT id FROM inodes WHERE id = ? FOR UPDATE', [d1]);
    let attempts = 0;
    try {
      const running = patient.transaction('killed', async (tx) => {
        attempts++;
        const row = await readInode(tx, d1);
        tx.changes.add(dal.leases.upsert(`kill-${attempts}`, tx.now));
        tx.changes.add(dal.inodes.updateByPk(row, { ...row, mtime: row.mtime + 1 }));
        return attempts;
      });
      // COMMIT's round trip waits on d1 with the new lease row in its transaction, uncommitted.
      const victim = await eventually('the runner to wait for d1', async () => (await waitingExcept(other.threadId))[0], 20_000, TRX_POLL_MS);
      await observer.query('KILL ?', [victim]);
      await until('the second attempt to wait for d1', async () => attempts === 2 && (await waitingExcept(other.threadId)).length > 0, 20_000, TRX_POLL_MS);
      await other.query('ROLLBACK');
      expect(await running).toBe(2);
    } finally {
      await other.query('ROLLBACK');
    }
    expect(patient.stats.retries).toBe(1);
    expect(await holders('kill-')).toEqual(['kill-2']);
  });

  test('a duplicate key (1062) is not retried: the caller gets an IOException with an incident id, no SQL; nothing is left', async () => {
    const retries = runner.stats.retries;
    let attempts = 0;
    const err = await runner
      .transaction('duplicate', async (tx) => {
        attempts++;
        const row = await readInode(tx, d1);
        tx.changes.add(dal.leases.upsert(`dup-${attempts}`, tx.now));
        tx.changes.add(dal.inodes.insertBatched([row]));
      })
      .then(() => undefined, (e: unknown) => e);
    expect(err).toMatchObject({ errno: 1062 });
    expect(classifyDbError(err)).toBe('duplicate');
    expect(attempts).toBe(1);
    expect(runner.stats.retries).toBe(retries);
    const seen = ipcError(err);
    expect(seen.className).toBe('java.io.IOException');
    expect(seen.message).toMatch(/^Internal error in the namenode \(incident [0-9a-f-]{36}\)/);
    expect(seen.message).not.toMatch(/Duplicate|INSERT|inodes/i);
    expect(await holders('dup-')).toEqual([]);
  });
});
