import { targetRows, targetsTableText, twoNamenodesFromCache, twoNamenodesFromFleet, type TargetRow } from '../../../cli/bench/bench-targets';
import { meanCeiling, type BenchRow } from '../../../cli/bench/bench-summary';
import { peerRow } from '../../../cli/bench/peer-table';

function mainRow(op: string, opsPerSec: number, limitPerSec: number, questions: number, cpu: number): BenchRow {
  return {
    op,
    opsPerSec,
    p50Ms: 1,
    p99Ms: 2,
    errors: 0,
    limit: op === 'create' || op === 'mkdirs' ? 'locking tx' : 'point select',
    limitPerSec,
    ratioToLimit: opsPerSec / limitPerSec,
    dbStatementsPerOp: { Statements: questions },
    namenodeCpuMicrosPerOp: cpu,
    machineIdleShare: 0.1,
    machineStealShare: 0,
  };
}

// The issue's own figures (its first table) against DB ceilings of 24,000 selects/s and 5,400 transactions/s.
const MAIN: BenchRow[] = [
  mainRow('fileStatus', 11_831, 24_000, 0.09, 74),
  mainRow('open', 5_364, 24_000, 2.17, 150),
  mainRow('listStatus', 3_541, 24_000, 1.14, 238),
  mainRow('create', 650, 5_400, 22.7, 1_073),
  mainRow('mkdirs', 1_617, 5_400, 7.26, 471),
  mainRow('spotify mix', 1_917, 24_000, 3, 300),
];

const byFigure = (rows: readonly TargetRow[], figure: string): TargetRow => {
  const r = rows.find((x) => x.figure === figure);
  if (!r) throw new Error(`no row ${figure}`);
  return r;
};

