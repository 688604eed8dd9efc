import { readFileSync } from 'node:fs';
import { allProcessesCpu, busiestBetween, machineCpu, processCpuMicros, type ProcessCpu } from '../../loadgen/process-cpu';

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

describe('the machine\'s busy time and its steal and interrupt parts', () => {
  it('reads /proc/stat\'s first line: steal is its 8th figure, irq + softirq its 6th and 7th, both inside busy, and a spin moves busy', () => {
    const ticks = (readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
    const m = machineCpu();
    // Ticks are 10 ms here (USER_HZ 100): the same counters a moment later, at most a few ticks on.
    expect(m.stealMicros).toBeGreaterThanOrEqual((ticks[7] ?? 0) * 10_000);
    expect(m.stealMicros - (ticks[7] ?? 0) * 10_000).toBeLessThan(500_000);
    expect(m.interruptMicros).toBeGreaterThanOrEqual(((ticks[5] ?? 0) + (ticks[6] ?? 0)) * 10_000);
    expect(m.busyMicros).toBeGreaterThanOrEqual(m.stealMicros + m.interruptMicros);
    spin(300);
    expect(machineCpu().busyMicros - m.busyMicros).toBeGreaterThanOrEqual(200_000);
  });
});
