import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { until } from '../harness/eventually';
import { hdfs } from '../harness/go-hdfs';
import { fsShell, javaStdout, type JavaRunOptions } from '../harness/java-hadoop';
import { upFleet, type UpFleet } from '../harness/up-fleet';
import { xpathValues } from '../cli/fleet-output';

const MiB = 1 << 20;
const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/**
 * The Java client failing over by itself, without the balancer: the
 * nameservice of `nnfleet up`'s hdfs-site.xml with core-site-failover.xml
 * (ConfiguredFailoverProxyProvider over both namenodes). The namenode the
 * client talks to is killed -9 in the middle of a -put of a large file; the
 * client moves to the other namenode, which knows the open file, its lease
 * and its blocks from the database, and the put completes with its bytes.
 */
describe('Java client failover (ConfiguredFailoverProxyProvider)', () => {
  let up: UpFleet;
  let local: string;
  let as: JavaRunOptions;

  beforeAll(async () => {
    up = await upFleet('nnjava-failover', { namenodes: 2, datanodes: 3 });
    local = mkdtempSync(join(tmpdir(), 'nnjava-failover-local-'));
    // A user's HADOOP_CONF_DIR for client-side failover: core-site-failover.xml as core-site.xml.
    const conf = join(local, 'conf');
    mkdirSync(conf);
    copyFileSync(join(up.fleet.clientConfigDir, 'hdfs-site.xml'), join(conf, 'hdfs-site.xml'));
    copyFileSync(join(up.fleet.clientConfigDir, 'core-site-failover.xml'), join(conf, 'core-site.xml'));
    as = { confDir: conf, user: userInfo().username };
  }, 120_000);

  afterAll(async () => {
    await up?.stop();
    if (local) rmSync(local, { recursive: true, force: true });
  });

  test('kill -9 of the namenode serving a 300 MiB -put: the put completes and the bytes match', async () => {
    const site = join(up.fleet.clientConfigDir, 'hdfs-site.xml');
    const [defaultFs] = await xpathValues(join(as.confDir, 'core-site.xml'), "/configuration/property[name='fs.defaultFS']/value");
    expect(defaultFs).toMatch(/^hdfs:\/\/[a-z]+$/);
    const nameservice = defaultFs!.slice('hdfs://'.length);
    const [provider] = await xpathValues(site, `/configuration/property[name='dfs.client.failover.proxy.provider.${nameservice}']/value`);
    expect(provider).toBe('org.apache.hadoop.hdfs.server.namenode.ha.ConfiguredFailoverProxyProvider');
    // With the proxies in configured order the client starts on nn1: that is the one to kill.
    const [first] = await xpathValues(site, `/configuration/property[name='dfs.namenode.rpc-address.${nameservice}.nn1']/value`);
    const victim = up.fleet.namenodes.find((n) => n.rpc === first);
    const survivor = up.fleet.namenodes.find((n) => n.rpc !== first);
    if (!victim || !survivor) throw new Error(`nn1 ${first} is not among ${JSON.stringify(up.fleet.namenodes)}`);

    const data = randomBytes(300 * MiB);
    const src = join(local, 'big');
    writeFileSync(src, data);
    await javaStdout(fsShell(['-mkdir', '/fo'], as));

    const put = fsShell(['-D', 'dfs.client.failover.random.order=false', '-D', `dfs.blocksize=${16 * MiB}`, '-put', src, '/fo/big'], { ...as, timeoutMs: 300_000 });
    // Kill while the put is under way: its ._COPYING_ file exists (an open
    // file reports no length until closed, so the file is the signal); the
    // client has 19 blocks to add, a complete and a rename still ahead.
    const me = userInfo().username;
    let putEnded = false;
    void put.finally(() => (putEnded = true)).catch(() => undefined);
    await until('the put to be under way', async () => {
      if (putEnded) throw new Error(`the put ended before the kill (${(await put).code}):\n${(await put).stderr}`);
      const ls = await hdfs(survivor.rpc, me, ['ls', '/fo']);
      if (/^big$/m.test(ls.stdout)) throw new Error(`the put finished before the kill:\n${ls.stdout}`);
      return /^big\._COPYING_$/m.test(ls.stdout);
    }, 120_000, 50);
    process.kill(victim.pid, 'SIGKILL');
    const result = await put;
    if (result.code !== 0) throw new Error(`-put failed after the kill (${result.code}):\n${result.stderr}`);
    // The client did fail over: a call to the killed namenode was retried on the other one.
    expect(result.stderr).toMatch(new RegExp(`while invoking ClientNamenodeProtocolTranslatorPB\\.\\w+ over /?${victim.rpc.replace(/\./g, '\\.')}\\. Trying to failover`));
    process.stdout.write(`java failover: ${result.stderr.split('\n').filter((l) => /RetryInvocationHandler/.test(l)).join('\n')}\n`);

    const ls = await javaStdout(fsShell(['-ls', '/fo'], as));
    expect(ls).toMatch(new RegExp(`^-rw-r--r--\\s+3 \\S+ \\S+\\s+${300 * MiB} \\S+ \\S+ /fo/big$`, 'm'));
    expect(ls).not.toContain('_COPYING_');
    const back = join(local, 'big.back');
    await javaStdout(fsShell(['-get', '/fo/big', back], as));
    expect(sha256(readFileSync(back))).toBe(sha256(data));
  }, 300_000);
});
