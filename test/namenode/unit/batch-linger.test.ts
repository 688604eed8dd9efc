import { BatchLinger, NO_LINGER } from '../../../namenode/tx/batch-linger';
import { FlightQueue, takeUpTo } from '../../../namenode/tx/flight-queue';

/** A linger on a clock the test moves. */
function clocked(minBatch: number, maxMs: number) {
  let now = 1_000;
  const linger = new BatchLinger({ minBatch, maxMs }, () => now);
  return { linger, advance: (ms: number) => (now += ms) };
}

describe('BatchLinger', () => {
  test('only a batch shorter than minBatch waits, and never when off', () => {
    const { linger } = clocked(8, 1);
    expect([linger.shouldWait(1), linger.shouldWait(7), linger.shouldWait(8), linger.shouldWait(20)]).toEqual([true, true, false, false]);
    expect([linger.isFull(7), linger.isFull(8)]).toEqual([false, true]);
    expect(new BatchLinger(NO_LINGER).shouldWait(1)).toBe(false);
    expect(new BatchLinger({ minBatch: 8, maxMs: 0 }).shouldWait(1)).toBe(false);
    expect(new BatchLinger({ minBatch: 0, maxMs: 1 }).shouldWait(0)).toBe(false);
  });

  test('a first wait that runs out stops waits for a while, then one is tried again', () => {
    const { linger, advance } = clocked(8, 1);
    linger.onTimedOut(1);
    expect(linger.shouldWait(1)).toBe(false);
    advance(19);
    expect(linger.shouldWait(1)).toBe(false);
    advance(1);
    expect(linger.shouldWait(1)).toBe(true);
    expect([linger.filled, linger.timedOut]).toEqual([0, 1]);
  });

  test('while the tried waits run out too, the quiet doubles up to a second', () => {
    const { linger, advance } = clocked(8, 1);
    const quiets: number[] = [];
    for (let i = 0; i < 8; i++) {
      linger.onTimedOut(1);
      let quiet = 0;
      while (!linger.shouldWait(1)) {
        advance(1);
        quiet++;
      }
      quiets.push(quiet);
    }
    expect(quiets).toEqual([20, 40, 80, 160, 320, 640, 1000, 1000]);
  });

  test('once most waits fill, an occasional one that runs out stops nothing', () => {
    const { linger } = clocked(8, 1);
    for (let i = 0; i < 20; i++) linger.onFilled();
    for (let i = 0; i < 30; i++) {
      for (let j = 0; j < 4; j++) linger.onFilled();
      linger.onTimedOut(1);
      expect(linger.shouldWait(3)).toBe(true);
    }
    expect([linger.filled, linger.timedOut]).toEqual([140, 30]);
  });

  test('with paidAt, a wait that runs out with that much company counts as filled; alone it stops waits', () => {
    let now = 1_000;
    const linger = new BatchLinger({ minBatch: 16, maxMs: 10, paidAt: 2 }, () => now);
    for (let i = 0; i < 30; i++) {
      linger.onTimedOut(2 + (i % 3));
      expect(linger.shouldWait(1)).toBe(true);
    }
    expect([linger.filled, linger.timedOut]).toEqual([0, 30]);
    // Alone, again and again (a single writer): waits stop.
    let stopped = false;
    for (let i = 0; i < 20 && !stopped; i++) {
      linger.onTimedOut(1);
      stopped = !linger.shouldWait(1);
    }
    expect(stopped).toBe(true);
    now += 20;
    expect(linger.shouldWait(1)).toBe(true);
  });

  test('without paidAt only a full batch pays: a wait that runs out short, with company or not, is wasted', () => {
    const { linger } = clocked(8, 1);
    linger.onTimedOut(7);
    expect(linger.shouldWait(1)).toBe(false);
  });

  test('a wait cut short counts apart, paid or wasted by the company it had', () => {
    const { linger, advance } = clocked(16, 10);
    const paid = new BatchLinger({ minBatch: 16, maxMs: 10, paidAt: 2 }, () => 0);
    paid.onCutShort(2);
    expect([paid.cutShort, paid.timedOut, paid.filled, paid.shouldWait(1)]).toEqual([1, 0, 0, true]);
    linger.onCutShort(1);
    expect([linger.cutShort, linger.shouldWait(1)]).toEqual([1, false]);
    advance(20);
    expect(linger.shouldWait(1)).toBe(true);
  });

  test('when most waits run out, waits stop', () => {
    const { linger } = clocked(8, 1);
    for (let i = 0; i < 20; i++) linger.onFilled();
    let stopped = false;
    for (let i = 0; i < 20 && !stopped; i++) {
      linger.onFilled();
      linger.onTimedOut(1);
      linger.onTimedOut(1);
      stopped = !linger.shouldWait(1);
    }
    expect(stopped).toBe(true);
  });
});

describe('FlightQueue with a linger', () => {
  const tick = () => new Promise((r) => setImmediate(r));

  /** A queue of numbers whose sends are recorded and answered at once. */
  function queue(linger: BatchLinger) {
    const sent: number[][] = [];
    const q = new FlightQueue<{ n: number; reject(e: unknown): void }, void>(
      (batch) => {
        sent.push(batch.map((w) => w.n));
        return Promise.resolve();
      },
      () => undefined,
      takeUpTo(100, () => 1),
      1,
      linger,
    );
    const push = (n: number) => q.push({ n, reject: () => undefined });
    return { sent, push };
  }

  test('a short batch waits until minBatch requests are queued, then goes at once with all of them', async () => {
    // A wait far longer than any test: only the batch filling can end it here.
    const linger = new BatchLinger({ minBatch: 4, maxMs: 600_000 });
    for (let i = 0; i < 20; i++) linger.onFilled();
    const { sent, push } = queue(linger);
    push(1);
    await tick();
    push(2);
    push(3);
    await tick();
    await tick();
    expect(sent).toEqual([]);
    push(4);
    await tick();
    expect(sent).toEqual([[1, 2, 3, 4]]);
    expect([linger.filled, linger.timedOut]).toEqual([21, 0]);
  });

  test('a wait that runs out sends the short batch', async () => {
    const linger = new BatchLinger({ minBatch: 4, maxMs: 5 });
    for (let i = 0; i < 20; i++) linger.onFilled();
    const { sent, push } = queue(linger);
    push(1);
    push(2);
    while (sent.length === 0) await new Promise((r) => setTimeout(r, 5));
    expect(sent).toEqual([[1, 2]]);
    expect([linger.filled, linger.timedOut]).toEqual([20, 1]);
  });

  test('a batch already at minBatch does not wait; a quiet linger lets short batches go', async () => {
    const { linger } = clocked(2, 600_000);
    const { sent, push } = queue(linger);
    push(1);
    push(2);
    await tick();
    expect(sent).toEqual([[1, 2]]);
    linger.onTimedOut(1);
    push(3);
    await tick();
    expect(sent).toEqual([[1, 2], [3]]);
  });
});
