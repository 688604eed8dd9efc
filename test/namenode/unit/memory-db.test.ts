import { classifyDbError } from '../../../namenode/dal/db-errors';
import type { Mutation } from '../../../namenode/dal/query';
import { memoryDatabase } from '../../fakes/memory-database';
import { dirRow } from '../../fakes/row-fixtures';

/** The fake's own contract: what the unit tests above rely on it for. */
const key = { clientId: Buffer.alloc(16, 1), callId: 1, method: 'mkdirs', user: 'alice' };

test('writes are applied at commit, in order; queries before it see the committed rows only', async () => {
  const { db, dal } = memoryDatabase();
  await db.transaction(async (tx) => {
    const writes: Mutation[] = [dal.inodes.insertBatched([dirRow(2, 1, 'a')]), dal.inodes.updateByPk({ parentId: 1, name: 'a' }, dirRow(2, 1, 'b'))];
    expect(await tx.run(dal.inodes.hasChildrenByParent(1))).toBe(false);
    await tx.commit(writes);
  });
  expect(db.tables.inodes.rows().map((r) => r.name)).toEqual(['b']);
  expect(db.commits).toBe(1);
});

test('a commit that fails part way writes nothing, and its error is a duplicate key', async () => {
  const { db, dal } = memoryDatabase();
  db.tables.inodes.insert(dirRow(3, 1, 'taken'));
  const failure = await db
    .transaction((tx) => tx.commit([dal.leases.upsert('h', 1), dal.inodes.insertBatched([dirRow(4, 1, 'new'), dirRow(5, 1, 'taken')])]))
    .catch((e: unknown) => e);
  expect(classifyDbError(failure)).toBe('duplicate');
  expect(db.tables.leases.size).toBe(0);
  expect(db.tables.inodes.size).toBe(1);
  expect(db.rollbacks).toBe(1);
});

test('a claim is undone when its transaction rolls back, kept when it commits, and a second claim is a duplicate', async () => {
  const { db, dal } = memoryDatabase();
  await expect(
    db.transaction(async (tx) => {
      await tx.run(dal.retryCache.claim(key, 10));
      throw new Error('execute failed');
    }),
  ).rejects.toThrow('execute failed');
  expect(db.tables.retryCache.size).toBe(0);
  await db.transaction(async (tx) => {
    await tx.run(dal.retryCache.claim(key, 10));
    await tx.commit([dal.retryCache.recordResponse(key, 'true', Date.now() + 60_000)]);
  });
  expect(await db.run(dal.retryCache.findEntry(key))).toEqual({ method: 'mkdirs', response: 'true' });
  const again = await db.transaction((tx) => tx.run(dal.retryCache.claim(key, 10))).catch((e: unknown) => e);
  expect(classifyDbError(again)).toBe('duplicate');
});

test('transactions run one at a time, in arrival order', async () => {
  const { db } = memoryDatabase();
  const events: string[] = [];
  const tx = (name: string) =>
    db.transaction(async (t) => {
      events.push(`${name} begin`);
      await new Promise((r) => setTimeout(r, 5));
      events.push(`${name} end`);
      await t.commit([]);
    });
  await Promise.all([tx('one'), tx('two')]);
  expect(events).toEqual(['one begin', 'one end', 'two begin', 'two end']);
});

test('one round trip per run, runAll, mutate and commit', async () => {
  const { db, dal } = memoryDatabase();
  await db.runAll([dal.inodes.hasChildrenByParent(1), dal.inodes.countChildrenByParentAfter(1, '', 10)]);
  await db.mutate([dal.leases.upsert('a', 1), dal.leases.upsert('b', 1)]);
  await db.transaction(async (tx) => {
    await tx.run(dal.inodes.hasChildrenByParent(1));
    await tx.commit([dal.leases.renew('a', 2), dal.leases.renew('b', 2)]);
  });
  expect(db.roundTrips).toBe(4);
});

test('a SQL query is refused', async () => {
  const { db } = memoryDatabase();
  await expect(db.run({ kind: 'sql', statements: [], decode: () => 1 })).rejects.toThrow(/SQL query/);
});
