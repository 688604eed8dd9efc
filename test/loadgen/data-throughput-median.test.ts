import { throughputRow } from '../harness/data-throughput-row';
import { dataCpuSampler, medianRounds, type CpuPerMiB, type DataThroughputRow } from '../../loadgen/data-throughput';

const MiB = 1024 * 1024;

const round = throughputRow;

describe('the data section: medians of its rounds', () => {
  it('takes the median write and the median read of each replication factor on their own, and keeps every round', () => {
    const rows = medianRounds([round(1, 200, 900), round(3, 90, 1_100), round(1, 150, 400), round(3, 168, 300), round(1, 300, 700), round(3, 124, 519)]);
    expect(rows.map((r) => r.replication)).toEqual([1, 3]);
    const [r1, r3] = rows as [DataThroughputRow, DataThroughputRow];
    expect(r1).toMatchObject({ writeMiBps: 200, readMiBps: 700, writeSeconds: 256 / 200, readSeconds: 256 / 700 });
    expect(r3).toMatchObject({ writeMiBps: 124, readMiBps: 519, bytes: 256 * MiB, blockSize: 128 * MiB });
    expect(r3.rounds).toEqual([
      { writeMiBps: 90, readMiBps: 1_100 },
      { writeMiBps: 168, readMiBps: 300 },
      { writeMiBps: 124, readMiBps: 519 },
    ]);
  });

  it('leaves a single round as it was measured', () => {
    expect(medianRounds([round(3, 101, 301)])).toEqual([{ ...round(3, 101, 301), rounds: [{ writeMiBps: 101, readMiBps: 301 }] }]);
  });

  it('takes each CPU figure\'s median on its own, and none when a round was measured without a sampler', () => {
    const cpu = (client: number, datanodes: number, others: number): CpuPerMiB => ({ client, datanodes, others });
    const withCpu = (r: DataThroughputRow, w: CpuPerMiB, rd: CpuPerMiB): DataThroughputRow => ({ ...r, writeCpu: w, readCpu: rd });
    const [r] = medianRounds([
      withCpu(round(3, 100, 300), cpu(1, 9, 0.5), cpu(4, 2, 3)),
      withCpu(round(3, 110, 310), cpu(3, 7, 0.1), cpu(2, 6, 1)),
      withCpu(round(3, 120, 320), cpu(2, 8, 0.9), cpu(3, 4, 2)),
    ]);
    expect(r).toMatchObject({ writeCpu: cpu(2, 8, 0.5), readCpu: cpu(3, 4, 2) });
    const [bare] = medianRounds([withCpu(round(3, 100, 300), cpu(1, 1, 1), cpu(1, 1, 1)), round(3, 110, 310)]);
    expect(bare).not.toHaveProperty('writeCpu');
    expect(bare).not.toHaveProperty('readCpu');
  });
});

describe('the data section: its CPU sampler', () => {
  it('counts this process as the client, the given processes as datanodes, and the machine at least as busy as this process', () => {
    const sample = dataCpuSampler([process.pid]);
    const before = sample();
    const start = process.cpuUsage();
    let spin = 0;
    for (let used = 0; used < 200_000; ) {
      for (let i = 0; i < 100_000; i++) spin += Math.sqrt(spin + i);
      const u = process.cpuUsage(start);
      used = u.user + u.system;
    }
    const after = sample();
    const client = after.client - before.client;
    expect(client).toBeGreaterThanOrEqual(200_000);
    // /proc counts in 10 ms ticks: the same process read two ways agrees to a few ticks.
    expect(Math.abs(after.datanodes - before.datanodes - client)).toBeLessThan(50_000);
    expect(after.machine - before.machine).toBeGreaterThan(client - 50_000);
  });
});
