import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
 * Each test has its own data dir, so each passes alone.
 */
describe('nnfleet up: the local fleet', () => {
  const dirs: string[] = [];
  let up: CliRun | undefined;
  let fleet: FleetOutput | undefined;

  afterEach(async () => {
    if (up && up.child.exitCode === null && up.child.signalCode === null) {
      up.child.kill('SIGKILL');
      await up.exited;
      // The children die with `up` (parent-death signal, IPC channel).
      if (fleet) await expectAllGone(allPids(fleet), 15_000);
    }
    up = undefined;
    fleet = undefined;
  });
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  function freshDir(): string {
    // Short: the MariaDB socket path must fit in 107 bytes.
    const dir = mkdtempSync(join(tmpdir(), 'nnup-'));
    dirs.push(dir);
    return dir;
  }

  async function startUp(dir: string): Promise<FleetOutput> {
    up = runCli(['up', '--data-dir', dir, '--rpc-port', '0', '--http-port', '0'], { NNFLEET_LOG_LEVEL: 'warn' });
    await up.waitFor(/^ready hdfs:/m, START_MS);
    fleet = parseFleetOutput(up.stdout());
    return fleet;
  }

  /** SIGTERM: `up` stops every process it started and exits 0. */
  async function stopUp(f: FleetOutput): Promise<void> {
    up?.child.kill('SIGTERM');
    expect(await up?.exited).toBe(0);
    await expectAllGone(allPids(f));
  }

  /** The cluster id `up` printed when it created or found the namespace. */
  function clusterId(what: 'created' | 'found'): string | undefined {
    return up?.stdout().match(new RegExp(`^namespace ${what} cluster=(CID-\\S+) `, 'm'))?.[1];
  }

  async function ok(namenode: string, args: string[]): Promise<HdfsResult> {
    const r = await hdfs(namenode, USER, args);
    if (r.code !== 0) throw new Error(`hdfs ${args.join(' ')} via ${namenode} failed (${r.code}): ${r.stderr}`);
    return r;
  }

  it(
    'serves the Go client through haproxy and through each namenode, writes client-config, and stops every process on SIGTERM',
    async () => {
      const dir = freshDir();
      const f = await startUp(dir);
      expect(clusterId('created')).toBeDefined();
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

      await stopUp(f);
    },
    START_MS + 60_000,
  );

  it(
    'starts again on the same data, keeps serving through haproxy when a namenode is killed, and takes every child with it when killed',
    async () => {
      const dir = freshDir();
      const first = await startUp(dir);
      const created = clusterId('created');
      const local = join(dir, 'upload.txt');
      writeFileSync(local, CONTENT);
      await ok(first.balancer, ['mkdir', '-p', '/data']);
      await ok(first.balancer, ['put', local, '/data/f']);
      await stopUp(first);

      const f = await startUp(dir);
      expect(clusterId('found')).toBe(created);
      expect((await ok(f.balancer, ['cat', '/data/f'])).stdout).toBe(CONTENT);

      const [victim, survivor] = f.namenodes;
      if (!victim || !survivor) throw new Error('two namenodes expected');
      const haproxyLog = up?.stdout().match(/^haproxy pid=\d+ .* log=(\S+)$/m)?.[1];
      if (!haproxyLog) throw new Error(`no haproxy log in:\n${up?.stdout()}`);
      process.kill(victim.pid, 'SIGKILL');
      const killedAt = Date.now();
      await up?.waitFor(/^namenode-1 lost \(killed by SIGKILL\); the fleet goes on with 1 namenode\(s\)$/m, 10_000);
      // Until haproxy takes the dead namenode out (two failed checks), a refused connection is
      // redispatched to the other (README): every call through the balancer succeeds, first time.
      const isOut = (): boolean => /Server namenodes_ipc\/namenode-1 is DOWN/.test(readFileSync(haproxyLog, 'utf8'));
      const made: string[] = [];
      for (let i = 0; made.length === 0 || !isOut(); i++) {
        if (Date.now() - killedAt > 60_000) throw new Error(`haproxy did not take namenode-1 out within 60 s:\n${readFileSync(haproxyLog, 'utf8')}`);
        await ok(f.balancer, ['mkdir', '-p', `/after/${i}`]);
        made.push(String(i));
      }
      const outAfterMs = Date.now() - killedAt;
      await ok(f.balancer, ['mkdir', '-p', `/after/${made.length}`]);
      made.push(String(made.length));
      expect((await ok(survivor.rpc, ['ls', '/after'])).stdout.split('\n').filter(Boolean).sort()).toEqual([...made].sort());
      process.stdout.write(`up: ${made.length} mkdirs through haproxy after the kill of namenode-1, none refused; haproxy took it out within ${outAfterMs} ms\n`);
      expect((await ok(f.balancer, ['cat', '/data/f'])).stdout).toBe(CONTENT);
      const again = join(dir, 'again.txt');
      writeFileSync(again, 'written after the loss\n');
      await ok(f.balancer, ['put', again, '/data/g']);
      expect((await ok(survivor.rpc, ['cat', '/data/g'])).stdout).toBe('written after the loss\n');
      expect(isAlive(up?.child.pid ?? -1)).toBe(true);

      // Killed outright, `up` cannot stop anyone: its children go by the parent-death signal.
      up?.child.kill('SIGKILL');
      await up?.exited;
      await expectAllGone(allPids(f).filter((pid) => pid !== victim.pid), 30_000);
    },
    2 * START_MS + 90_000,
  );
});
