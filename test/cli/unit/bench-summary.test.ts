import { benchRow, benchTableText, type BenchMeasurement } from '../../../cli/bench/bench-summary';
import { STATEMENT_COUNTERS, type StatementCounts } from '../../../cli/bench/db-status';
import type { PhaseResult } from '../../../loadgen/loadgen-result';

const latency = { meanMs: 1, p50Ms: 1, p90Ms: 2, p99Ms: 3, maxMs: 4, percentiles: [] };
const phase = (machine?: PhaseResult['machine']): PhaseResult => ({
  name: 'fileStatus',
  threads: 32,
  durationMs: 10_000,
  ops: [],
  totalOps: 200_000,
  totalErrors: 0,
  opsPerSec: 20_000,
  latency,
  timeline: { intervalMs: 1000, series: {} },
  rpcCalls: {},
  ...(machine ? { machine } : {}),
});
const statements = Object.fromEntries(STATEMENT_COUNTERS.map((c) => [c, 12_000])) as unknown as StatementCounts;
const measured = (p: PhaseResult): BenchMeasurement => ({ label: 'fileStatus', phase: p, limit: 'point select', statements, namenodeCpuMicros: 6_200_000 });

describe('the main table', () => {
  it("gives each phase the machine's idle and steal shares beside its figures", () => {
    const row = benchRow(measured(phase({ busy: 0.8, steal: 0.3125, idle: 0.2 })), { pointSelectsPerSec: 25_000, lockingTxPerSec: 4_000 });
    expect(row).toMatchObject({ ratioToLimit: 0.8, namenodeCpuMicrosPerOp: 31, machineIdleShare: 0.2, machineStealShare: 0.3125 });
    const lines = benchTableText([row]).split('\n');
    expect(lines[0]).toMatch(/NN CPU µs\/op\s+idle %\s+steal %$/);
    expect(lines[2]).toMatch(/\s31\s+20\s+31$/);
  });

  it("prints '-' where /proc/stat gave nothing", () => {
    const row = benchRow(measured(phase()), { pointSelectsPerSec: 25_000, lockingTxPerSec: 4_000 });
    expect(row).toMatchObject({ machineIdleShare: null, machineStealShare: null });
    expect(benchTableText([row]).split('\n')[2]).toMatch(/\s31\s+-\s+-$/);
  });
});
