import { BlockOwners } from '../../../namenode/tx/block-owners';
import { ReplicaWaiters } from '../../../namenode/tx/replica-waiters';

describe("a complete's first try and the first copy of its block", () => {
  test('it waits only when a datanode of the pipeline reports here and no copy came yet; the report of a copy ends the wait', async () => {
    const w = new ReplicaWaiters();
    // No datanode of the pipeline reports here (their reports go to another namenode): no wait.
    await w.firstCopy(7, ['a', 'b'], 60_000);
    expect(w.stats.firstCopyWaits).toBe(0);
    w.reportFrom('b');
    const waiting = w.firstCopy(7, ['a', 'b'], 60_000);
    expect(w.stats.firstCopyWaits).toBe(1);
    // A report of another block's copy does not end it; this block's does.
    w.notify([70], [6]);
    w.notify([70], [7]);
    await waiting;
    expect(w.stats.firstCopyTimeouts).toBe(0);
    // A copy already reported here: no wait.
    await w.firstCopy(7, ['b'], 60_000);
    expect(w.stats.firstCopyWaits).toBe(1);
    // No copy comes: the wait ends after `ms` and the try runs anyway.
    await w.firstCopy(8, ['b'], 1);
    expect(w.stats).toMatchObject({ firstCopyWaits: 2, firstCopyTimeouts: 1 });
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
