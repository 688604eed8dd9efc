import pino from 'pino';
import type { RetryKey } from '../../../namenode/domain/retry-key';
import { NamesystemError } from '../../../namenode/errors';
import { parsePath } from '../../../namenode/path/hdfs-path';
import { HintCache } from '../../../namenode/tx/hint-cache';
import { TransactionRunner } from '../../../namenode/tx/transaction-runner';
import { formatMemoryNamespace, memoryDatabase } from '../../fakes/memory-database';

const key = (callId: number, user = 'alice', method = 'create'): RetryKey => ({ clientId: Buffer.alloc(16, 7), callId, method, user });

function setup() {
  const { db, dal } = memoryDatabase();
  formatMemoryNamespace(db);
  const runner = new TransactionRunner({ db, dal, cache: new HintCache(), logger: pino({ level: 'silent' }), retry: { maxAttempts: 4, baseDelayMs: 0, maxDelayMs: 1 } });
  let executions = 0;
  /** A non-idempotent write: each execution answers a new number and leaves a row behind. */
  const write = (retryKey: RetryKey | undefined, fail?: () => never) =>
    runner.write(
      'create',
      [{ path: parsePath('/x'), parent: 'exclusive', target: 'exclusive' }],
      async (_locked, tx) => {
        executions++;
        if (fail) fail();
        tx.changes.add(dal.leases.upsert(`holder-${executions}`, tx.now));
        return { execution: executions };
      },
      { retryKey },
    );
  return { db, runner, write, executions: () => executions };
}

test('a retried call is answered from the cache without executing again', async () => {
  const { db, runner, write, executions } = setup();
  expect(await write(key(1))).toEqual({ execution: 1 });
  expect(await write(key(1))).toEqual({ execution: 1 });
  expect(executions()).toBe(1);
  expect(runner.stats.retryCacheHits).toBe(1);
  expect(db.tables.leases.size).toBe(1);
  expect(db.tables.retryCache.rows().map((r) => r.response)).toEqual(['{"user":"alice","answer":{"execution":1}}']);
});

test('another call of the same client executes', async () => {
  const { runner, write, executions } = setup();
  await write(key(1));
  expect(await write(key(2))).toEqual({ execution: 2 });
  expect(executions()).toBe(2);
  expect(runner.stats.retryCacheHits).toBe(0);
});

test('a call without a retry key is never cached', async () => {
  const { db, write } = setup();
  await write(undefined);
  expect(await write(undefined)).toEqual({ execution: 2 });
  expect(db.tables.retryCache.size).toBe(0);
});

test('a failed first attempt leaves no claim: the retry executes', async () => {
  const { db, runner, write } = setup();
  await expect(
    write(key(1), () => {
      throw new NamesystemError('AccessDenied', 'no');
    }),
  ).rejects.toThrow('no');
  expect(db.tables.retryCache.size).toBe(0);
  expect(db.tables.leases.size).toBe(0);
  expect(await write(key(1))).toEqual({ execution: 2 });
  expect(runner.stats.retryCacheHits).toBe(0);
});

test('a deadlock during execution is retried by the runner: the rolled-back claim is made again', async () => {
  const { db, runner, write, executions } = setup();
  let deadlocks = 1;
  const answer = await write(key(1), () => {
    if (deadlocks-- > 0) throw Object.assign(new Error('Deadlock found'), { errno: 1213 });
    return undefined as never;
  });
  expect(answer).toEqual({ execution: 2 });
  expect(executions()).toBe(2);
  expect(runner.stats.retries).toBe(1);
  expect(db.tables.retryCache.size).toBe(1);
  expect(db.tables.leases.size).toBe(1);
});

test('concurrent retries of one call: the second waits for the first and takes its answer', async () => {
  const { runner, write, executions } = setup();
  const [first, second] = await Promise.all([write(key(9)), write(key(9))]);
  expect(first).toEqual({ execution: 1 });
  expect(second).toEqual({ execution: 1 });
  expect(executions()).toBe(1);
  expect(runner.stats.retryCacheHits).toBe(1);
});

test('a cached answer is handed only to the same user and method: the same ids from anyone else run as a new call', async () => {
  const { runner, write, executions } = setup();
  expect(await write(key(5, 'alice'))).toEqual({ execution: 1 });
  // mallory replays alice's client id and call id: she neither gets alice's answer nor blocks her own call.
  expect(await write(key(5, 'mallory'))).toEqual({ execution: 2 });
  // the same ids for another method are another call too.
  expect(await write(key(5, 'alice', 'delete'))).toEqual({ execution: 3 });
  // alice's own retry still gets her first answer.
  expect(await write(key(5, 'alice'))).toEqual({ execution: 1 });
  expect(executions()).toBe(3);
  expect(runner.stats.retryCacheHits).toBe(1);
});
