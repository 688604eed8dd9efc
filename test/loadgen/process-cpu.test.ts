import { allProcessesCpu, busiestBetween, processCpuMicros, type ProcessCpu } from '../../loadgen/process-cpu';

const spin = (ms: number): void => {
  const end = Date.now() + ms;
  while (Date.now() < end) Math.sqrt(Math.random());
};

describe('every process CPU and the busiest between two snapshots', () => {
  it('holds this process at the CPU /proc gives it alone', () => {
    const own = processCpuMicros(process.pid);
    const all = allProcessesCpu();
    const me = all.get(process.pid);
    expect(me).toBeDefined();
    expect(me!.micros).toBeGreaterThanOrEqual(own);
    expect(me!.micros - own).toBeLessThan(100_000);
    expect(all.size).toBeGreaterThan(1);
  });

  it('counts what this process spun between the snapshots, and names it by its command line', () => {
    const before = allProcessesCpu();
    spin(300);
    // Every process that ran (other jest workers may have run more than this one).
    const me = busiestBetween(before, allProcessesCpu(), new Set(), Number.MAX_SAFE_INTEGER).find((p) => p.pid === process.pid);
    expect(me).toBeDefined();
    expect(me!.micros).toBeGreaterThanOrEqual(100_000);
    expect(me!.name).toContain('node');
  });

  it('leaves out the excluded, counts a process born meanwhile in full, drops the idle, and orders by CPU', () => {
    const at = (entries: [number, number][]): Map<number, ProcessCpu> => new Map(entries.map(([pid, micros]) => [pid, { name: `p${pid}`, micros }]));
    const before = at([[1_000_001, 500], [1_000_002, 100], [1_000_003, 50], [1_000_004, 70]]);
    const after = at([[1_000_001, 900], [1_000_002, 1_100], [1_000_003, 50], [1_000_004, 90_000], [1_000_005, 700]]);
    // No such pids on the box: the names stay the snapshot's.
    expect(busiestBetween(before, after, new Set([1_000_004]), 5)).toEqual([
      { pid: 1_000_002, name: 'p1000002', micros: 1_000 },
      { pid: 1_000_005, name: 'p1000005', micros: 700 },
      { pid: 1_000_001, name: 'p1000001', micros: 400 },
    ]);
    expect(busiestBetween(before, after, new Set(), 1)).toEqual([{ pid: 1_000_004, name: 'p1000004', micros: 89_930 }]);
  });
});
