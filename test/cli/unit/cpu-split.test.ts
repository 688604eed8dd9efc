import { cpuServerTotal, cpuTotal, LOAD_GENERATOR, startCpuSplit } from '../../../cli/bench/cpu-split';

describe('a phase\'s CPU split by process', () => {
  it("charges this process's own work to it, per operation, and the rest of the machine to the others", () => {
    const end = startCpuSplit([{ name: LOAD_GENERATOR, pid: process.pid }]);
    // Spin until this process has used 60 ms of CPU by its own account (not a wall-clock wait).
    const start = process.cpuUsage();
    let x = 0;
    for (;;) {
      for (let i = 0; i < 100_000; i++) x += Math.sqrt(i);
      const used = process.cpuUsage(start);
      if (used.user + used.system >= 60_000) break;
    }
    expect(x).toBeGreaterThan(0);
    const split = end(10);
    const mine = split.processes[0];
    expect(mine?.name).toBe(LOAD_GENERATOR);
    // /proc counts in 10 ms ticks: 60 ms over 10 operations is at least ~5,000 µs each.
    expect(mine?.micros).toBeGreaterThanOrEqual(4_000);
    expect(split.others).not.toBeNull();
    expect(split.others).toBeGreaterThanOrEqual(0);
    expect(cpuTotal(split)).toBeCloseTo((mine?.micros ?? 0) + (split.others ?? 0), 6);
  });

  it('counts serving as every named process but the load generator', () => {
    const c = { processes: [{ name: 'namenode', micros: 12 }, { name: 'MariaDB', micros: 9 }, { name: LOAD_GENERATOR, micros: 14 }], others: 3 };
    expect(cpuServerTotal(c)).toBe(21);
    expect(cpuTotal(c)).toBe(38);
  });
});
