import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { fsShellBatch, javaProgram, type JavaRunOptions } from '../harness/java-hadoop';
import { payload } from '../harness/payload';
import { upFleet, type UpFleet } from '../harness/up-fleet';

const ME = userInfo().username;

/**
 * Snapshots over WebHDFS with Hadoop 3.4's own client (WebHdfsFileSystem)
 * through the fleet's haproxy HTTP port: `hdfs dfs -createSnapshot/
 * -renameSnapshot/-deleteSnapshot webhdfs://…`, the old bytes of a replaced
 * file read through `.snapshot` (GETFILESTATUS, LISTSTATUS, OPEN through
 * the datanodes), and the calls Hadoop's snapshot tools make only over
 * hdfs:// (allow, lsSnapshottableDir, lsSnapshot, snapshotDiff) through
 * WebHdfsFileSystem itself (tools/java/src/WebHdfsSnapshots.java), printed
 * as those tools print them. The JSON bodies are checked as the client
 * parses them, and as raw JSON against Hadoop's JsonUtil shapes.
 */
describe('snapshots over webhdfs://', () => {
  let up: UpFleet;
  let as: JavaRunOptions;
  let W: string;
  let local: string;
  const before = payload(300_000, 7);
  const after = payload(1_000, 8);

  beforeAll(async () => {
    up = await upFleet('snapweb', { namenodes: 2, datanodes: 1 });
    W = `webhdfs://${new URL(up.fleet.balancerHttp).host}`;
    as = { confDir: up.fleet.clientConfigDir, user: ME };
    local = mkdtempSync(join(tmpdir(), 'snapweb-'));
    writeFileSync(join(local, 'before'), before);
    writeFileSync(join(local, 'after'), after);
    writeFileSync(join(local, 'g'), 'gone soon\n');
  }, 180_000);

  afterAll(async () => {
    await up?.stop();
    if (local) rmSync(local, { recursive: true, force: true });
  });

  const snapshots = async (...args: string[]) => {
    const r = await javaProgram('WebHdfsSnapshots', [W, ...args], as);
    process.stdout.write(`WebHdfsSnapshots ${args.join(' ')}:\n${r.stdout}${r.stderr}`);
    expect([r.code, r.stderr]).toEqual([0, '']);
    // One section per verb: "== verb" then its lines.
    return r.stdout
      .split(/^== /m)
      .slice(1)
      .map((s) => s.trimEnd().split('\n').slice(1));
  };
  const rest = async (method: string, path: string, query: string, user = ME) => {
    const r = await fetch(`${up.fleet.balancerHttp}/webhdfs/v1${path}?${query}&user.name=${user}`, { method });
    const text = await r.text();
    return { status: r.status, json: text === '' ? undefined : (JSON.parse(text) as unknown) };
  };

  test('allow, create, read the old bytes through .snapshot, rename, diff, list, delete, disallow', async () => {
    const setup = await fsShellBatch(
      [
        ['-mkdir', '-p', `${W}/ws/d`, `${W}/plain`],
        ['-put', join(local, 'before'), `${W}/ws/f`],
        ['-put', join(local, 'g'), `${W}/ws/d/g`],
      ],
      as,
    );
    expect(setup.map((r) => [r.code, r.stderr])).toEqual(setup.map(() => [0, '']));

    const [allow, nested, none] = await snapshots('allow', '/ws', 'allow', '/ws/d', 'lsSnapshot', '/plain');
    expect(allow).toEqual([]);
    // WebHdfsFileSystem leaves these as RemoteException (the javaClassName is checked in the raw JSON below).
    expect(nested).toEqual(['error: org.apache.hadoop.ipc.RemoteException: Nested snapshottable directories not allowed: path=/ws/d, the ancestor /ws is already a snapshottable directory.']);
    expect(none).toEqual(['error: org.apache.hadoop.ipc.RemoteException: Directory is not a snapshottable directory: /plain']);

    const cmds = [
      ['-createSnapshot', `${W}/ws`, 's1'],
      ['-createSnapshot', `${W}/ws`, 's1'],
      ['-createSnapshot', `${W}/plain`, 's1'],
      ['-put', '-f', join(local, 'after'), `${W}/ws/f`],
      ['-rm', '-skipTrash', `${W}/ws/d/g`],
      ['-mkdir', `${W}/ws/new`],
      ['-cat', `${W}/ws/.snapshot/s1/f`],
      ['-cat', `${W}/ws/f`],
      ['-cat', `${W}/ws/.snapshot/s1/d/g`],
      ['-stat', '%b %n %F', `${W}/ws/.snapshot/s1/f`, `${W}/ws/f`, `${W}/ws/.snapshot/s1`],
      ['-ls', `${W}/ws/.snapshot/s1`],
      ['-ls', `${W}/ws/.snapshot`],
      ['-mkdir', `${W}/ws/.snapshot/s1/x`],
      ['-test', '-e', `${W}/ws/.snapshot/s1/new`],
      ['-renameSnapshot', `${W}/ws`, 's1', 'first'],
      ['-createSnapshot', `${W}/ws`, 'second'],
    ];
    const r = await fsShellBatch(cmds, as);
    const [created, duplicate, plain, , , , oldF, newF, oldG, stat, ls, lsSnaps, readOnly, notThen, renamed, second] = r;
    // The path CREATESNAPSHOT answers, as WebHdfsFileSystem hands it to the shell: no scheme.
    expect([created!.code, created!.stdout]).toEqual([0, 'Created snapshot /ws/.snapshot/s1\n']);
    expect(duplicate!.stderr).toContain('createSnapshot: Failed to add snapshot: there is already a snapshot with the same name "s1".');
    expect(plain!.stderr).toContain('createSnapshot: Directory is not a snapshottable directory: /plain');
    expect(r.slice(3, 6).map((x) => x.code)).toEqual([0, 0, 0]);
    // OPEN through .snapshot: the bytes as they were, from the datanode.
    expect(oldF!.stdoutBytes.equals(before)).toBe(true);
    expect(newF!.stdoutBytes.equals(after)).toBe(true);
    expect(oldG!.stdout).toBe('gone soon\n');
    expect(stat!.stdout).toBe(`300000 f regular file\n1000 f regular file\n0 s1 directory\n`);
    expect(ls!.stdout).toMatch(/^Found 2 items$/m);
    expect(ls!.stdout).toMatch(new RegExp(`^-rw-r--r--\\s+\\d ${ME}\\s+\\S+\\s+300000 .* ${W}/ws/.snapshot/s1/f$`, 'm'));
    expect(ls!.stdout).toMatch(new RegExp(`^drwxr-xr-x\\s+- ${ME}\\s+\\S+\\s+0 .* ${W}/ws/.snapshot/s1/d$`, 'm'));
    expect(lsSnaps!.stdout).toMatch(new RegExp(`^drwxr-xr-x\\s+- ${ME}\\s+\\S+\\s+0 .* ${W}/ws/.snapshot/s1$`, 'm'));
    expect(readOnly!.stderr).toContain('Modification on a read-only snapshot is disallowed');
    expect(notThen!.code).toBe(1);
    expect([renamed!.code, renamed!.stderr]).toEqual([0, '']);
    expect(second!.code).toBe(0);

    const [dirs, list, current, between, listing] = await snapshots('lsSnapshottableDir', 'lsSnapshot', '/ws', 'diff', '/ws', 'first', '.', 'diff', '/ws', 'first', 'second', 'listing', '/ws', 'first', 'second');
    expect(dirs![0]).toBe('count 1');
    // mode, replication, owner, group, length, date, time, snapshot count, snapshot quota, path: as hdfs lsSnapshottableDir prints it.
    expect(dirs![1]!.split(/\s+/).slice(-3)).toEqual(['2', '65536', '/ws']);
    expect(dirs![1]!.split(/\s+/)[2]).toBe(ME);
    expect(list!.filter((l) => l.startsWith('snapshot '))).toEqual([
      expect.stringMatching(/^snapshot \d+ deleted false \/ws\/.snapshot\/first in \/ws$/),
      expect.stringMatching(/^snapshot \d+ deleted false \/ws\/.snapshot\/second in \/ws$/),
    ]);
    // first → the current tree: GETSNAPSHOTDIFF (the client pages only between two snapshots).
    expect(current![0]).toBe('Difference between snapshot first and current directory under directory /ws:');
    // -put -f writes f._COPYING_ and renames it over f: a new inode, so f is deleted and created, as HDFS reports it.
    const expected = ['M\t.', 'M\t./d', '-\t./d/g', '+\t./new', '+\t./f', '-\t./f'];
    expect(current!.filter((l) => /^[M+R-]\t/.test(l)).sort()).toEqual([...expected].sort());
    // first → second: GETSNAPSHOTDIFFLISTING, one page, the report rebuilt by the client.
    expect(between![0]).toBe('Difference between snapshot first and snapshot second under directory /ws:');
    expect(between!.filter((l) => /^[M+R-]\t/.test(l)).sort()).toEqual(current!.filter((l) => /^[M+R-]\t/.test(l)).sort());
    expect(listing![0]).toBe("lastPath '' lastIndex -1 fromEarlier true");
    expect(listing!.slice(1).sort()).toEqual(["create 'f' reference false", "create 'new' reference false", "delete 'd/g' reference false", "delete 'f' reference false", "modify '' reference true", "modify 'd' reference true"].sort());

    const r2 = await fsShellBatch(
      [
        ['-deleteSnapshot', `${W}/ws`, 'first'],
        ['-deleteSnapshot', `${W}/ws`, 'first'],
        ['-test', '-e', `${W}/ws/.snapshot/first/f`],
        ['-deleteSnapshot', `${W}/ws`, 'second'],
      ],
      as,
    );
    expect(r2.map((x) => x.code)).toEqual([0, 1, 1, 0]);
    expect(r2[1]!.stderr).toContain('deleteSnapshot: Cannot delete snapshot first from path /ws: the snapshot does not exist.');
    const [disallowed, gone] = await snapshots('disallow', '/ws', 'lsSnapshottableDir');
    expect(disallowed).toEqual([]);
    expect(gone).toEqual(['count null']);
    expect(await rest('GET', '/', 'op=GETSNAPSHOTTABLEDIRECTORYLIST')).toEqual({ status: 200, json: { SnapshottableDirectoryList: null } });
  }, 300_000);

  test("the JSON bodies are JsonUtil's, key for key", async () => {
    expect((await rest('PUT', '/js', 'op=MKDIRS')).status).toBe(200);
    expect(await rest('PUT', '/js', 'op=ALLOWSNAPSHOT')).toEqual({ status: 200, json: undefined });
    expect(await rest('PUT', '/js', 'op=CREATESNAPSHOT&snapshotname=a')).toEqual({ status: 200, json: { Path: '/js/.snapshot/a' } });
    const unnamed = await rest('PUT', '/js', 'op=CREATESNAPSHOT');
    // Snapshot.generateDefaultSnapshotName: s'yyyyMMdd-HHmmss.SSS.
    expect(unnamed.json).toEqual({ Path: expect.stringMatching(/^\/js\/\.snapshot\/s\d{8}-\d{6}\.\d{3}$/) });
    expect((await rest('PUT', '/js/n', 'op=MKDIRS')).status).toBe(200);

    const diff = await rest('GET', '/js', 'op=GETSNAPSHOTDIFF&oldsnapshotname=a&snapshotname=');
    expect(diff).toEqual({
      status: 200,
      json: {
        SnapshotDiffReport: {
          diffList: [
            { sourcePath: '', type: 'MODIFY' },
            { sourcePath: 'n', type: 'CREATE' },
          ],
          fromSnapshot: 'a',
          snapshotRoot: '/js',
          toSnapshot: '',
        },
      },
    });
    const listing = await rest('GET', '/js', 'op=GETSNAPSHOTDIFFLISTING&oldsnapshotname=a&snapshotname=&snapshotdiffstartpath=&snapshotdiffindex=-1');
    expect(listing).toEqual({
      status: 200,
      json: {
        SnapshotDiffReportListing: {
          createList: [{ dirId: expect.any(Number), fileId: expect.any(Number), isReference: false, sourcePath: 'n' }],
          deleteList: [],
          isFromEarlier: true,
          lastIndex: -1,
          lastPath: '',
          modifyList: [{ dirId: expect.any(Number), fileId: expect.any(Number), isReference: true, sourcePath: '' }],
        },
      },
    });
    const dirs = (await rest('GET', '/', 'op=GETSNAPSHOTTABLEDIRECTORYLIST')).json as { SnapshottableDirectoryList: Record<string, unknown>[] };
    expect(dirs.SnapshottableDirectoryList.filter((d) => (d['dirStatus'] as { pathSuffix: string }).pathSuffix === 'js')).toEqual([
      { dirStatus: expect.objectContaining({ pathSuffix: 'js', type: 'DIRECTORY', owner: ME }), parentFullPath: '/', snapshotNumber: 2, snapshotQuota: 65536 },
    ]);
    const list = (await rest('GET', '/js', 'op=GETSNAPSHOTLIST')).json as { SnapshotList: Record<string, unknown>[] };
    expect(list.SnapshotList[0]).toEqual({ deletionStatus: 'ACTIVE', dirStatus: expect.objectContaining({ pathSuffix: 'a', type: 'DIRECTORY' }), fullPath: '/js/.snapshot/a', snapshotID: expect.any(Number) });
    expect(Object.keys(list.SnapshotList[0]!)).toEqual(['deletionStatus', 'dirStatus', 'fullPath', 'snapshotID']);

    // Errors: RemoteException JSON with Hadoop's class and ExceptionHandler's status; the namespace is unchanged.
    const refused = [
      await rest('PUT', '/js', 'op=RENAMESNAPSHOT&oldsnapshotname=a&snapshotname='),
      await rest('PUT', '/js', 'op=RENAMESNAPSHOT&oldsnapshotname=zz&snapshotname=b'),
      await rest('DELETE', '/js', 'op=DELETESNAPSHOT'),
      await rest('PUT', '/js', 'op=CREATESNAPSHOT&snapshotname=a%2Fb'),
      await rest('PUT', '/js', 'op=DISALLOWSNAPSHOT'),
      await rest('GET', '/js', 'op=GETSNAPSHOTDIFF&oldsnapshotname=nope'),
      await rest('GET', '/js', 'op=GETSNAPSHOTDIFFLISTING&oldsnapshotname=a&snapshotdiffindex=x'),
      await rest('PUT', '/js', 'op=CREATESNAPSHOT&snapshotname=c', 'mallory'),
    ].map((x) => [x.status, (x.json as { RemoteException?: { javaClassName: string } }).RemoteException?.javaClassName]);
    expect(refused).toEqual([
      [403, 'java.io.IOException'],
      [403, 'org.apache.hadoop.hdfs.protocol.SnapshotException'],
      [403, 'org.apache.hadoop.hdfs.protocol.SnapshotException'],
      // InvalidPathException is a HadoopIllegalArgumentException: ExceptionHandler's 400.
      [400, 'org.apache.hadoop.fs.InvalidPathException'],
      [403, 'org.apache.hadoop.hdfs.protocol.SnapshotException'],
      [403, 'org.apache.hadoop.hdfs.protocol.SnapshotException'],
      [400, 'java.lang.IllegalArgumentException'],
      [403, 'org.apache.hadoop.security.AccessControlException'],
    ]);
    expect(((await rest('GET', '/js', 'op=GETSNAPSHOTLIST')).json as { SnapshotList: unknown[] }).SnapshotList).toHaveLength(2);
  }, 120_000);
});
