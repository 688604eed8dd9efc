import { SwiftDeleteQueue } from '../../../datanode/store/swift-delete-queue';
import { until } from '../../harness/eventually';

test('a failing deletion is retried until it succeeds; one failing every time is given up after maxAttempts', async () => {
  const given: string[] = [];
  const q = new SwiftDeleteQueue({ perSecond: 1000, maxAttempts: 3, retryBaseMs: 1, onGiveUp: (name) => given.push(name) });
  let flaky = 0;
  const order: string[] = [];
  q.add({ name: 'flaky', run: async () => (order.push('flaky'), ++flaky < 3 ? Promise.reject(new Error('503')) : undefined) });
  q.add({ name: 'broken', run: async () => (order.push('broken'), Promise.reject(new Error('down'))) });
  q.add({ name: 'fine', run: async () => order.push('fine') });
  // Queued twice: done once.
  q.add({ name: 'fine', run: async () => order.push('fine') });
  expect(q.pending).toBe(3);
  await q.drained();
  expect(q.pending).toBe(0);
  expect(flaky).toBe(3);
  expect(order.filter((n) => n === 'fine')).toHaveLength(1);
  expect(order.filter((n) => n === 'broken')).toHaveLength(3);
  expect(given).toEqual(['broken']);
  expect({ deleted: q.deleted, retried: q.retried, abandoned: q.abandoned }).toEqual({ deleted: 2, retried: 4, abandoned: 1 });
});

test('deletions run one at a time', async () => {
  const q = new SwiftDeleteQueue({ perSecond: 1000 });
  let running = 0;
  let most = 0;
  for (let i = 0; i < 20; i++) {
    q.add({
      name: `o${i}`,
      run: async () => {
        most = Math.max(most, ++running);
        await new Promise((r) => setImmediate(r));
        running--;
      },
    });
  }
  await q.drained();
  expect(most).toBe(1);
  expect(q.deleted).toBe(20);
});

test('after close nothing more is queued or retried', async () => {
  const q = new SwiftDeleteQueue({ perSecond: 1000, retryBaseMs: 60_000 });
  let runs = 0;
  q.add({ name: 'x', run: async () => (runs++, Promise.reject(new Error('down'))) });
  await until('the first attempt', () => runs === 1, 5000, 1);
  await q.close();
  q.add({ name: 'y', run: async () => runs++ });
  expect(runs).toBe(1);
});
