import type { DbSession } from '../../../namenode/dal/db-session';
import type { Mutation, Query, QueryResults } from '../../../namenode/dal/query';
import { LookupBatcher } from '../../../namenode/tx/lookup-batcher';
import { memoryDatabase } from '../../fakes/memory-database';
import { dirRow } from '../../fakes/row-fixtures';

/** The unit tests' database, each lookup query held until the test lets it reach the tables (or fails it). */
function heldDatabase() {
  const { db, dal } = memoryDatabase();
  for (const [id, name] of [[2, 'a'], [3, 'b'], [4, 'c'], [5, 'd']] as const) db.tables.inodes.insert(dirRow(id, 1, name));
  db.tables.inodes.insert(dirRow(6, 2, 'a'));
  const held: { release(): void; fail(e: unknown): void }[] = [];
  const session: DbSession = {
    run: <T>(query: Query<T>) => new Promise<T>((resolve, reject) => held.push({ release: () => void db.run(query).then(resolve, reject), fail: reject })),
    runAll: <const Q extends readonly Query<unknown>[]>(queries: Q): Promise<QueryResults<Q>> => db.runAll(queries),
    mutate: (mutations: readonly Mutation[]) => db.mutate(mutations),
  };
  return { session, dal, held };
}

const tick = () => new Promise((r) => setImmediate(r));
const k = (name: string) => ({ parentId: 1, name });
const names = (rows: Map<string, { name: string }>) => [...rows.values()].map((r) => r.name).sort();

test('lookups of one tick share one query, each caller answered its own rows', async () => {
  const { session, dal, held } = heldDatabase();
  const batcher = new LookupBatcher(session, dal.inodes, 'none', false, 1);
  const answers = Promise.all([batcher.lookup([k('a'), k('b')]), batcher.lookup([k('b'), k('missing')])]);
  await tick();
  expect(held.length).toBe(1);
  held[0]?.release();
  expect((await answers).map(names)).toEqual([['a', 'b'], ['b']]);
  expect([batcher.queries, batcher.keysLookedUp]).toEqual([1, 3]);
});

test('lookups arriving while maxInFlight queries are at the database wait and go together in the next one', async () => {
  const { session, dal, held } = heldDatabase();
  const batcher = new LookupBatcher(session, dal.inodes, 'none', false, 1);
  const first = batcher.lookup([k('a')]);
  await tick();
  const later = [batcher.lookup([k('b')]), batcher.lookup([k('c')])];
  await tick();
  const last = batcher.lookup([k('d')]);
  await tick();
  await tick();
  expect(held.length).toBe(1);
  held[0]?.release();
  expect(names(await first)).toEqual(['a']);
  await tick();
  expect(held.length).toBe(2);
  held[1]?.release();
  expect((await Promise.all([...later, last])).map(names)).toEqual([['b'], ['c'], ['d']]);
  expect(batcher.queries).toBe(2);
});

test('with two in flight a second query goes while the first is out, and a third waits', async () => {
  const { session, dal, held } = heldDatabase();
  const batcher = new LookupBatcher(session, dal.inodes, 'none', false, 2);
  const one = batcher.lookup([k('a')]);
  await tick();
  const two = batcher.lookup([k('b')]);
  await tick();
  const three = batcher.lookup([k('c')]);
  await tick();
  expect(held.length).toBe(2);
  held[1]?.release();
  expect(names(await two)).toEqual(['b']);
  await tick();
  expect(held.length).toBe(3);
  held[0]?.release();
  held[2]?.release();
  expect([names(await one), names(await three)]).toEqual([['a'], ['c']]);
});

test('a failed query fails exactly its callers; the queue goes on', async () => {
  const { session, dal, held } = heldDatabase();
  const batcher = new LookupBatcher(session, dal.inodes, 'none', false, 1);
  const failed = batcher.lookup([k('a')]).then(
    () => 'answered',
    (e: unknown) => `failed: ${String(e)}`,
  );
  await tick();
  const next = batcher.lookup([k('b')]);
  await tick();
  held[0]?.fail('connection lost');
  expect(await failed).toBe('failed: connection lost');
  await tick();
  held[1]?.release();
  expect(names(await next)).toEqual(['b']);
});

test('rows answers one row per key in the keys’ order: the same name under two parents apart, a missing key undefined', async () => {
  const { session, dal, held } = heldDatabase();
  const batcher = new LookupBatcher(session, dal.inodes, 'none', false, 1);
  const under2 = { parentId: 2, name: 'a' };
  const answers = Promise.all([batcher.rows([k('a'), under2, k('missing')]), batcher.rows([under2, k('a'), k('a')])]);
  await tick();
  held[0]?.release();
  const ids = (rows: readonly ({ id: number } | undefined)[]) => rows.map((r) => r?.id);
  expect((await answers).map(ids)).toEqual([
    [2, 6, undefined],
    [6, 2, 2],
  ]);
  expect(batcher.keysLookedUp).toBe(3);
});
