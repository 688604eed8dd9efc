import { compoundStatementsSupported, SqlDb } from '../../../namenode/dal/sql/sql-db';
import type { SqlParam, SqlPool, SqlPoolConnection } from '../../../namenode/dal/sql/sql-session';
import { sqlMutation, sqlQuery } from '../../../namenode/dal/query';

/**
 * What SqlDb sends for a transaction's writes and COMMIT, with and without
 * compound statements (the real server's answers to both forms are in
 * test/namenode/tx-runner-db-errors.test.ts and
 * create-under-deleted-directory.test.ts).
 */
function recordingPool(sent: string[]): SqlPool {
  const conn: SqlPoolConnection = {
    query: async (sql: string, _params?: readonly SqlParam[]) => {
      sent.push(sql);
      return [[], undefined];
    },
    release: () => undefined,
    destroy: () => undefined,
  };
  return { query: conn.query, getConnection: async () => conn, end: async () => undefined };
}

/** A connection that answers the first query (START TRANSACTION and one write) with two OKs and the next with `answers`. */
function answering(sent: string[], answers: unknown[]): SqlPoolConnection {
  let calls = 0;
  return {
    query: async (sql: string) => {
      sent.push(sql);
      return [calls++ === 0 ? [{ affectedRows: 0 }, { affectedRows: 1 }] : answers, undefined];
    },
    release: () => undefined,
    destroy: () => undefined,
  };
}

const insert = (n: number) => sqlMutation({ sql: 'INSERT INTO leases (holder, last_renewed) VALUES (?, ?)', params: [`h${n}`, n] });

describe.each([false, true])('compoundWrites %s', (compound) => {
  let sent: string[];
  let db: SqlDb;
  beforeEach(() => {
    sent = [];
    db = new SqlDb(recordingPool(sent));
    db.compoundWrites = compound;
  });

  test('a transaction that only writes: START TRANSACTION, the writes and COMMIT in one round trip', async () => {
    await db.transaction((tx) => tx.commit([insert(1), insert(2)]));
    const body = "START TRANSACTION;\nINSERT INTO leases (holder, last_renewed) VALUES ('h1', 1);\nINSERT INTO leases (holder, last_renewed) VALUES ('h2', 2);\nCOMMIT";
    expect(sent).toEqual([compound ? `BEGIN NOT ATOMIC\n${body};\nEND` : body]);
    expect(db.statementCounts()).toEqual({ START: 1, INSERT: 2, COMMIT: 1 });
  });

  test('after the lock round trip: the writes and COMMIT; a lone COMMIT is never wrapped', async () => {
    await db.transaction(async (tx) => {
      await tx.mutate([insert(1)]);
      await tx.commit([insert(2)]);
    });
    await db.transaction(async (tx) => {
      await tx.mutate([insert(3)]);
      await tx.commit([]);
    });
    const writeAndCommit = "INSERT INTO leases (holder, last_renewed) VALUES ('h2', 2);\nCOMMIT";
    expect(sent).toEqual([
      // mutate's answers are read (the rows each write changed): never a compound statement.
      "START TRANSACTION;\nINSERT INTO leases (holder, last_renewed) VALUES ('h1', 1)",
      compound ? `BEGIN NOT ATOMIC\n${writeAndCommit};\nEND` : writeAndCommit,
      "START TRANSACTION;\nINSERT INTO leases (holder, last_renewed) VALUES ('h3', 3)",
      'COMMIT',
    ]);
  });

  test("commitReading: the read after the writes and before COMMIT, in the same round trip, decoded from its own result", async () => {
    const answers: unknown[] = compound
      ? [[{ n: 7 }], { affectedRows: 1 }]
      : [{ affectedRows: 1 }, [{ n: 7 }], { affectedRows: 0 }];
    const db2 = new SqlDb({ ...recordingPool(sent), getConnection: async () => ({ ...answering(sent, answers), release: () => undefined, destroy: () => undefined }) });
    db2.compoundWrites = compound;
    const read = sqlQuery({ sql: 'SELECT holder AS n FROM leases WHERE holder = ? FOR UPDATE', params: ['h2'] }, (rows) => rows);
    const got = await db2.transaction(async (tx) => {
      await tx.mutate([insert(1)]);
      return tx.commitReading([insert(2)], read);
    });
    expect(got).toEqual([{ n: 7 }]);
    const body = "INSERT INTO leases (holder, last_renewed) VALUES ('h2', 2);\nSELECT holder AS n FROM leases WHERE holder = 'h2' FOR UPDATE;\nCOMMIT";
    expect(sent.slice(1)).toEqual([compound ? `BEGIN NOT ATOMIC\n${body};\nEND` : body]);
  });
});

describe('compoundStatementsSupported', () => {
  const answering = (answer: () => Promise<[unknown, unknown]>) => ({ query: answer });
  test('a server that runs the probe takes them', async () => {
    const seen: string[] = [];
    await expect(compoundStatementsSupported({ query: async (sql: string) => (seen.push(sql), [[], undefined]) })).resolves.toBe(true);
    expect(seen).toEqual(['BEGIN NOT ATOMIC DO 1; END']);
  });
  test('a parse error (MySQL) means no', async () => {
    await expect(compoundStatementsSupported(answering(() => Promise.reject(Object.assign(new Error('syntax'), { errno: 1064 }))))).resolves.toBe(false);
  });
  test('any other error is not an answer: it surfaces', async () => {
    const lost = Object.assign(new Error('lost'), { code: 'PROTOCOL_CONNECTION_LOST' });
    await expect(compoundStatementsSupported(answering(() => Promise.reject(lost)))).rejects.toBe(lost);
  });
});
