import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatanodeState } from '../../namenode/domain/datanode-info';
import { makeCaller } from '../../namenode/security/caller';
import { renderClientConfig, writeConfigFiles } from '../../cli/fleet/client-config';
import { DatanodeProcesses, type DatanodeProcess } from '../harness/datanode-process';
import { eventually } from '../harness/eventually';
import { hdfs, stdoutOf } from '../harness/go-hdfs';
import { dfsAdmin, type JavaRunOptions } from '../harness/java-hadoop';
import { namenodeFixture, type NamenodeFixture } from '../harness/namenode-fixture';

const BLOCK = 256 * 1024;

/** The "Decommission Status" `hdfs dfsadmin -report` prints for the datanode on transfer port `xferPort`. */
function reportedStatus(report: string, xferPort: number): string | undefined {
  const entry = report.split(/^Name: /m).find((e) => e.startsWith(`127.0.0.1:${xferPort} `));
  return entry?.match(/^Decommission Status : (.+)$/m)?.[1];
}

/**
 * HDFS's way to decommission, through the IPC front door: the Java
 * client's `hdfs dfsadmin -refreshNodes` makes the namenode re-read its
 * hosts exclude file (-D hostsExcludeFile, dfs.hosts.exclude). With real
 * datanode processes: the listed one goes "Decommission in progress" then
 * "Decommissioned" in `hdfs dfsadmin -report`, and once it is out of the
 * file another refresh puts it back in service. Only the superuser may refresh.
 */
describe('hdfs dfsadmin -refreshNodes with a hosts exclude file', () => {
  let nn: NamenodeFixture;
  let work: string;
  let excludeFile: string;
  let datanodes: DatanodeProcesses;
  const started: DatanodeProcess[] = [];
  let as: JavaRunOptions;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'nnrefresh-'));
    excludeFile = join(work, 'dfs.exclude');
    writeFileSync(excludeFile, '# no datanode is excluded yet\n');
    nn = await namenodeFixture('refresh', { blockSize: BLOCK, minBlockSize: 0, replication: 2, heartbeatIntervalMs: 500, heartbeatExpiryMs: 30_000, housekeepingIntervalMs: 300, hostsExcludeFile: excludeFile });
    datanodes = new DatanodeProcesses(work, nn.address, nn.db.membershipSecret);
    for (let i = 0; i < 3; i++) started.push(await datanodes.start(`dn${i}`));
    await eventually('3 live datanodes', async () => ((await nn.namenode.namesystem.getFsStats()).liveDatanodes === 3 ? true : undefined));
    const confDir = join(work, 'conf');
    writeConfigFiles(confDir, renderClientConfig({ nameservice: 'nnfleet', namenodes: [{ id: 'nn1', rpc: nn.address, http: `127.0.0.1:${nn.namenode.httpPort}` }] }));
    as = { confDir, user: nn.superuser };
  }, 90_000);

  afterAll(async () => {
    await datanodes?.stopAll();
    await nn?.close();
    rmSync(work, { recursive: true, force: true });
  });

  test('a listed datanode is decommissioned, an unlisted one recommissioned; bob is refused', async () => {
    const su = nn.superuser;
    await stdoutOf(hdfs(nn.address, su, ['mkdir', '-p', '/r']));
    for (let i = 0; i < 3; i++) {
      const local = join(work, `f${i}`);
      writeFileSync(local, randomBytes(2 * BLOCK + 100 * i));
      await stdoutOf(hdfs(nn.address, su, ['put', local, `/r/f${i}`]));
    }
    const held = await nn.namenode.namesystem.getReplicasPerDatanode();
    const victim = [...started].sort((a, b) => (held.get(b.uuid) ?? 0) - (held.get(a.uuid) ?? 0))[0] as DatanodeProcess;
    expect(held.get(victim.uuid) ?? 0).toBeGreaterThan(0);
    const others = started.filter((d) => d !== victim);

    // Listed by HOST:PORT among a comment and an entry that names no datanode.
    writeFileSync(excludeFile, `# retire one datanode\n127.0.0.1:${victim.xferPort}   10.255.0.9 # not registered\n`);
    const denied = await dfsAdmin(['-refreshNodes'], { ...as, user: 'bob' });
    expect(denied.code).not.toBe(0);
    // DFSAdmin prints the first line of the RemoteException's message (AccessControlException's, from requireSuperuser).
    expect(denied.stderr).toContain('refreshNodes: Access denied for user bob. Superuser privilege is required');
    expect((await nn.namenode.namesystem.getDatanode(victim.uuid)).state).toBe(DatanodeState.Normal);

    // The other two are frozen (SIGSTOP, well within the heartbeat expiry) so that no copy can be
    // made yet: the victim is surely seen retiring before it is retired.
    for (const d of others) d.run.child.kill('SIGSTOP');
    let first: string;
    const startedAt = Date.now();
    try {
      const refresh = await dfsAdmin(['-refreshNodes'], as);
      expect(refresh.code).toBe(0);
      expect(refresh.stdout).toContain('Refresh nodes successful');
      first = (await dfsAdmin(['-report'], as)).stdout;
    } finally {
      for (const d of others) d.run.child.kill('SIGCONT');
    }
    expect(reportedStatus(first, victim.xferPort)).toBe('Decommission in progress');
    for (const d of others) expect(reportedStatus(first, d.xferPort)).toBe('Normal');

    const seen: string[] = [reportedStatus(first, victim.xferPort) as string];
    await eventually('Decommissioned in dfsadmin -report', async () => {
      const status = reportedStatus((await dfsAdmin(['-report'], as)).stdout, victim.xferPort);
      if (status !== undefined && seen.at(-1) !== status) seen.push(status);
      return status === 'Decommissioned' ? true : undefined;
    }, 90_000, 500);
    process.stdout.write(`refreshNodes: decommission took ${Date.now() - startedAt} ms, -report showed ${seen.join(' → ')}\n`);

    // Out of the file (empty now), the next refresh puts it back in service.
    writeFileSync(excludeFile, '');
    expect((await dfsAdmin(['-refreshNodes'], as)).code).toBe(0);
    const after = (await dfsAdmin(['-report'], as)).stdout;
    for (const d of started) expect(reportedStatus(after, d.xferPort)).toBe('Normal');
  }, 240_000);

  test('a namenode without a hosts exclude file refuses refreshNodes rather than recommission everything', async () => {
    const other = await nn.another({ hostsExcludeFile: '' });
    const confDir = join(work, 'conf-other');
    writeConfigFiles(confDir, renderClientConfig({ nameservice: 'nnfleet', namenodes: [{ id: 'nn1', rpc: `127.0.0.1:${other.rpcPort}`, http: `127.0.0.1:${other.httpPort}` }] }));
    const victim = started[0] as DatanodeProcess;
    await nn.namenode.namesystem.decommissionDatanode(makeCaller(nn.superuser, [], nn.namenode.namesystem.config), victim.uuid);
    const refused = await dfsAdmin(['-refreshNodes'], { ...as, confDir });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('refreshNodes: this namenode has no hosts exclude file');
    expect((await nn.namenode.namesystem.getDatanode(victim.uuid)).state).not.toBe(DatanodeState.Normal);
  }, 120_000);
});
