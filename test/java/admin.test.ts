import { userInfo } from 'node:os';
import { dfsAdmin, dfsck, fsShell, fsShellBatch, type JavaRunOptions } from '../harness/java-hadoop';
import { upFleet, type UpFleet } from '../harness/up-fleet';

const ME = userInfo().username;

/**
 * The administrator's tools from Hadoop's own hadoop-hdfs jar against
 * `nnfleet up` through haproxy: `hdfs dfsadmin -safemode` (fleet-wide safe
 * mode), `-report`, `hdfs fsck` (the namenode's HTTP servlet, found through
 * dfs.namenode.http-address) and `hdfs dfs -count -u` (getQuotaUsage).
 */
describe('Java hdfs dfsadmin and hdfs fsck against nnfleet', () => {
  let up: UpFleet;
  let as: JavaRunOptions;
  let asBob: JavaRunOptions;

  beforeAll(async () => {
    up = await upFleet('nnjava-admin', { namenodes: 2, datanodes: 1 });
    as = { confDir: up.fleet.clientConfigDir, user: ME };
    asBob = { ...as, user: 'bob' };
  }, 120_000);

  afterAll(async () => {
    await up?.stop();
  });

  test('dfsadmin -safemode get/enter/leave: the fleet refuses writes while it is on, bob may not turn it on, -report says so', async () => {
    const get = async () => (await dfsAdmin(['-safemode', 'get'], as)).stdout.trim();
    expect(await get()).toBe('Safe mode is OFF');

    const denied = await dfsAdmin(['-safemode', 'enter'], asBob);
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toContain('Superuser privilege is required');
    expect(await get()).toBe('Safe mode is OFF');

    const enter = await dfsAdmin(['-safemode', 'enter'], as);
    expect(enter.stdout.trim()).toBe('Safe mode is ON');
    expect(await get()).toBe('Safe mode is ON');
    const report = await dfsAdmin(['-report'], as);
    expect(report.code).toBe(0);
    expect(report.stdout).toContain('Safe mode is ON');
    expect(report.stdout).toMatch(/Live datanodes \(1\)/);

    const [mkdir, ls] = await fsShellBatch([['-mkdir', '-p', '/adm/during'], ['-ls', '/']], as);
    expect(mkdir!.code).not.toBe(0);
    expect(mkdir!.stderr).toContain('Name node is in safe mode');
    expect(ls!.code).toBe(0);
    expect(ls!.stdout).not.toContain('/adm');

    const leave = await dfsAdmin(['-safemode', 'leave'], as);
    expect(leave.stdout.trim()).toBe('Safe mode is OFF');
    const after = await fsShell(['-mkdir', '-p', '/adm/after'], as);
    expect(after.code).toBe(0);
  }, 180_000);

  test('hdfs fsck / reaches the web port and exits 0 on a HEALTHY filesystem; hdfs dfs -count -u shows no quota', async () => {
    const put = await fsShellBatch([['-mkdir', '-p', '/adm/q/sub'], ['-touchz', '/adm/q/f'], ['-count', '-u', '/adm/q']], as);
    expect(put.map((r) => r.code)).toEqual([0, 0, 0]);
    expect(put[2]!.stdout.trim().split(/\s+/)).toEqual(['none', 'inf', 'none', 'inf', '/adm/q']);

    const fsck = await dfsck(['/'], as);
    expect(fsck.code).toBe(0);
    expect(fsck.stderr).toContain('Connecting to namenode via http://');
    const lines = fsck.stdout.trim().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^FSCK started by ${ME} \\(auth:SIMPLE\\) from /`));
    expect(lines).toContain('Status: HEALTHY');
    expect(lines.at(-1)).toBe("The filesystem under path '/' is HEALTHY");

    // DFSck resolves the path itself first, as against HDFS: a missing one never reaches the servlet.
    const missing = await dfsck(['/no/such/path'], asBob);
    expect(missing.code).toBe(0);
    expect(missing.stderr).toContain('FileNotFoundException');
    expect(missing.stderr).toContain('DFSck exiting.');
    const bobs = await dfsck(['/adm'], asBob);
    expect(bobs.code).toBe(0);
    expect(bobs.stdout.trim().split('\n').at(-1)).toBe("The filesystem under path '/adm' is HEALTHY");
  }, 180_000);
});
