import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderHaproxyConfig } from '../../cli/local/haproxy-config';
import { execProcess as run } from '../harness/process-fixture';


describe('haproxy configuration', () => {
  const cfg = renderHaproxyConfig({
    host: '127.0.0.1',
    rpcPort: 8020,
    httpPort: 9870,
    grpcPort: 8030,
    namenodes: [
      { name: 'namenode-1', host: '127.0.0.1', rpcPort: 8120, httpPort: 9970, grpcPort: 8130 },
      { name: 'namenode-2', host: '127.0.0.1', rpcPort: 8121, httpPort: 9971, grpcPort: 8131 },
    ],
  });

  it('health-checks the IPC servers through their /healthz and balances by least connections', () => {
    expect(cfg).toContain('default-server inter 1s fall 2 rise 2');
    expect(cfg).toMatch(/backend namenodes_ipc\n {2}balance leastconn\n {2}option httpchk GET \/healthz\n/);
    expect(cfg).toContain('server namenode-2 127.0.0.1:8121 check port 9971');
    expect(cfg).toContain('server namenode-1 127.0.0.1:9970 check');
  });

  it('passes gRPC through as TCP, each namenode checked through its /healthz', () => {
    expect(cfg).toMatch(/frontend namenode_grpc\n {2}bind 127\.0\.0\.1:8030\n {2}default_backend namenodes_grpc\n/);
    expect(cfg).toMatch(/backend namenodes_grpc\n {2}balance leastconn\n {2}option httpchk GET \/healthz\n/);
    expect(cfg).toContain('server namenode-2 127.0.0.1:8131 check port 9971');
  });

  it('has no gRPC frontend when none is asked for', () => {
    expect(renderHaproxyConfig({ host: '127.0.0.1', rpcPort: 1, httpPort: 2, namenodes: [] })).not.toContain('grpc');
  });

  it('is accepted by haproxy -c', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nnhap-'));
    try {
      writeFileSync(join(dir, 'haproxy.cfg'), cfg);
      await expect(run('haproxy', ['-c', '-f', join(dir, 'haproxy.cfg')])).resolves.toBeDefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
