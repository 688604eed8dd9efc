import pino from 'pino';
import { HealthProbe } from '../../namenode/http/health-probe';
import { startHttpServer, type RunningHttpServer } from '../../namenode/http/http-server';
import { NamenodeMetrics } from '../../namenode/http/metrics';

const logger = pino({ level: 'silent' });

/** Each test has its own server, probe and metrics: any one passes alone or in any order. */
describe('namenode http server', () => {
  let healthy: () => Promise<void>;
  let metrics: NamenodeMetrics;
  let server: RunningHttpServer;
  let base: string;
  let probe: HealthProbe;
  let checks: number;

  beforeEach(async () => {
    healthy = async () => {};
    checks = 0;
    metrics = new NamenodeMetrics();
    // Checked only when the test says so (checkNow): the interval is long.
    probe = new HealthProbe(
      () => {
        checks++;
        return healthy();
      },
      { intervalMs: 60_000, timeoutMs: 300, logger },
    );
    server = await startHttpServer({ host: '127.0.0.1', port: 0, logger, metrics, health: probe });
    base = `http://127.0.0.1:${server.port}`;
  });
  afterEach(() => server.close());

  it('answers /healthz with 503 before any check has finished', async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(503);
    expect(await res.text()).toBe('unhealthy: no database check has finished yet\n');
  });

  it('answers /healthz with 200 ok while the database is reachable, without checking per request', async () => {
    await probe.checkNow();
    const before = checks;
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`${base}/healthz`);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('ok\n');
    }
    expect(checks).toBe(before);
  });

  it('answers /healthz with 503 when the check rejects, without echoing the database error', async () => {
    healthy = () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:3306'));
    await probe.checkNow();
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(503);
    const text = await res.text();
    expect(text).toBe('unhealthy: database unreachable\n');
    expect(text).not.toContain('ECONNREFUSED');
  });

  it('answers /healthz with 503 when the check hangs', async () => {
    healthy = () => new Promise(() => {});
    await probe.checkNow();
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('did not answer within 300 ms');
  });

  it('serves observed calls and gauges as Prometheus text on /metrics', async () => {
    metrics.observeCall('mkdirs', 'ok', 0.003);
    metrics.observeCall('getFileInfo', 'error', 0.001);
    metrics.addGauge('nnfleet_test_cache_entries', 'entries in a cache', () => 42);
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toContain('nnfleet_rpc_duration_seconds_count{method="mkdirs",outcome="ok"} 1');
    expect(text).toContain('nnfleet_rpc_duration_seconds_count{method="getFileInfo",outcome="error"} 1');
    expect(text).toContain('nnfleet_test_cache_entries 42');
    expect(text).toContain('nnfleet_process_cpu_seconds_total');
  });

  it('answers 404 for unknown paths and 405 for a known path with another method', async () => {
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    const res = await fetch(`${base}/healthz`, { method: 'POST' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET');
  });

  it('keeps two namenodes in one process apart', async () => {
    const other = new NamenodeMetrics();
    metrics.observeCall('mkdirs', 'ok', 0.003);
    other.observeCall('delete', 'ok', 0.01);
    const mine = await metrics.registry.metrics();
    const theirs = await other.registry.metrics();
    expect(mine).toContain('nnfleet_rpc_duration_seconds_count{method="mkdirs",outcome="ok"} 1');
    expect(mine).not.toContain('method="delete"');
    expect(theirs).toContain('nnfleet_rpc_duration_seconds_count{method="delete",outcome="ok"} 1');
    expect(theirs).not.toContain('method="mkdirs"');
  });
});
