import { BatchLinger } from '../../../namenode/tx/batch-linger';
import { FlightQueue } from '../../../namenode/tx/flight-queue';

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
