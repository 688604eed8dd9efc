import { BatchLinger } from '../../../namenode/tx/batch-linger';
import { FlightQueue, SPLIT_BELOW_FULL_BATCHES } from '../../../namenode/tx/flight-queue';
import { SetCalls as Calls } from '../../harness/set-calls';

interface Request {
  readonly n: number;
  reject(e: unknown): void;
}

/** A queue whose flights are recorded and held until released; batches of 3 count as full. */
function held(maxInFlight: number, maxFullInFlight: number) {
  const flights: { batch: number[]; release(): void }[] = [];
  const queue = new FlightQueue<Request, void>(
    (batch) => new Promise<void>((resolve) => flights.push({ batch: batch.map((r) => r.n), release: resolve })),
    () => undefined,
    (q) => q.length,
    maxInFlight,
    new BatchLinger({ minBatch: 3, maxMs: 1_000 }),
    maxFullInFlight,
  );
  const push = (...ns: number[]) => ns.forEach((n) => queue.push({ n, reject: () => undefined }));
  return { flights, push };
}

const ticks = async (n = 3) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

test('past maxInFlight, another flight goes only with a full batch, up to maxFullInFlight', async () => {
  const { flights, push } = held(1, 2);
  push(1, 2, 3);
  await ticks();
  expect(flights.map((f) => f.batch)).toEqual([[1, 2, 3]]);
  // Short of a full batch: it waits for the flight out, as with one flight.
  push(4, 5);
  await ticks();
  expect(flights.map((f) => f.batch)).toEqual([[1, 2, 3]]);
  // Full: a second flight goes while the first is out.
  push(6);
  await ticks();
  expect(flights.map((f) => f.batch)).toEqual([[1, 2, 3], [4, 5, 6]]);
  // Full again, but maxFullInFlight are out: it waits for a landing.
  push(7, 8, 9);
  await ticks();
  expect(flights).toHaveLength(2);
  flights[0]?.release();
  await ticks();
  expect(flights.map((f) => f.batch)).toEqual([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
});

test('without maxFullInFlight, a full batch waits for the flight out like any other', async () => {
  const { flights, push } = held(1, 1);
  push(1, 2, 3);
  await ticks();
  push(4, 5, 6);
  await ticks();
  expect(flights.map((f) => f.batch)).toEqual([[1, 2, 3]]);
  flights[0]?.release();
  await ticks();
  expect(flights.map((f) => f.batch)).toEqual([[1, 2, 3], [4, 5, 6]]);
});

test('a queue of several full batches is shared evenly among the flights free for full batches', async () => {
  const { flights, push } = held(1, 2);
  // Six arrive together: two full batches, two flights at once (the database answers both on two threads).
  push(1, 2, 3, 4, 5, 6);
  await ticks();
  expect(flights.map((f) => f.batch)).toEqual([
    [1, 2, 3],
    [4, 5, 6],
  ]);
  flights[0]?.release();
  flights[1]?.release();
  await ticks();
  // Seven: still two flights, as even as can be.
  push(7, 8, 9, 10, 11, 12, 13);
  await ticks();
  expect(flights.slice(2).map((f) => f.batch)).toEqual([
    [7, 8, 9, 10],
    [11, 12, 13],
  ]);
  flights[2]?.release();
  flights[3]?.release();
  await ticks();
  // Five make one full batch only: one flight carries them all.
  push(14, 15, 16, 17, 18);
  await ticks();
  expect(flights.slice(4).map((f) => f.batch)).toEqual([[14, 15, 16, 17, 18]]);
  // With one flight out only one more is free: a big queue goes whole in it.
  push(19, 20, 21, 22, 23, 24, 25);
  await ticks();
  expect(flights.slice(5).map((f) => f.batch)).toEqual([[19, 20, 21, 22, 23, 24, 25]]);
});

test('a queue whose parts would each hold SPLIT_BELOW_FULL_BATCHES full batches or more goes whole', async () => {
  const { flights, push } = held(1, 2);
  // Batches of 3 are full: 12 in two parts of 6 would each hold 2 full batches, so it goes whole.
  expect(SPLIT_BELOW_FULL_BATCHES).toBe(2);
  push(...Array.from({ length: 12 }, (_, i) => i + 1));
  await ticks();
  expect(flights.map((f) => f.batch.length)).toEqual([12]);
  flights[0]?.release();
  await ticks();
  // 11 make parts of 6 and 5: the first still 2 full batches: whole.
  push(...Array.from({ length: 11 }, (_, i) => i + 100));
  await ticks();
  expect(flights.slice(1).map((f) => f.batch.length)).toEqual([11]);
  flights[1]?.release();
  await ticks();
  // 10 make parts of 5: one full batch each, under the bound: split.
  push(...Array.from({ length: 10 }, (_, i) => i + 200));
  await ticks();
  expect(flights.slice(2).map((f) => f.batch.length)).toEqual([5, 5]);
});

test('without maxFullInFlight, a big queue goes in one batch', async () => {
  const { flights, push } = held(1, 1);
  push(1, 2, 3, 4, 5, 6, 7, 8, 9);
  await ticks();
  expect(flights.map((f) => f.batch)).toEqual([[1, 2, 3, 4, 5, 6, 7, 8, 9]]);
});

/** A lingering queue (batches of 8 full, waits of 60 s: they never run out here) told of the namenode's calls. */
function withCalls(calls: Calls) {
  const flights: { batch: number[]; release(): void }[] = [];
  const linger = new BatchLinger({ minBatch: 8, maxMs: 60_000, paidAt: 4 });
  const queue = new FlightQueue<Request, void>(
    (batch) => new Promise<void>((resolve) => flights.push({ batch: batch.map((r) => r.n), release: resolve })),
    () => undefined,
    (q) => q.length,
    1,
    linger,
    1,
    calls,
  );
  const push = (...ns: number[]) => ns.forEach((n) => queue.push({ n, reject: () => undefined }));
  return { flights, push, linger };
}

test('a short batch does not wait when every caller the namenode lately served at once is in it or in flight', async () => {
  const calls = new Calls();
  calls.recentPeak = 2;
  const { flights, push, linger } = withCalls(calls);
  push(1, 2);
  await ticks();
  expect(flights.map((f) => f.batch)).toEqual([[1, 2]]);
  // Both callers are in the flight: their next lookups go at once too, when it lands.
  push(3, 4);
  await ticks();
  flights[0]?.release();
  await ticks();
  expect(flights.map((f) => f.batch)).toEqual([[1, 2], [3, 4]]);
  expect(linger.cutShort + linger.timedOut + linger.filled).toBe(0);
});

test('with more callers lately, a short batch waits, and goes once the rest joined it or the flight out', async () => {
  const calls = new Calls();
  calls.recentPeak = 5;
  const { flights, push, linger } = withCalls(calls);
  push(1, 2, 3);
  await ticks();
  expect(flights).toHaveLength(0);
  push(4);
  await ticks();
  expect(flights).toHaveLength(0);
  // The fifth caller's lookup: no one else is left, so the wait ends (paid: 5 ≥ paidAt 4).
  push(5);
  await ticks();
  expect(flights.map((f) => f.batch)).toEqual([[1, 2, 3, 4, 5]]);
  expect(linger.cutShort).toBe(1);
  // A caller gone (its call answered elsewhere) also ends a wait that no one else can join.
  flights[0]?.release();
  await ticks();
  push(6, 7, 8, 9);
  await ticks();
  expect(flights).toHaveLength(1);
  calls.recentPeak = 4;
  calls.end();
  await ticks();
  expect(flights.map((f) => f.batch)).toEqual([[1, 2, 3, 4, 5], [6, 7, 8, 9]]);
});
