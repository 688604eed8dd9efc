import { BlockOwners } from '../../../namenode/tx/block-owners';
import { ReplicaWaiters } from '../../../namenode/tx/replica-waiters';

describe("a complete's first try and the copies of its block", () => {
  test('it waits only when a datanode of the pipeline reports here and no copy came yet; the report of a copy ends the wait', async () => {
    const w = new ReplicaWaiters();
    // No datanode of the pipeline reports here (their reports go to another namenode): no wait.
    await w.pipelineCopies(7, ['a', 'b'], 60_000);
    expect(w.stats.firstCopyWaits).toBe(0);
    w.reportFrom('b');
    const waiting = w.pipelineCopies(7, ['a', 'b'], 60_000);
    expect(w.stats.firstCopyWaits).toBe(1);
    // A report of another block's copy does not end it; this block's copy from the one datanode reporting here does.
    w.notify([70], [{ blockId: 6, uuid: 'b' }]);
    w.notify([70], [{ blockId: 7, uuid: 'b' }]);
    await waiting;
    expect(w.stats.firstCopyTimeouts).toBe(0);
    // A copy already reported here: no wait.
    await w.pipelineCopies(7, ['b'], 60_000);
    expect(w.stats.firstCopyWaits).toBe(1);
    // No copy comes: the wait ends after `ms` and the try runs anyway.
    await w.pipelineCopies(8, ['b'], 1);
    expect(w.stats).toMatchObject({ firstCopyWaits: 2, firstCopyTimeouts: 1 });
  });

  test('it waits for every copy of the pipeline reported here, not only the first', async () => {
    const w = new ReplicaWaiters();
    for (const uuid of ['a', 'b', 'c']) w.reportFrom(uuid);
    let done = false;
    const waiting = w.pipelineCopies(9, ['a', 'b', 'c'], 60_000).then(() => (done = true));
    w.notify([90], [{ blockId: 9, uuid: 'a' }]);
    // The same datanode again counts once.
    w.notify([90], [{ blockId: 9, uuid: 'a' }]);
    w.notify([90], [{ blockId: 9, uuid: 'c' }]);
    await new Promise((r) => setImmediate(r));
    expect(done).toBe(false);
    w.notify([90], [{ blockId: 9, uuid: 'b' }]);
    await waiting;
    expect(w.stats).toMatchObject({ firstCopyWaits: 1, firstCopyTimeouts: 0, otherCopiesWaits: 1, otherCopiesTimeouts: 0 });
    // Every copy in: no wait.
    await w.pipelineCopies(9, ['a', 'b', 'c'], 60_000);
    expect(w.stats.otherCopiesWaits).toBe(1);
  });

  test('once a copy is in, the others get a short wait of their own, however long the first may take', async () => {
    jest.useFakeTimers();
    try {
      const w = new ReplicaWaiters();
      for (const uuid of ['a', 'b']) w.reportFrom(uuid);
      w.notify([100], [{ blockId: 10, uuid: 'a' }]);
      // `b` never reports its copy: the wait ends within a second, not after the minute it was allowed.
      let ended = false;
      const first = w.pipelineCopies(10, ['a', 'b'], 60_000).then(() => (ended = true));
      await jest.advanceTimersByTimeAsync(1_000);
      expect(ended).toBe(true);
      await first;
      expect(w.stats).toMatchObject({ firstCopyWaits: 0, otherCopiesWaits: 1, otherCopiesTimeouts: 1 });
      // The first copy comes during a long wait, the second never: that wait is cut short too.
      ended = false;
      const second = w.pipelineCopies(11, ['a', 'b'], 60_000).then(() => (ended = true));
      await jest.advanceTimersByTimeAsync(10_000);
      expect(ended).toBe(false);
      w.notify([110], [{ blockId: 11, uuid: 'a' }]);
      await jest.advanceTimersByTimeAsync(1_000);
      expect(ended).toBe(true);
      await second;
      expect(w.stats).toMatchObject({ firstCopyWaits: 1, firstCopyTimeouts: 0, otherCopiesWaits: 2, otherCopiesTimeouts: 2 });
    } finally {
      jest.useRealTimers();
    }
  });

  test('block owners keep the newest blocks, their files and pipelines', () => {
    const owners = new BlockOwners(2);
    owners.set(1, 100, ['a']);
    owners.set(2, 200, ['b']);
    // A concat moved block 1: its file changes, its pipeline stays.
    owners.set(1, 300);
    expect([owners.get(1), owners.pipeline(1)]).toEqual([300, ['a']]);
    owners.set(3, 400, ['c']);
    expect(owners.get(2)).toBeUndefined();
    expect(owners.pipeline(2)).toEqual([]);
    expect(owners.get(3)).toBe(400);
  });
});
