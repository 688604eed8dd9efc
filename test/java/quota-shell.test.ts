import { userInfo } from 'node:os';
import { dfsAdmin, fsShell, fsShellBatch, type JavaRunOptions } from '../harness/java-hadoop';
import { upFleet, type UpFleet } from '../harness/up-fleet';

const ME = userInfo().username;

/**
 * Hadoop 3.4's own `hdfs dfsadmin -setQuota/-clrQuota/-setSpaceQuota/
 * -clrSpaceQuota` and `hdfs dfs -count -q [-h -v -t]` against `nnfleet up`
 * through haproxy, and the quota exceptions as `hdfs dfs` prints them.
 */
describe('Java quota commands against nnfleet', () => {
  let up: UpFleet;
  let as: JavaRunOptions;

  beforeAll(async () => {
    up = await upFleet('nnjava-quota', { namenodes: 2, datanodes: 1 });
    as = { confDir: up.fleet.clientConfigDir, user: ME };
  }, 120_000);

  afterAll(async () => {
    await up?.stop();
  });

  const words = (s: string) => s.trim().split(/\s+/);

  test('dfsadmin sets and clears the quotas; -count -q shows them; puts and mkdirs past them fail with Hadoop\'s messages', async () => {
    expect((await fsShell(['-mkdir', '-p', '/jq/a'], as)).code).toBe(0);
    const set = await dfsAdmin(['-setQuota', '3', '/jq'], as);
    expect(set.code).toBe(0);
    expect((await dfsAdmin(['-setSpaceQuota', '1m', '/jq'], as)).code).toBe(0);
    const denied = await dfsAdmin(['-setQuota', '5', '/jq'], { ...as, user: 'bob' });
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toContain('Superuser privilege is required');

    const [count, put, mkdir, after] = await fsShellBatch(
      [['-count', '-q', '/jq'], ['-put', '/etc/hostname', '/jq/a/h'], ['-mkdir', '/jq/b', '/jq/c'], ['-count', '-q', '/jq']],
      { ...as },
    );
    expect(words(count!.stdout)).toEqual(['3', '1', '1048576', '1048576', '2', '0', '0', '/jq']);
    expect(mkdir!.code).not.toBe(0);
    expect(mkdir!.stderr).toContain('mkdir: The NameSpace quota (directories and files) of directory /jq is exceeded: quota=3 file count=4');
    expect(put!.code).not.toBe(0);
    // The first block at the client's 128 MiB block size and replication 3, as HDFS charges it.
    expect(put!.stderr).toContain('put: The DiskSpace quota of /jq is exceeded: quota = 1048576 B = 1 MB but diskspace consumed = 402653184 B = 384 MB');
    // -mkdir made /jq/b (the quota's last entry) before /jq/c was refused, as on HDFS; the failed put left nothing.
    expect(words(after!.stdout)).toEqual(['3', '0', '1048576', '1048576', '3', '0', '0', '/jq']);

    const typed = await dfsAdmin(['-setSpaceQuota', '10g', '-storageType', 'DISK', '/jq'], as);
    expect(typed.code).toBe(0);
    const [human, byType] = await fsShellBatch([['-count', '-q', '-h', '-v', '/jq'], ['-count', '-q', '-h', '-v', '-t', '/jq']], as);
    process.stdout.write(`hdfs dfs -count -q -h -v /jq:\n${human!.stdout}hdfs dfs -count -q -h -v -t /jq:\n${byType!.stdout}`);
    const [humanHeader, humanRow] = human!.stdout.trim().split('\n');
    expect(words(humanHeader!)).toEqual(['QUOTA', 'REM_QUOTA', 'SPACE_QUOTA', 'REM_SPACE_QUOTA', 'DIR_COUNT', 'FILE_COUNT', 'CONTENT_SIZE', 'PATHNAME']);
    expect(words(humanRow!)).toEqual(['3', '0', '1', 'M', '1', 'M', '3', '0', '0', '/jq']);
    const [typeHeader, typeRow] = byType!.stdout.trim().split('\n');
    expect(words(typeHeader!)).toContain('DISK_QUOTA');
    const header = words(typeHeader!);
    const row = typeRow!.trim().split(/\s{2,}|\s(?=\S+$)/).map((x) => x.trim());
    expect(row[header.indexOf('DISK_QUOTA')]).toBe('10 G');
    expect(row[header.indexOf('SSD_QUOTA')]).toBe('none');

    for (const args of [['-clrQuota', '/jq'], ['-clrSpaceQuota', '/jq'], ['-clrSpaceQuota', '-storageType', 'DISK', '/jq']]) expect((await dfsAdmin(args, as)).code).toBe(0);
    const [cleared, putAgain] = await fsShellBatch([['-count', '-q', '/jq'], ['-put', '/etc/hostname', '/jq/a/h']], as);
    expect(words(cleared!.stdout)).toEqual(['none', 'inf', 'none', 'inf', '3', '0', '0', '/jq']);
    expect(putAgain!.code).toBe(0);
    const u = await fsShell(['-count', '-u', '/jq'], as);
    expect(words(u.stdout)).toEqual(['none', 'inf', 'none', 'inf', '/jq']);
  }, 240_000);
});
