import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../cli/cli-process';
import { readFleetState } from '../../cli/fleet/fleet-state';
import { eventually } from '../harness/eventually';
import { grpcurlJson } from '../harness/grpcurl';
import { upFleet, type UpFleet } from '../harness/up-fleet';

/** `nnfleet admin ARGS` against the fleet under `dir`: its exit code and output. */
async function admin(dir: string, args: readonly string[]): Promise<{ code: number | NodeJS.Signals; stdout: string; stderr: string }> {
  const run = runCli(['admin', '--data-dir', dir, ...args]);
  return { code: await run.exited, stdout: run.stdout(), stderr: run.stderr() };
}

/**
 * `nnfleet admin` against a fleet started by `nnfleet up`: it finds the
 * balancer's gRPC frontend in fleet.json, and every namenode serves gRPC
 * behind it on a port of its own.
 */
describe('nnfleet admin against a running fleet', () => {
  let up: UpFleet;

  beforeAll(async () => {
    up = await upFleet('nnadmin', { namenodes: 2, datanodes: 3 });
  }, 120_000);

  afterAll(async () => {
    await up?.stop();
  }, 60_000);

  test('every namenode and the balancer serve gRPC; fleet.json names them', async () => {
    const state = readFleetState(up.dir);
    expect(state.balancer.grpc).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(state.namenodes.map((n) => n.grpc)).toEqual([expect.stringMatching(/^127\.0\.0\.1:\d+$/), expect.stringMatching(/^127\.0\.0\.1:\d+$/)]);
    expect(readFileSync(join(up.dir, 'haproxy', 'haproxy.cfg'), 'utf8')).toContain('frontend namenode_grpc');
    for (const address of [state.balancer.grpc as string, ...state.namenodes.map((n) => n.grpc as string)]) {
      const s = await grpcurlJson<{ namenodes: unknown[] }>(address, ['nnfleet.admin.v1.Admin/FleetStatus']);
      expect(s.namenodes).toHaveLength(2);
    }
  });

  test('report, namenodes, datanodes and safemode, in text and --json', async () => {
    const report = await admin(up.dir, ['report']);
    expect(report).toMatchObject({ code: 0, stderr: '' });
    expect(report.stdout).toMatch(/^Namenodes: 2 \(leader \d+, answered by \d+\)$/m);
    // `nnfleet up` starts a private redis-server for the metadata cache: each namenode holds its cache lease through it.
    expect(report.stdout).toMatch(/^Database: reachable {2}Redis: reachable {2}Schema version: \d+$/m);
    expect(report.stdout).toMatch(/^Live datanodes \(3\):$/m);
    const namenodes = JSON.parse((await admin(up.dir, ['--json', 'namenodes'])).stdout) as { leader: boolean }[];
    expect(namenodes.map((n) => n.leader)).toEqual([true, false]);
    const datanodes = JSON.parse((await admin(up.dir, ['--json', 'datanodes'])).stdout) as { state: string; live: boolean }[];
    expect(datanodes).toHaveLength(3);
    expect(datanodes.every((d) => d.live && d.state === 'DATANODE_STATE_NORMAL')).toBe(true);
    expect((await admin(up.dir, ['safemode', 'enter'])).stdout).toBe('Safe mode is ON\n');
    expect((await admin(up.dir, ['safemode', 'get'])).stdout).toBe('Safe mode is ON\n');
    const denied = await admin(up.dir, ['--user', 'mallory', 'safemode', 'leave']);
    expect(denied.code).toBe(2);
    expect(denied.stderr).toMatch(/^nnfleet admin: org\.apache\.hadoop\.security\.AccessControlException: Access denied for user mallory/);
    expect((await admin(up.dir, ['safemode', 'leave'])).stdout).toBe('Safe mode is OFF\n');
  });

  test('decommission and recommission a datanode by HOST:PORT; fsck', async () => {
    const [first] = JSON.parse((await admin(up.dir, ['--json', 'datanodes'])).stdout) as { ipAddr: string; xferPort: number; uuid: string }[];
    if (!first) throw new Error('no datanode');
    const name = `${first.ipAddr}:${first.xferPort}`;
    const decom = await admin(up.dir, ['decommission', name]);
    expect(decom.code).toBe(0);
    expect(decom.stdout).toMatch(new RegExp(`^${name} ${first.uuid} decommission(ing|ed)\\n$`));
    // An empty namespace: nothing to copy, so it is decommissioned at the leader's next round.
    await eventually('decommissioned', async () => ((await admin(up.dir, ['datanodes'])).stdout.includes(`${first.uuid}\tdecommissioned`) ? true : undefined), 30_000, 500);
    const recom = await admin(up.dir, ['--json', 'recommission', first.uuid]);
    expect(JSON.parse(recom.stdout)).toMatchObject({ uuid: first.uuid, state: 'DATANODE_STATE_NORMAL' });
    const fsck = await admin(up.dir, ['fsck', '/']);
    expect(fsck).toMatchObject({ code: 0, stderr: '' });
    expect(fsck.stdout).toMatch(/The filesystem under path '\/' is HEALTHY\n/);
    const missing = await admin(up.dir, ['fsck', '/nope']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/java\.io\.FileNotFoundException/);
  });
});
