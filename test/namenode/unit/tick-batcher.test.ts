import { TickBatcher } from '../../../namenode/tx/tick-batcher';

const tick = () => new Promise((r) => setImmediate(r));

/** A batcher over a lookup table, recording what each fetch was asked for. */
function recorded(table: ReadonlyMap<string, string>, maxPerBatch: number) {
  const fetches: string[][] = [];
  const batcher = new TickBatcher<string, string>(
    async (requests) => {
      fetches.push([...requests]);
      return new Map(requests.flatMap((r) => (table.has(r) ? [[r, table.get(r) as string] as const] : [])));
    },
    (r) => r,
    maxPerBatch,
  );
  return { batcher, fetches };
}

test('one key asked twice in a tick is fetched once and answers both', async () => {
  const { batcher, fetches } = recorded(new Map([['a', 'A'], ['b', 'B']]), 10);
  expect(await Promise.all(['a', 'b', 'a'].map((r) => batcher.get(r)))).toEqual(['A', 'B', 'A']);
  expect(fetches).toEqual([['a', 'b']]);
});

test('a batch carries at most maxPerBatch distinct keys; repeats of a key already in it ride along', async () => {
  const { batcher, fetches } = recorded(new Map([['a', 'A'], ['b', 'B'], ['c', 'C']]), 2);
  const all = Promise.all(['a', 'b', 'a', 'c'].map((r) => batcher.get(r)));
  await tick();
  expect(await all).toEqual(['A', 'B', 'A', 'C']);
  expect(fetches).toEqual([['a', 'b'], ['c']]);
});

test('a key the fetch did not answer fails alone', async () => {
  const { batcher } = recorded(new Map([['a', 'A']]), 10);
  const answers = ['a', 'gone'].map((r) => batcher.get(r).catch((e: unknown) => `failed: ${(e as Error).message}`));
  expect(await Promise.all(answers)).toEqual(['A', 'failed: batched read: no answer for gone']);
});
