import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { PhaseRecorder } from '../../loadgen/phase-recorder';
import { allProcessesCpu, busiestBetween, machineCpu, machineShares, processCpuMicros, type ProcessCpu } from '../../loadgen/process-cpu';

const spin = (ms: number): void => {
  const end = Date.now() + ms;
  while (Date.now() < end) Math.sqrt(Math.random());
};

describe('every process CPU and the busiest between two snapshots', () => {
  it('holds this process at the CPU /proc gives it alone', () => {
    // Between readings of this process alone taken just before and just after: no bound on how much
    // CPU the process's other threads (GC, the JIT) used meanwhile, which flaked on a busy CI box.
    const before = processCpuMicros(process.pid);
    const all = allProcessesCpu();
    const after = processCpuMicros(process.pid);
    const me = all.get(process.pid);
    expect(me).toBeDefined();
    // ±1 µs: the two readers round a tick (10,000 µs) to floating point in different orders.
    expect(me!.micros).toBeGreaterThanOrEqual(before - 1);
    expect(me!.micros).toBeLessThanOrEqual(after + 1);
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

describe("the machine's shares of a phase", () => {
  const at = (busy: number, steal: number, idle: number) => ({ busyMicros: busy, stealMicros: steal, interruptMicros: 0, idleMicros: idle });

  it('divides busy, steal and idle by all the cores\' time between two samples', () => {
    // Two cores for one second: 2 s of CPU time, 1.2 s busy (0.8 s of it stolen), 0.8 s idle.
    expect(machineShares(at(10e6, 1e6, 50e6), at(11.2e6, 1.8e6, 50.8e6))).toEqual({ busy: 0.6, steal: 0.4, idle: 0.4 });
    expect(machineShares(at(1, 0, 1), at(1, 0, 1))).toBeUndefined();
  });

  it("reads idle + iowait as /proc/stat's 4th and 5th figures", () => {
    const ticks = (readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
    const idle = machineCpu().idleMicros;
    expect(idle).toBeGreaterThanOrEqual(((ticks[3] ?? 0) + (ticks[4] ?? 0)) * 10_000);
    expect(idle - ((ticks[3] ?? 0) + (ticks[4] ?? 0)) * 10_000).toBeLessThan(1_000_000);
  });

  it('gives every recorded phase its shares: a phase this process spins through is at least one core busy', () => {
    const recorder = new PhaseRecorder('spin', 1);
    spin(400);
    recorder.recordSuccess('spin', performance.now());
    const m = recorder.finish({}).machine;
    expect(m).toBeDefined();
    expect(m!.busy + m!.idle).toBeCloseTo(1, 6);
    expect(m!.steal).toBeLessThanOrEqual(m!.busy);
    // One core of cpus().length spun the whole phase, less a tick or two at either end.
    expect(m!.busy).toBeGreaterThan(0.7 / cpus().length);
  });
});
