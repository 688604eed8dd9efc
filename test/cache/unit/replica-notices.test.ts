import { parseNotice } from '../../../namenode/cache/replica-notices';
import { ReplicaWaiters } from '../../../namenode/tx/replica-waiters';

describe('replica-arrived notices', () => {
  test('a notice is read only when it has the expected shape', () => {
    expect(parseNotice(JSON.stringify({ from: 'nn1', ids: [5, 7] }))).toEqual({ from: 'nn1', ids: [5, 7] });
    for (const bad of ['', 'not json', 'null', '[]', '{"from":1,"ids":[1]}', '{"from":"x","ids":"1"}', '{"from":"x","ids":[1.5]}', '{"from":"x","ids":["1"]}']) {
      expect(parseNotice(bad)).toBeUndefined();
    }
    expect(parseNotice(JSON.stringify({ from: 'x', ids: Array.from({ length: 1001 }, (_, i) => i) }))).toBeUndefined();
  });

  test('waiters count what woke them: a report here, a notice from the fleet, or their poll', async () => {
    const w = new ReplicaWaiters();
    const published: number[][] = [];
    w.tellFleet((ids) => published.push([...ids]));
    const watch = w.watch(5);
    // A signal that comes between waits is kept, with its reason.
    w.noticed([5]);
    expect(await watch.wait(10_000)).toBe('notice');
    const sleeping = watch.wait(10_000);
    w.notify([5, 6]);
    expect(await sleeping).toBe('report');
    expect(await watch.wait(1)).toBe('poll');
    expect(published).toEqual([[5, 6]]);
    // Notices are not passed on again: only this namenode's own reports go to the fleet.
    w.noticed([5]);
    expect(published).toEqual([[5, 6]]);
    expect(w.stats).toMatchObject({ wokenByNotice: 1, wokenByReport: 1, pollTimeouts: 1 });
    watch.close();
    expect(w.size).toBe(0);
  });
});
