import { medianRounds, type DataThroughputRow } from '../../loadgen/data-throughput';

const MiB = 1024 * 1024;

const round = (replication: number, writeMiBps: number, readMiBps: number): DataThroughputRow => ({
  replication,
  bytes: 256 * MiB,
  blockSize: 128 * MiB,
  writeSeconds: 256 / writeMiBps,
  readSeconds: 256 / readMiBps,
  writeMiBps,
  readMiBps,
});

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
});
