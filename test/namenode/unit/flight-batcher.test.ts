import { FlightBatcher, type Settled } from '../../../namenode/tx/flight-batcher';

/** A batcher whose flushes are recorded and held until released. */
function held(maxBatch: number, maxInFlight: number) {
  const flushes: { batch: readonly number[]; release(answers?: readonly Settled<string>[]): void; fail(e: unknown): void }[] = [];
  const batcher = new FlightBatcher<number, string>(
    (batch) =>
      new Promise((resolve, reject) =>
        flushes.push({ batch, release: (answers) => resolve(answers ?? batch.map((n) => ({ ok: true, value: `answer ${n}` }))), fail: reject }),
      ),
    maxBatch,
    maxInFlight,
  );
  return { batcher, flushes };
}

const tick = () => new Promise((r) => setImmediate(r));

test('requests of one tick go in one batch, each answered its own', async () => {
  const { batcher, flushes } = held(10, 1);
  const answers = Promise.all([1, 2, 3].map((n) => batcher.submit(n)));
  await tick();
  expect(flushes.map((f) => f.batch)).toEqual([[1, 2, 3]]);
  flushes[0]?.release();
  expect(await answers).toEqual(['answer 1', 'answer 2', 'answer 3']);
  expect([batcher.batches, batcher.requests]).toEqual([1, 3]);
});

test('requests arriving while the batches in flight are at their limit wait and go together in the next', async () => {
  const { batcher, flushes } = held(10, 1);
  const first = batcher.submit(1);
  await tick();
  const later = Promise.all([2, 3].map((n) => batcher.submit(n)));
  await tick();
  await tick();
  expect(flushes.map((f) => f.batch)).toEqual([[1]]);
  flushes[0]?.release();
  await first;
  await tick();
  expect(flushes.map((f) => f.batch)).toEqual([[1], [2, 3]]);
  flushes[1]?.release();
  expect(await later).toEqual(['answer 2', 'answer 3']);
});

test('a batch holds at most maxBatch requests', async () => {
  const { batcher, flushes } = held(2, 2);
  const all = Promise.all([1, 2, 3].map((n) => batcher.submit(n)));
  await tick();
  await tick();
  expect(flushes.map((f) => f.batch)).toEqual([[1, 2], [3]]);
  for (const f of flushes) f.release();
  expect(await all).toEqual(['answer 1', 'answer 2', 'answer 3']);
});

test('a request settled as failed fails alone; a failed flush fails its whole batch', async () => {
  const { batcher, flushes } = held(10, 2);
  const results = [1, 2].map((n) => batcher.submit(n).then((v) => v, (e: unknown) => `failed: ${String(e)}`));
  await tick();
  flushes[0]?.release([{ ok: true, value: 'fine' }, { ok: false, error: 'refused' }]);
  expect(await Promise.all(results)).toEqual(['fine', 'failed: refused']);
  const next = [3, 4].map((n) => batcher.submit(n).then((v) => v, (e: unknown) => `failed: ${String(e)}`));
  await tick();
  flushes[1]?.fail('database gone');
  expect(await Promise.all(next)).toEqual(['failed: database gone', 'failed: database gone']);
});
