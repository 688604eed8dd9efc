import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { hdfs, type HdfsResult } from '../harness/go-hdfs';
import { execProcess as run } from '../harness/process-fixture';
import { CLI_MAIN, expectAllGone, isAlive, runCli, type CliRun } from './cli-process';
import { allPids, parseFleetOutput, xpathValues, type FleetOutput } from './fleet-output';

const USER = userInfo().username;
const START_MS = 60_000;
/** Text, so the Go client's stdout compares as a string; over one 64 KiB packet, under a block. */
const CONTENT = randomBytes(150_000).toString('base64');

/**
 * `nnfleet up` as a user runs it — two namenodes behind haproxy, three
 * datanodes, the private MariaDB — on ports 0, driven by the Go hdfs client.
 * The two tests share one data dir: the second starts the fleet again on
 * what the first left.
 */
describe('nnfleet up: the local fleet', () => {
  let dir: string;
  let up: CliRun | undefined;
  let fleet: FleetOutput | undefined;

  beforeAll(() => {
    // Short: the MariaDB socket path must fit in 107 bytes.
    dir = mkdtempSync(join(tmpdir(), 'nnup-'));
  });
  afterEach(async () => {
    if (up && up.child.exitCode === null && up.child.signalCode === null) {
      up.child.kill('SIGKILL');
      await up.exited;
      // The children die with `up` (parent-death signal, IPC channel); wait so the next test finds the ports and datadir free.
      if (fleet) await expectAllGone(allPids(fleet), 15_000);
    }
    up = undefined;
    fleet = undefined;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function startUp(): Promise<FleetOutput> {
    up = runCli(['up', '--data-dir', dir, '--rpc-port', '0', '--http-port', '0'], { NNFLEET_LOG_LEVEL: 'warn' });
    await up.waitFor(/^ready hdfs:/m, START_MS);
    fleet = parseFleetOutput(up.stdout());
    return fleet;
  }

  async function ok(namenode: string, args: string[]): Promise<HdfsResult> {
    const r = await hdfs(namenode, USER, args);
    if (r.code !== 0) throw new Error(`hdfs ${args.join(' ')} via ${namenode} failed (${r.code}): ${r.stderr}`);
    return r;
  }

  it(
    'serves the Go client through haproxy and through each namenode, writes client-config, and stops every process on SIGTERM',
    async () => {
      const f = await startUp();
      expect(up?.stdout()).toMatch(/^namespace created cluster=CID-/m);
      expect(up?.stdout()).toMatch(/^datanodes live 3\/3$/m);
      expect(f.namenodes.map((n) => n.name)).toEqual(['namenode-1', 'namenode-2']);
      expect(f.pids.datanodes).toHaveLength(3);
      expect(f.balancer).not.toMatch(/:0$/);

      const local = join(dir, 'upload.txt');
      writeFileSync(local, CONTENT);
      await ok(f.balancer, ['mkdir', '-p', '/data']);
      await ok(f.balancer, ['put', local, '/data/f']);
      expect((await ok(f.balancer, ['cat', '/data/f'])).stdout).toBe(CONTENT);
      for (const nn of f.namenodes) {
        expect((await ok(nn.rpc, ['ls', '/data'])).stdout).toBe('f\n');
        expect((await ok(nn.rpc, ['cat', '/data/f'])).stdout).toBe(CONTENT);
      }
      expect((await fetch(`${f.balancerHttp}/healthz`)).status).toBe(200);

      const out = join(dir, 'conf');
      await run(process.execPath, [CLI_MAIN, 'client-config', '--data-dir', dir, '--out', out]);
      expect(await xpathValues(join(out, 'core-site.xml'), "//property[name='fs.defaultFS']/value")).toEqual([`hdfs://${f.balancer}`]);
      const hdfsSite = join(out, 'hdfs-site.xml');
      expect(await xpathValues(hdfsSite, "//property[name='dfs.nameservices']/value")).toEqual(['nnfleet']);
      const ids = (await xpathValues(hdfsSite, "//property[name='dfs.ha.namenodes.nnfleet']/value"))[0]?.split(',') ?? [];
      expect(ids).toHaveLength(2);
      const rpcs = await Promise.all(ids.map(async (id) => (await xpathValues(hdfsSite, `//property[name='dfs.namenode.rpc-address.nnfleet.${id}']/value`))[0]));
      expect(rpcs.sort()).toEqual(f.namenodes.map((n) => n.rpc).sort());
      expect(await xpathValues(hdfsSite, "//property[name='dfs.client.failover.proxy.provider.nnfleet']/value")).toEqual([
        'org.apache.hadoop.hdfs.server.namenode.ha.ConfiguredFailoverProxyProvider',
      ]);
      expect(await xpathValues(join(out, 'core-site-failover.xml'), "//property[name='fs.defaultFS']/value")).toEqual(['hdfs://nnfleet']);
      // `up` wrote the same files for its own fleet.
      expect(await xpathValues(join(f.clientConfigDir, 'core-site.xml'), "//property[name='fs.defaultFS']/value")).toEqual([`hdfs://${f.balancer}`]);

      up?.child.kill('SIGTERM');
      expect(await up?.exited).toBe(0);
      await expectAllGone(allPids(f));
    },
    START_MS + 60_000,
  );

  it(
    'starts again on the same data, keeps serving through haproxy when a namenode is killed, and takes every child with it when killed',
    async () => {
      const f = await startUp();
      expect(up?.stdout()).toMatch(/^namespace found cluster=CID-/m);
      expect((await ok(f.balancer, ['cat', '/data/f'])).stdout).toBe(CONTENT);

      const [victim, survivor] = f.namenodes;
      if (!victim || !survivor) throw new Error('two namenodes expected');
      process.kill(victim.pid, 'SIGKILL');
      await up?.waitFor(/^namenode-1 lost \(killed by SIGKILL\); the fleet goes on with 1 namenode\(s\)$/m, 10_000);
      // haproxy marks it down within fall 2 × inter 1s; meanwhile a refused connection is redispatched.
      // A client retries a failed call once, as Hadoop's would.
      const until = Date.now() + 5000;
      for (let i = 0; Date.now() < until; i++) {
        const attempt = (): Promise<HdfsResult> => hdfs(f.balancer, USER, ['mkdir', '-p', `/after/${i}`]);
        const r = await attempt();
        expect((r.code === 0 ? r : await attempt()).code).toBe(0);
      }
      expect((await ok(f.balancer, ['cat', '/data/f'])).stdout).toBe(CONTENT);
      const local = join(dir, 'again.txt');
      writeFileSync(local, 'written after the loss\n');
      await ok(f.balancer, ['put', local, '/data/g']);
      expect((await ok(survivor.rpc, ['cat', '/data/g'])).stdout).toBe('written after the loss\n');
      expect(isAlive(up?.child.pid ?? -1)).toBe(true);

      // Killed outright, `up` cannot stop anyone: its children go by the parent-death signal.
      up?.child.kill('SIGKILL');
      await up?.exited;
      await expectAllGone(allPids(f).filter((pid) => pid !== victim.pid), 30_000);
    },
    START_MS + 60_000,
  );
});
