import { Histogram, Registry, type Metric } from 'prom-client';
import { CallHistogram } from '../../../namenode/http/call-histogram';
import { NamenodeMetrics } from '../../../namenode/http/metrics';

const BOUNDS = [0.001, 0.01, 0.1, 1];
const CALLS: [string, 'ok' | 'error', number][] = [
  ['getFileInfo', 'ok', 0.0004],
  ['getFileInfo', 'ok', 0.001],
  ['getFileInfo', 'ok', 0.05],
  ['mkdirs', 'error', 2.5],
  ['getFileInfo', 'error', 0.002],
  ['mkdirs', 'ok', 0.1],
];

/** The same calls through prom-client's own Histogram and through CallHistogram, each in a registry of its own. */
function bothRegistries(): { theirs: Registry; ours: Registry } {
  const theirs = new Registry();
  const h = new Histogram({ name: 'x_seconds', help: 'h', labelNames: ['method', 'outcome'], buckets: BOUNDS, registers: [theirs] });
  const ours = new Registry();
  const c = new CallHistogram('x_seconds', 'h', BOUNDS);
  ours.registerMetric(c as unknown as Metric);
  for (const [method, outcome, s] of CALLS) {
    h.observe({ method, outcome }, s);
    c.observe(method, outcome, s);
  }
  return { theirs, ours };
}

describe('CallHistogram', () => {
  it('prints exactly what prom-client’s Histogram prints for the same calls', async () => {
    const { theirs, ours } = bothRegistries();
    const text = await ours.metrics();
    expect(text).toContain('x_seconds_bucket{le="0.001",method="getFileInfo",outcome="ok"} 2');
    expect(text).toContain('x_seconds_bucket{le="+Inf",method="mkdirs",outcome="error"} 1');
    expect(text).toBe(await theirs.metrics());
  });

  it('answers the registry’s JSON as prom-client does', async () => {
    const { theirs, ours } = bothRegistries();
    expect(await ours.getMetricsAsJSON()).toEqual(await theirs.getMetricsAsJSON());
  });

  it('ignores a duration that is not a finite number', async () => {
    const c = new CallHistogram('y_seconds', 'h', BOUNDS);
    c.observe('mkdirs', 'ok', Number.NaN);
    expect(c.series()).toEqual([]);
  });

  it('gives the web UI each method’s count and seconds by outcome', async () => {
    const m = new NamenodeMetrics();
    m.observeCall('mkdirs', 'ok', 0.5);
    m.observeCall('mkdirs', 'ok', 0.25);
    m.observeCall('mkdirs', 'error', 1);
    expect(await m.callTotals()).toEqual([
      { method: 'mkdirs', outcome: 'ok', count: 2, seconds: 0.75 },
      { method: 'mkdirs', outcome: 'error', count: 1, seconds: 1 },
    ]);
  });
});
