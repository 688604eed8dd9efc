import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDatanodeKeyFile } from '../../cli/fleet/datanode-key-file';
import { makeCaller } from '../../namenode/security/caller';
import { runCli, type CliRun } from '../cli/cli-process';
import { eventually } from '../harness/eventually';
import { hdfs, stdoutOf } from '../harness/go-hdfs';
import { grpcurl, grpcurlJson } from '../harness/grpcurl';
import { namenodeFixture, type NamenodeFixture } from '../harness/namenode-fixture';

const BLOCK = 256 * 1024;

/**
 * Decommissioning end to end, with datanodes as real processes, files
 * written by the Go client and the operator's calls made with grpcurl: the
 * decommissioned datanode's blocks get their copies elsewhere, it is
 * reported Decommissioned only then, and after it is killed every file
 * reads back byte-exact and fsck finds the namespace healthy.
 */
describe('decommissioning a datanode over gRPC', () => {
  let nn: NamenodeFixture;
  let work: string;
  let grpc: string;
  const datanodes: { run: CliRun; uuid: string; xfer: string }[] = [];

  beforeAll(async () => {
    nn = await namenodeFixture('decom', { blockSize: BLOCK, minBlockSize: 0, replication: 2, heartbeatIntervalMs: 500, heartbeatExpiryMs: 4000, housekeepingIntervalMs: 300 }, { grpcPort: 0 });
    grpc = `127.0.0.1:${nn.namenode.grpcPort}`;
    work = mkdtempSync(join(tmpdir(), 'nndecom-'));
    const keyFile = join(work, 'datanode.key');
    writeDatanodeKeyFile(keyFile, nn.db.membershipSecret);
    for (let i = 0; i < 4; i++) {
      const run = runCli(['datanode', '--data-dir', join(work, `dn${i}`), '--namenodes', nn.address, '--host', '127.0.0.1', '--xfer-port', '0', '--heartbeat-interval-ms', '500', '--log-level', 'warn', '--datanode-key', keyFile]);
      const m = await run.waitFor(/^datanode listening xfer=(\S+) uuid=(\S+)$/m, 30_000);
      datanodes.push({ run, xfer: m[1] as string, uuid: m[2] as string });
    }
    await eventually('4 live datanodes', async () => ((await nn.namenode.namesystem.getFsStats()).liveDatanodes === 4 ? true : undefined));
  }, 90_000);

  afterAll(async () => {
    for (const d of datanodes) if (d.run.child.exitCode === null && d.run.child.signalCode === null) d.run.child.kill('SIGTERM');
    await Promise.all(datanodes.map((d) => d.run.exited));
    await nn?.close();
    rmSync(work, { recursive: true, force: true });
  });

  test('the node goes Decommissioned once its blocks have copies elsewhere; killed, nothing is lost', async () => {
    const ns = nn.namenode.namesystem;
    const caller = makeCaller(nn.superuser, [], ns.config);
    const su = nn.superuser;
    // Files at replication 2 and 3, several blocks each, and a small one.
    const files: { path: string; data: Buffer; replication: number }[] = [];
    for (let i = 0; i < 6; i++) files.push({ path: `/d/f${i}`, data: randomBytes(i === 0 ? 1000 : 3 * BLOCK + 17 * i), replication: i % 2 === 0 ? 2 : 3 });
    await stdoutOf(hdfs(nn.address, su, ['mkdir', '-p', '/d']));
    for (const f of files) {
      const local = join(work, f.path.replace(/\//g, '_'));
      writeFileSync(local, f.data);
      await stdoutOf(hdfs(nn.address, su, ['put', local, f.path]));
      if (f.replication !== 2) expect(await ns.setReplication(caller, f.path, f.replication)).toBe(true);
    }
    // Every block at its replication first, so the victim surely holds some.
    await eventually('every block at its replication', async () => {
      for (const f of files) {
        const lbs = await ns.getBlockLocations(caller, f.path, 0, f.data.length);
        if (!lbs.blocks.every((b) => b.locations.length === f.replication)) return undefined;
      }
      return true;
    }, 60_000);
    const held = await ns.getReplicasPerDatanode();
    const victim = [...datanodes].sort((a, b) => (held.get(b.uuid) ?? 0) - (held.get(a.uuid) ?? 0))[0] as (typeof datanodes)[number];
    const victimBlocks = held.get(victim.uuid) ?? 0;
    expect(victimBlocks).toBeGreaterThan(0);

    // Only the superuser may decommission.
    const denied = await grpcurl(grpc, ['nnfleet.admin.v1.Admin/Decommission'], { user: 'alice', data: { datanode: victim.xfer } });
    expect(denied.stderr).toMatch(/Code: PermissionDenied/);
    const started = Date.now();
    const answer = await grpcurlJson<{ state: string; uuid: string }>(grpc, ['nnfleet.admin.v1.Admin/Decommission'], { user: su, data: { datanode: victim.xfer } });
    expect(answer.uuid).toBe(victim.uuid);
    expect(['DATANODE_STATE_DECOMMISSIONING', 'DATANODE_STATE_DECOMMISSIONED']).toContain(answer.state);

    // While it retires, a new file's blocks are never placed on it.
    const fresh = join(work, 'fresh');
    const freshData = randomBytes(2 * BLOCK + 5);
    writeFileSync(fresh, freshData);
    await stdoutOf(hdfs(nn.address, su, ['put', fresh, '/d/fresh']));
    files.push({ path: '/d/fresh', data: freshData, replication: 2 });
    const freshBlocks = await ns.getBlockLocations(caller, '/d/fresh', 0, freshData.length);
    expect(freshBlocks.blocks.flatMap((b) => b.locations.map((l) => l.datanode.uuid))).not.toContain(victim.uuid);

    const done = await eventually('DECOMMISSIONED', async () => {
      const d = await grpcurlJson<{ state: string; replicas: string }>(grpc, ['nnfleet.admin.v1.Admin/GetDatanode'], { data: { datanode: victim.uuid } });
      return d.state === 'DATANODE_STATE_DECOMMISSIONED' ? d : undefined;
    }, 90_000, 500);
    process.stdout.write(`decommission of a datanode holding ${victimBlocks} replicas took ${Date.now() - started} ms\n`);
    // Decommissioned means: every block it holds has its replication on the other three.
    for (const f of files) {
      const lbs = await ns.getBlockLocations(caller, f.path, 0, f.data.length);
      for (const b of lbs.blocks) expect(b.locations.filter((l) => l.datanode.uuid !== victim.uuid).length).toBeGreaterThanOrEqual(f.replication);
    }
    expect(Number(done.replicas)).toBeGreaterThan(0);
    const listed = await grpcurlJson<{ datanodes: { uuid: string; state: string }[] }>(grpc, ['nnfleet.admin.v1.Admin/ListDatanodes']);
    expect(listed.datanodes.find((d) => d.uuid === victim.uuid)?.state).toBe('DATANODE_STATE_DECOMMISSIONED');

    victim.run.child.kill('SIGKILL');
    await victim.run.exited;
    for (const f of files) {
      const out = join(work, `${f.path.replace(/\//g, '_')}.back`);
      await stdoutOf(hdfs(nn.address, su, ['get', f.path, out]));
      expect(readFileSync(out).equals(f.data)).toBe(true);
    }
    const fsck = await grpcurl(grpc, ['nnfleet.admin.v1.Admin/Fsck'], { user: su, data: { path: '/' }, extra: ['-emit-defaults'] });
    expect(fsck.code).toBe(0);
    expect(fsck.stdout).toMatch(/"healthy": true/);
    expect(fsck.stdout).toMatch(/"missingBlocks": "0"/);
  }, 240_000);
});