describe('the issue 11 targets table', () => {
  it('holds each figure against its bound, at least or at most', () => {
    const rows = targetRows({ main: MAIN, data: [{ replication: 3, bytes: 256 * 1024 * 1024, writeMiBps: 35.5, readMiBps: 310 }] });
    expect(byFigure(rows, 'create + complete: DB statements/op')).toMatchObject({ measured: 22.7, measuredText: '22.70', target: '≤ 10.00', met: 'no' });
    expect(byFigure(rows, 'create + complete: ratio to DB locking tx/s')).toMatchObject({ target: '≥ 0.50', met: 'no' });
    expect(byFigure(rows, 'fileStatus: NN CPU µs/op')).toMatchObject({ measuredText: '74', target: '≤ 25', met: 'no' });
    expect(byFigure(rows, 'open: DB statements/op').met).toBe('no');
    expect(byFigure(rows, 'data: read MiB/s (256 MiB, replication 3)')).toMatchObject({ measuredText: '310.0', target: '≥ 300.0', met: 'yes' });
    expect(byFigure(rows, 'data: write MiB/s (256 MiB, replication 3)').met).toBe('no');
    expect(byFigure(rows, 'Spotify mix: ops/s')).toMatchObject({ measured: 1_917, met: 'no' });
  });

  it('says when the data rates are medians of rounds', () => {
    const rounds = [{ writeMiBps: 90, readMiBps: 300 }, { writeMiBps: 120, readMiBps: 500 }, { writeMiBps: 170, readMiBps: 1_000 }];
    const rows = targetRows({ main: MAIN, data: [{ replication: 3, bytes: 256 * 1024 * 1024, writeMiBps: 120, readMiBps: 500, rounds }] });
    expect(byFigure(rows, 'data: write MiB/s (256 MiB, replication 3)')).toMatchObject({
      met: 'yes',
      source: 'data section: one 256 MiB file, replication 3, one client stream, median of 3 rounds',
    });
  });

  it('meets a bound it equals, and prints small figures with two decimals', () => {
    const main = [mainRow('open', 19_200, 24_000, 0.04, 20)];
    const rows = targetRows({ main });
    expect(byFigure(rows, 'open: ratio to DB point selects/s')).toMatchObject({ measuredText: '0.80', met: 'yes' });
    expect(byFigure(rows, 'open: DB statements/op')).toMatchObject({ measuredText: '0.04', met: 'yes' });
  });

  it('says "not run" for every figure of a section that did not run, and names the section', () => {
    const rows = targetRows({ main: [] });
    expect(rows.every((r) => r.met === 'not run' && r.measured === null && r.measuredText === '-')).toBe(true);
    expect(byFigure(rows, 'small files: files/s').source).toBe('small-files section not run');
    expect(byFigure(rows, 'fileStatus: NN CPU µs/op').source).toBe('main table: no fileStatus row (phase not run)');
    expect(byFigure(rows, 'nnfleet ÷ HDFS: listStatus').source).toBe('HDFS side-by-side section not run');
    expect(rows.filter((r) => r.figure.startsWith('nnfleet ÷ HDFS')).map((r) => r.figure)).toEqual(
      ['fileStatus', 'open', 'listStatus', 'create', 'mkdirs', 'spotify mix'].map((op) => `nnfleet ÷ HDFS: ${op}`),
    );
  });

  it('takes the small-files section\'s rate and p50, and says when its shape is not the target\'s', () => {
    const smallFiles = { files: 1000, threads: 8, bytes: 4096, replication: 3, filesPerSecond: 1200, latency: { p50Ms: 31 } };
    const rows = targetRows({ main: MAIN, smallFiles });
    expect(byFigure(rows, 'small files: files/s')).toMatchObject({ measured: 1200, met: 'yes' });
    expect(byFigure(rows, 'small files: p50 ms (create to complete)')).toMatchObject({ measuredText: '31.0', target: '≤ 30.0', met: 'no' });
    expect(byFigure(rows, 'small files: files/s').source).toContain("the target's shape is 4096 B, replication 3, 16 threads");
  });

  it('says how many cores the small-files bounds take at the CPU per file this run measured, beside HDFS\'s', () => {
    const smallFiles = { files: 2000, threads: 16, bytes: 4096, replication: 3, filesPerSecond: 300, latency: { p50Ms: 50 }, cpuMicrosPerFile: 5900 };
    const hdfsCpu = { processes: [{ name: 'HDFS JVM', micros: 5400 }, { name: 'load generator', micros: 800 }], others: 20 };
    const peer = [{ ...peerRow({ op: 'small files: files/s (4096 B, replication 3, 16 writers)', nnfleet: { opsPerSec: 300 }, hdfs: { opsPerSec: 200, cpu: hdfsCpu } }) }];
    const rows = targetRows({ main: MAIN, smallFiles, cores: 2, peer });
    expect(byFigure(rows, 'small files: files/s').source).toBe(
      'small-files section: 2000 files of 4096 B, replication 3, 16 threads; 5900 µs of CPU per file (namenode, datanodes, MariaDB, client): ' +
        '1000 files/s at that cost take 5.9 cores, this machine has 2, enough for 339 files/s (HDFS here: 6200 µs, 6.2 cores)',
    );
    // 16 writers at 30 ms a file: 533 files/s.
    expect(byFigure(rows, 'small files: p50 ms (create to complete)').source).toContain('16 writers at 30 ms a file make 533 files/s at that cost take 3.1 cores, this machine has 2');
    // Without the cost or the cores, the source is the shape alone.
    expect(byFigure(targetRows({ main: MAIN, smallFiles: { ...smallFiles, cpuMicrosPerFile: undefined } }), 'small files: files/s').source).toBe(
      'small-files section: 2000 files of 4096 B, replication 3, 16 threads',
    );
  });

  it('has one HDFS row per side-by-side row, "not run" with the reason where a side has no figure', () => {
    const peer = [
      peerRow({ op: 'fileStatus', nnfleet: { opsPerSec: 3000 }, hdfs: { opsPerSec: 2000 } }),
      peerRow({ op: 'NNThroughputBenchmark open', nnfleet: { missing: 'timed out after 120 s' }, hdfs: { opsPerSec: 9000 } }),
    ];
    const rows = targetRows({ main: MAIN, peer }).filter((r) => r.figure.startsWith('nnfleet ÷ HDFS'));
    expect(rows).toEqual([
      { figure: 'nnfleet ÷ HDFS: fileStatus', measured: 1.5, measuredText: '1.50', target: '≥ 1.00', met: 'yes', source: 'HDFS side by side (table above)' },
      {
        figure: 'nnfleet ÷ HDFS: NNThroughputBenchmark open',
        measured: null,
        measuredText: '-',
        target: '≥ 1.00',
        met: 'not run',
        source: 'HDFS side by side: nnfleet: timed out after 120 s',
      },
    ]);
    // With each side's machine shares, the source names the steal both ran with.
    const stolen = peerRow({ op: 'open', nnfleet: { opsPerSec: 9000, machine: { busy: 0.9, steal: 0.24, idle: 0.1 } }, hdfs: { opsPerSec: 18000, machine: { busy: 0.8, steal: 0, idle: 0.2 } } });
    expect(targetRows({ main: MAIN, peer: [stolen] }).find((r) => r.figure === 'nnfleet ÷ HDFS: open')?.source).toBe('HDFS side by side (table above, steal nnfleet / HDFS 24 / 0 %)');
    expect(byFigure(targetRows({ main: MAIN }), 'fileStatus: NN CPU µs/op').source).toBe('main table, fileStatus (11831 ops/s, mean point select ceiling 24000/s, steal 0 %)');
  });

  it('divides two namenodes\' statements per fileStatus by one\'s, from the fleet or the cache section', () => {
    const fleet = twoNamenodesFromFleet([
      { namenodes: 1, dbStatementsPerOp: 0.09 },
      { namenodes: 2, dbStatementsPerOp: 0.32 },
    ]);
    const row = byFigure(targetRows({ main: MAIN, ...(fleet ? { twoNamenodes: fleet } : {}) }), "two namenodes: statements per fileStatus ÷ one namenode's");
    expect(row).toMatchObject({ measuredText: '3.56', target: '≤ 1.50', met: 'no', source: 'fleet section (fileStatus through haproxy): 0.090 with one, 0.320 with two' });
    expect(twoNamenodesFromFleet([{ namenodes: 1, dbStatementsPerOp: 1 }])).toBeUndefined();

    const setting = (n: number, statementsPerOp: number) => ({
      operation: 'fileStatus',
      setting: `cache off, ${n} namenode(s)`,
      opsPerSec: 1,
      p50Ms: 1,
      p99Ms: 1,
      statementsPerOp,
      errors: 0,
      clientCpuMicrosPerOp: 1,
    });
    expect(twoNamenodesFromCache([setting(1, 0.2), setting(2, 0.25)])).toEqual({ one: 0.2, two: 0.25, source: 'cache section, cache off' });
  });

  it('counts what was met, missed and not run above the table', () => {
    const text = targetsTableText(targetRows({ main: [mainRow('fileStatus', 30_000, 24_000, 0.05, 20)] }));
    const first = text.split('\n')[0];
    expect(first).toMatch(/^issue 11 targets: 2 of \d+ met, 0 not met, \d+ not run$/);
    expect(text.split('\n')[1]).toMatch(/^figure\s+measured\s+target\s+met\s+from$/);
    expect(text).toMatch(/fileStatus: ratio to DB point selects\/s\s+1\.25\s+≥ 1\.00\s+yes\s+main table, fileStatus \(30000 ops\/s, mean point select ceiling 24000\/s, steal 0 %\)/);
  });
});

describe('meanCeiling', () => {
  test('the mean of the measurements that ran; none (or a zero rate) gives no ceiling', () => {
    expect(meanCeiling([{ opsPerSec: 10_000 }, { opsPerSec: 20_000 }])).toBe(15_000);
    expect(meanCeiling([undefined, { opsPerSec: 8_000 }])).toBe(8_000);
    expect(meanCeiling([{ opsPerSec: 0 }, { opsPerSec: 6_000 }])).toBe(6_000);
    expect(meanCeiling([undefined])).toBe(0);
    expect(meanCeiling([])).toBe(0);
  });
});
