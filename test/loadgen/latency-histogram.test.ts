import { LatencyHistogram } from '../../loadgen/latency-histogram';
import { PhaseRecorder } from '../../loadgen/phase-recorder';
import { SeededRandom } from '../../loadgen/seeded-random';
import { until } from '../harness/eventually';

describe('LatencyHistogram', () => {
  it('gives exact percentiles of 1..100000 µs within HDR precision', () => {
    const h = new LatencyHistogram();
    // A shuffled uniform distribution: the p-th percentile is p × 1000 µs.
    const rng = new SeededRandom(5);
    const values = Array.from({ length: 100_000 }, (_, i) => i + 1);
    for (let i = values.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [values[i], values[j]] = [values[j] as number, values[i] as number];
    }
    for (const v of values) h.recordMicros(v);
    expect(h.count).toBe(100_000);
    for (const p of [10, 50, 90, 99, 99.9]) {
      const expectedMs = p; // p × 100000 / 100 µs = p ms
      expect(Math.abs(h.percentileMs(p) - expectedMs) / expectedMs).toBeLessThan(0.001);
    }
    const s = h.summary();
    expect(s.maxMs).toBeCloseTo(100, 0);
    expect(s.meanMs).toBeCloseTo(50, 0);
  });

  it('matches an exponential distribution\'s analytic quantiles', () => {
    const h = new LatencyHistogram();
    const rng = new SeededRandom(11);
    const meanMicros = 2000;
    for (let i = 0; i < 200_000; i++) h.recordMicros(-Math.log(1 - rng.next()) * meanMicros);
    for (const p of [50, 90, 99]) {
      const exactMs = (-Math.log(1 - p / 100) * meanMicros) / 1000;
      expect(Math.abs(h.percentileMs(p) - exactMs) / exactMs).toBeLessThan(0.03);
    }
  });

  it('summarises nothing as zeros', () => {
    expect(new LatencyHistogram().summary().p99Ms).toBe(0);
  });
});

describe('PhaseRecorder', () => {
  it('counts successes and errors by class, with a timeline covering the phase', async () => {
    const r = new PhaseRecorder('t', 2, 50);
    const t0 = performance.now();
    r.recordSuccess('a', t0);
    r.recordError('a', 'java.io.FileNotFoundException');
    r.recordError('a', 'java.io.FileNotFoundException');
    await until('the phase to reach its third interval', () => r.snapshot().elapsedMs >= 100, 5000, 5);
    r.recordSuccess('b', performance.now());
    const res = r.finish({ getFileInfo: 3 });
    expect(res.totalOps).toBe(2);
    expect(res.totalErrors).toBe(2);
    const a = res.ops.find((o) => o.op === 'a');
    expect(a?.errorsByClass).toEqual({ 'java.io.FileNotFoundException': 2 });
    expect(res.timeline.series['a']?.reduce((x, y) => x + y, 0)).toBe(1);
    expect(res.timeline.series['b']?.reduce((x, y) => x + y, 0)).toBe(1);
    expect(res.timeline.series['a']?.length).toBe(res.timeline.series['b']?.length);
    // Each success in the interval it happened in.
    expect(res.timeline.series['a']?.[0]).toBe(1);
    expect(res.timeline.series['b']?.findIndex((n) => n > 0)).toBeGreaterThanOrEqual(2);
    expect(res.rpcCalls).toEqual({ getFileInfo: 3 });
  });
});
