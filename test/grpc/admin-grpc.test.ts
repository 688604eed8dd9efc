import { connect } from 'node:net';
import { userInfo } from 'node:os';
import pino from 'pino';
import { startNamenode, type RunningNamenode } from '../../namenode/namenode-process';
import { eventually } from '../harness/eventually';
import { grpcurl, grpcurlJson } from '../harness/grpcurl';
import { tcpForwarder, type TcpForwarder } from '../harness/tcp-forwarder';
import { createTestDatabase, type TestDatabase } from '../harness/test-database';

const MAX_MESSAGE = 64 * 1024;

/**
 * A namenode's gRPC port seen by grpcurl, a client sharing no code with
 * nnfleet: services listed through reflection, Admin calls under the
 * superuser rule, health that follows the database (reached through a TCP
 * hop the test cuts), and hostile input costing one call or connection.
 */
describe('the gRPC port with grpcurl', () => {
  let db: TestDatabase;
  let hop: TcpForwarder;
  let nn: RunningNamenode;
  let address: string;
  const superuser = userInfo().username;

  beforeAll(async () => {
    db = await createTestDatabase('grpcadmin');
    hop = await tcpForwarder(db.config.host, db.config.port);
    nn = await startNamenode({
      mysql: { ...db.config, host: '127.0.0.1', port: hop.port },
      host: '127.0.0.1',
      rpcPort: 0,
      httpPort: 0,
      grpcPort: 0,
      grpcLimits: { maxReceiveMessageBytes: MAX_MESSAGE },
      config: { superuser, housekeepingIntervalMs: 300 },
      groupOverrides: 'alice=staff',
      logger: pino({ level: process.env['NNFLEET_LOG_LEVEL'] ?? 'silent' }),
    });
    address = `127.0.0.1:${nn.grpcPort}`;
  }, 60_000);

  afterAll(async () => {
    await nn?.stop();
    await hop?.close();
    await db?.drop();
  });

  test('reflection lists the admin, health and reflection services and describes Admin', async () => {
    const list = await grpcurl(address, ['list']);
    expect(list.code).toBe(0);
    const services = list.stdout.trim().split('\n');
    expect(services).toEqual(expect.arrayContaining(['nnfleet.admin.v1.Admin', 'grpc.health.v1.Health']));
    const described = await grpcurl(address, ['describe', 'nnfleet.admin.v1.Admin']);
    expect(described.code).toBe(0);
    for (const rpc of ['FleetStatus', 'ListDatanodes', 'GetDatanode', 'Decommission', 'Recommission', 'Fsck', 'GetSafeMode', 'SetSafeMode', 'HandOverLeadership']) {
      expect(described.stdout).toContain(`rpc ${rpc} (`);
    }
    expect(described.stdout).toContain('returns ( stream .nnfleet.admin.v1.FsckEvent )');
  });

  test('the same port serves the Namespace service: listed, Mkdirs and Stat as the caller, a denied write answers PermissionDenied', async () => {
    const list = await grpcurl(address, ['list']);
    expect(list.stdout.trim().split('\n')).toContain('nnfleet.namespace.v1.Namespace');
    const made = await grpcurl(address, ['nnfleet.namespace.v1.Namespace/Mkdirs'], { user: superuser, data: { path: '/grpc-ns/a', permission: 0o755, createParent: true } });
    expect(made.code).toBe(0);
    const stat = await grpcurlJson<{ status?: { path?: string; owner?: string; type?: string } }>(address, ['nnfleet.namespace.v1.Namespace/Stat'], { user: superuser, data: { path: '/grpc-ns/a' } });
    process.stdout.write(`Stat over the namenode's gRPC port: ${JSON.stringify(stat)}\n`);
    expect(JSON.stringify(stat)).toContain(superuser);
    const denied = await grpcurl(address, ['nnfleet.namespace.v1.Namespace/Mkdirs'], { user: 'alice', data: { path: '/grpc-ns/a/b', permission: 0o755 } });
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toContain('PermissionDenied');
  });

  test('FleetStatus: this namenode leads, the database answers, no Redis, the schema version', async () => {
    const s = await grpcurlJson<Record<string, unknown>>(address, ['nnfleet.admin.v1.Admin/FleetStatus']);
    process.stdout.write(`FleetStatus: ${JSON.stringify(s)}\n`);
    expect(s['database']).toBe('REACHABILITY_REACHABLE');
    expect(s['redis']).toBe('REACHABILITY_NOT_CONFIGURED');
    expect(Number(s['schemaVersion'])).toBeGreaterThanOrEqual(11);
    expect(s['leaderId']).toBe(String(nn.election.id));
    expect(s['selfId']).toBe(String(nn.election.id));
    expect(s['namenodes']).toEqual([expect.objectContaining({ id: String(nn.election.id), leader: true })]);
    expect(s['safeMode']).toBe(false);
  });

  test('safe mode: anyone reads it, only the superuser changes it (PermissionDenied with the Hadoop class)', async () => {
    const denied = await grpcurl(address, ['nnfleet.admin.v1.Admin/SetSafeMode'], { user: 'alice', data: { action: 'SAFE_MODE_ACTION_ENTER' }, extra: ['-v'] });
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toMatch(/Code: PermissionDenied/);
    expect(`${denied.stdout}${denied.stderr}`).toMatch(/x-hadoop-exception-class: org\.apache\.hadoop\.security\.AccessControlException/);
    expect(await grpcurlJson(address, ['nnfleet.admin.v1.Admin/SetSafeMode'], { user: superuser, data: { action: 'SAFE_MODE_ACTION_ENTER' } })).toEqual({ on: true });
    expect(await grpcurlJson(address, ['nnfleet.admin.v1.Admin/GetSafeMode'], { user: 'alice' })).toEqual({ on: true });
    expect(await grpcurlJson(address, ['nnfleet.admin.v1.Admin/SetSafeMode'], { user: superuser, data: { action: 'SAFE_MODE_ACTION_LEAVE' } })).toEqual({ on: false });
  });

  test('datanodes: an unknown one is NotFound; decommissioning needs the superuser', async () => {
    const unknown = await grpcurl(address, ['nnfleet.admin.v1.Admin/Decommission'], { user: superuser, data: { datanode: '10.9.9.9:9866' } });
    expect(unknown.stderr).toMatch(/Code: NotFound/);
    const denied = await grpcurl(address, ['nnfleet.admin.v1.Admin/Decommission'], { user: 'alice', data: { datanode: '10.9.9.9:9866' } });
    expect(denied.stderr).toMatch(/Code: PermissionDenied/);
    expect(await grpcurlJson(address, ['nnfleet.admin.v1.Admin/ListDatanodes'])).toEqual({ datanodes: [] });
  });

  test('fsck streams the summary; the superuser gets the namespace invariants checked', async () => {
    const su = await grpcurl(address, ['nnfleet.admin.v1.Admin/Fsck'], { user: superuser, data: { path: '/' }, extra: ['-emit-defaults'] });
    expect(su.code).toBe(0);
    expect(su.stdout).toMatch(/"healthy": true/);
    expect(su.stdout).toMatch(/"invariantsChecked": true/);
    const other = await grpcurl(address, ['nnfleet.admin.v1.Admin/Fsck'], { user: 'alice', data: { path: '/' }, extra: ['-emit-defaults'] });
    expect(other.stdout).toMatch(/"invariantsChecked": false/);
    const missing = await grpcurl(address, ['nnfleet.admin.v1.Admin/Fsck'], { user: superuser, data: { path: '/nope' } });
    expect(missing.stderr).toMatch(/Code: NotFound/);
  });

  test('an oversized message fails its call; garbage on the port closes that connection; the server serves on', async () => {
    const big = await grpcurl(address, ['nnfleet.admin.v1.Admin/Fsck'], { user: superuser, data: { path: `/${'x'.repeat(2 * MAX_MESSAGE)}` } });
    expect(big.stderr).toMatch(/Code: ResourceExhausted/);
    const closed = await new Promise<string>((resolve) => {
      const sock = connect(nn.grpcPort as number, '127.0.0.1', () => sock.write(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'.repeat(4) + '\u0000\u00ff'.repeat(4096), 'latin1')));
      sock.on('error', () => undefined);
      sock.on('data', () => undefined);
      sock.setTimeout(10_000, () => resolve('timeout'));
      sock.on('close', () => resolve('closed'));
    });
    expect(closed).toBe('closed');
    const s = await grpcurlJson<Record<string, unknown>>(address, ['nnfleet.admin.v1.Admin/FleetStatus']);
    expect(s['database']).toBe('REACHABILITY_REACHABLE');
  });

  test('health: SERVING, NOT_SERVING while the database is unreachable, SERVING again', async () => {
    const check = async (service = '') => {
      const r = await grpcurl(address, ['grpc.health.v1.Health/Check'], { data: { service } });
      return `${r.stdout}${r.stderr}`;
    };
    // A database check slower than its 2 s timeout on a loaded machine reads NOT_SERVING for a moment (as it should): wait for SERVING first.
    await eventually('SERVING before the cut', async () => (/"status": "SERVING"/.test(await check()) ? true : undefined), 30_000, 250);
    await eventually('Admin SERVING before the cut', async () => (/"status": "SERVING"/.test(await check('nnfleet.admin.v1.Admin')) ? true : undefined), 30_000, 250);
    const cutAt = Date.now();
    await hop.cut();
    await eventually('NOT_SERVING', async () => ((await check()).includes('NOT_SERVING') ? true : undefined), 30_000, 250);
    process.stdout.write(`health: NOT_SERVING ${Date.now() - cutAt} ms after the database was cut off\n`);
    expect(await check('nnfleet.admin.v1.Admin')).toMatch(/"status": "NOT_SERVING"/);
    await hop.restore();
    await eventually('SERVING again', async () => (/"status": "SERVING"/.test(await check()) ? true : undefined), 30_000, 250);
  }, 90_000);
});
