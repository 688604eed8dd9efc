import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { adminClasspath, dfsAdmin, fsShellBatch, runJava, type JavaRunOptions } from '../harness/java-hadoop';
import { upFleet, type UpFleet } from '../harness/up-fleet';

const ME = userInfo().username;
const DIFF_PAGE = 3;

/**
 * Hadoop 3.4's own snapshot commands against `nnfleet up` through haproxy:
 * `hdfs dfsadmin -allowSnapshot/-disallowSnapshot`, `hdfs dfs
 * -createSnapshot/-renameSnapshot/-deleteSnapshot`, `hdfs lsSnapshottableDir`
 * , `hdfs lsSnapshot` and `hdfs snapshotDiff`, with HDFS's messages for what it refuses; a file
 * overwritten after the snapshot reads as it was through `.snapshot`.
 */
describe('Java snapshot commands against nnfleet', () => {
  let up: UpFleet;
  let as: JavaRunOptions;

  beforeAll(async () => {
    // Three entries a page: `hdfs snapshotDiff` must follow the cursor through several pages.
    up = await upFleet('nnjava-snap', { namenodes: 2, datanodes: 1, defines: [`snapshotDiffListingLimit=${DIFF_PAGE}`] });
    as = { confDir: up.fleet.clientConfigDir, user: ME };
  }, 120_000);

  afterAll(async () => {
    await up?.stop();
  });

  const words = (s: string) => s.trim().split(/\s+/);
  const snapshotTool = (name: 'LsSnapshottableDir' | 'LsSnapshot' | 'SnapshotDiff', args: readonly string[]) =>
    runJava(`org.apache.hadoop.hdfs.tools.snapshot.${name}`, args, as, [adminClasspath()]);

  test('allow, create, list, rename, delete, disallow; the refusals print as hdfs prints them', async () => {
    const hostname = readFileSync('/etc/hostname', 'utf8');
    const [mkdir, refusedCreate, first] = await fsShellBatch([['-mkdir', '-p', '/js/d', '/plain'], ['-createSnapshot', '/plain', 's1'], ['-put', '/etc/hostname', '/js/f']], as);
    expect(first!.code).toBe(0);
    expect(mkdir!.code).toBe(0);
    expect(refusedCreate!.code).not.toBe(0);
    expect(refusedCreate!.stderr).toContain('createSnapshot: Directory is not a snapshottable directory: /plain');

    const allowed = await dfsAdmin(['-allowSnapshot', '/js'], as);
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toContain('Allowing snapshot on /js succeeded');
    const nested = await dfsAdmin(['-allowSnapshot', '/js/d'], as);
    expect(nested.code).not.toBe(0);
    expect(nested.stderr).toContain('Nested snapshottable directories not allowed: path=/js/d, the ancestor /js is already a snapshottable directory.');

    const [created, duplicate, overwritten, old, now, ls, renamed, rm] = await fsShellBatch(
      [
        ['-createSnapshot', '/js', 's1'],
        ['-createSnapshot', '/js', 's1'],
        ['-put', '-f', '/etc/hosts', '/js/f'],
        ['-cat', '/js/.snapshot/s1/f'],
        ['-cat', '/js/f'],
        ['-ls', '/js/.snapshot', '/js/.snapshot/s1'],
        ['-renameSnapshot', '/js', 's1', 'first'],
        ['-rm', '-r', '/js'],
      ],
      as,
    );
    expect(overwritten!.code).toBe(0);
    expect(old!.stdout).toBe(hostname);
    expect(now!.stdout).toBe(readFileSync('/etc/hosts', 'utf8'));
    process.stdout.write(`hdfs dfs -ls /js/.snapshot /js/.snapshot/s1:\n${ls!.stdout}${ls!.stderr}`);
    expect(ls!.stdout).toContain('/js/.snapshot/s1');
    expect(ls!.stdout).toContain('/js/.snapshot/s1/f');
    expect(ls!.stdout).toContain('/js/.snapshot/s1/d');
    expect(created!.stdout).toContain('Created snapshot /js/.snapshot/s1');
    expect(duplicate!.stderr).toContain('createSnapshot: Failed to add snapshot: there is already a snapshot with the same name "s1".');
    expect(renamed!.code).toBe(0);
    expect(rm!.code).not.toBe(0);
    expect(rm!.stderr).toContain('The directory /js cannot be deleted since /js is snapshottable and already has snapshots');

    const dirs = await snapshotTool('LsSnapshottableDir', []);
    process.stdout.write(`hdfs lsSnapshottableDir:\n${dirs.stdout}`);
    expect(dirs.code).toBe(0);
    const [dirLine] = dirs.stdout.trim().split('\n');
    // mode, replication, owner, group, length, date, time, snapshot count, snapshot quota, path.
    expect(words(dirLine!).slice(-3)).toEqual(['1', '65536', '/js']);
    expect(words(dirLine!)[2]).toBe(ME);

    const snaps = await snapshotTool('LsSnapshot', ['/js']);
    process.stdout.write(`hdfs lsSnapshot /js:\n${snaps.stdout}${snaps.stderr}`);
    expect(snaps.code).toBe(0);
    expect(snaps.stdout).toContain('/js/.snapshot/first');

    // hdfs snapshotDiff pages getSnapshotDiffReportListing and rebuilds the report on the client: -put -f replaced f.
    const diff = await snapshotTool('SnapshotDiff', ['/js', 'first', '.']);
    process.stdout.write(`hdfs snapshotDiff /js first .:\n${diff.stdout}${diff.stderr}`);
    expect(diff.code).toBe(0);
    expect(diff.stdout).toContain('Difference between snapshot first and current directory under directory /js:');
    const entries = diff.stdout.split('\n').filter((l) => /^[M+R-]\t/.test(l));
    expect(entries.sort()).toEqual(['+\t./f', '-\t./f', 'M\t.']);

    const busy = await dfsAdmin(['-disallowSnapshot', '/js'], as);
    expect(busy.code).not.toBe(0);
    expect(busy.stderr).toContain('disallowSnapshot: The directory /js has snapshot(s). Please redo the operation after removing all the snapshots.');

    const [gone, missing] = await fsShellBatch([['-deleteSnapshot', '/js', 'first'], ['-deleteSnapshot', '/js', 'first']], as);
    expect(gone!.code).toBe(0);
    expect(missing!.stderr).toContain('deleteSnapshot: Cannot delete snapshot first from path /js: the snapshot does not exist.');
    const disallowed = await dfsAdmin(['-disallowSnapshot', '/js'], as);
    expect(disallowed.code).toBe(0);
    expect(disallowed.stdout).toContain('Disallowing snapshot on /js succeeded');
    expect((await snapshotTool('LsSnapshottableDir', [])).stdout.trim()).toBe('');
  }, 240_000);

  test(`hdfs snapshotDiff of more changes than dfs.namenode.snapshotdiff.listing.limit (${DIFF_PAGE}) pages through them all`, async () => {
    const made = await fsShellBatch([['-mkdir', '-p', '/jp/a', '/jp/b', '/jp/c'], ['-touchz', '/jp/a/1', '/jp/a/2', '/jp/a/3', '/jp/b/1', '/jp/b/2', '/jp/top']], as);
    expect(made.map((r) => r.code)).toEqual([0, 0]);
    expect((await dfsAdmin(['-allowSnapshot', '/jp'], as)).code).toBe(0);
    const changed = await fsShellBatch(
      [
        ['-createSnapshot', '/jp', 's1'],
        ['-touchz', '/jp/a/4', '/jp/a/5', '/jp/c/new', '/jp/fresh'],
        ['-rm', '/jp/a/1', '/jp/b/1', '/jp/b/2'],
        ['-mv', '/jp/a/2', '/jp/c/moved'],
        ['-mv', '/jp/top', '/jp/b/top'],
        ['-chmod', '700', '/jp/a/3'],
        ['-mkdir', '/jp/d'],
      ],
      as,
    );
    expect(changed.map((r) => r.code)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    const diff = await snapshotTool('SnapshotDiff', ['/jp', 's1', '.']);
    process.stdout.write(`hdfs snapshotDiff /jp s1 . (${DIFF_PAGE} entries a page):\n${diff.stdout}${diff.stderr}`);
    expect(diff.code).toBe(0);
    const entries = diff.stdout.split('\n').filter((l) => /^[M+R-]\t/.test(l));
    // What HDFS reports for the same sequence: every changed directory M, created +, deleted -, moves within the root R.
    expect(entries.sort()).toEqual(
      [
        'M\t.',
        '+\t./fresh',
        '+\t./d',
        'R\t./top -> ./b/top',
        'M\t./a',
        '+\t./a/4',
        '+\t./a/5',
        '-\t./a/1',
        'R\t./a/2 -> ./c/moved',
        'M\t./a/3',
        'M\t./b',
        '-\t./b/1',
        '-\t./b/2',
        'M\t./c',
        '+\t./c/new',
      ].sort(),
    );
    expect(entries.length).toBeGreaterThan(DIFF_PAGE * 4);
  }, 240_000);
});
