import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { adminClasspath, dfsAdmin, fsShellBatch, runJava, type JavaResult, type JavaRunOptions } from '../harness/java-hadoop';
import { payload } from '../harness/payload';
import { TOOLS_DIR } from '../harness/prerequisite';
import { upFleet, type UpFleet } from '../harness/up-fleet';

jest.setTimeout(300_000);

const ME = userInfo().username;

/**
 * DistCp's incremental mode (`distcp -update -diff s1 s2`) against nnfleet,
 * as HDFS's TestDistCpSync runs it: /src has s1, a full copy to /dst, /dst
 * takes its own unchanged s1, /src changes (create, delete, rename, overwrite)
 * and takes s2; DistCpSync replays the renames and deletes of
 * getSnapshotDiffReport on /dst and copies only what was created or modified.
 */
describe('distcp -update -diff against nnfleet', () => {
  let up: UpFleet;
  let as: JavaRunOptions;
  let local: string;
  let fs: string;

  beforeAll(async () => {
    up = await upFleet('nnjava-sdcp', { namenodes: 2, datanodes: 1 });
    as = { confDir: up.fleet.clientConfigDir, user: ME, timeoutMs: 240_000 };
    local = mkdtempSync(join(tmpdir(), 'nnfleet-sdcp-'));
    fs = `hdfs://${up.fleet.balancer}`;
  }, 120_000);

  afterAll(async () => {
    await up?.stop();
    if (local) rmSync(local, { recursive: true, force: true });
  });

  const file = (name: string, size: number, seed: number): string => {
    const at = join(local, name);
    writeFileSync(at, payload(size, seed));
    return at;
  };
  const ok = (r: JavaResult | undefined, what: string): JavaResult => {
    if (!r || r.code !== 0) throw new Error(`${what} failed (${r?.code}):\n${r?.stderr}\n${r?.stdout}`);
    return r;
  };
  /**
   * hadoop-distcp's OptionsParser checks `-diff` with the unshaded commons-lang3, which the shaded
   * client relocates: the jar from the unshaded classpath goes after the client's.
   */
  const distcp = (args: readonly string[]) =>
    runJava('org.apache.hadoop.tools.DistCp', ['-D', 'mapreduce.framework.name=local', ...args], as, [
      readFileSync(join(TOOLS_DIR, 'java/classpath.txt'), 'utf8').trim(),
      ...adminClasspath().split(':').filter((jar) => /\/commons-lang3-[^/]*\.jar$/.test(jar)),
    ]);
  /** `-ls -R` as (relative path, type, size) lines, sorted. */
  const tree = (r: JavaResult, root: string): string[] =>
    r.stdout
      .split('\n')
      .filter((l) => /^[d-]/.test(l))
      .map((l) => l.trim().split(/\s+/))
      .map((w) => `${w[7]!.slice(root.length)} ${w[0]![0]} ${w[0]![0] === 'd' ? '' : w[4]}`)
      .sort();

  test('copies exactly the changes between s1 and s2; the renamed file is renamed on the target, not copied again', async () => {
    ok((await fsShellBatch([['-mkdir', '-p', '/src/sub', '/src/keep']], as))[0], 'mkdir');
    const puts = await fsShellBatch(
      [
        ['-put', file('a', 40_000, 1), '/src/a.bin'],
        ['-put', file('b', 70_000, 2), '/src/sub/b.bin'],
        ['-put', file('old', 50_000, 3), '/src/old.txt'],
        ['-put', file('gone', 900, 4), '/src/sub/gone.txt'],
        ['-put', file('k', 12, 5), '/src/keep/k.txt'],
      ],
      as,
    );
    puts.forEach((p, i) => ok(p, `put ${i}`));
    ok(await dfsAdmin(['-allowSnapshot', '/src'], as), 'allowSnapshot /src');
    ok((await fsShellBatch([['-createSnapshot', '/src', 's1']], as))[0], 'createSnapshot /src s1');

    const full = ok(await distcp(['-update', `${fs}/src`, `${fs}/dst`]), 'full distcp');
    process.stdout.write(`full distcp stderr tail:\n${full.stderr.split('\n').slice(-40).join('\n')}\n`);
    ok(await dfsAdmin(['-allowSnapshot', '/dst'], as), 'allowSnapshot /dst');
    const [snapDst, before] = await fsShellBatch([['-createSnapshot', '/dst', 's1'], ['-stat', '%Y %b', '/dst/old.txt']], as);
    ok(snapDst, 'createSnapshot /dst s1');
    const oldStat = ok(before, 'stat /dst/old.txt').stdout.trim();

    const changes = await fsShellBatch(
      [
        ['-put', file('new', 30_000, 6), '/src/sub/new.txt'],
        ['-rm', '/src/sub/gone.txt'],
        ['-mv', '/src/old.txt', '/src/keep/moved.txt'],
        ['-put', '-f', file('a2', 45_000, 7), '/src/a.bin'],
        ['-createSnapshot', '/src', 's2'],
        // A change after s2: -diff s1 s2 must not copy it.
        ['-put', file('late', 10, 8), '/src/late.txt'],
      ],
      as,
    );
    changes.forEach((c, i) => ok(c, `change ${i}`));

    const incremental = ok(await distcp(['-update', '-diff', 's1', 's2', `${fs}/src`, `${fs}/dst`]), 'distcp -diff');
    process.stdout.write(`distcp -diff stderr tail:\n${incremental.stderr.split('\n').slice(-40).join('\n')}\n`);
    const [src, dst, after, ...cats] = await fsShellBatch(
      [
        ['-ls', '-R', '/src/.snapshot/s2'],
        ['-ls', '-R', '/dst'],
        ['-stat', '%Y %b', '/dst/keep/moved.txt'],
        ...['a.bin', 'sub/b.bin', 'sub/new.txt', 'keep/moved.txt', 'keep/k.txt'].flatMap((p) => [
          ['-cat', `/src/.snapshot/s2/${p}`],
          ['-cat', `/dst/${p}`],
        ]),
      ],
      as,
    );
    const want = tree(ok(src, 'ls s2'), '/src/.snapshot/s2');
    const got = tree(ok(dst, 'ls dst'), '/dst');
    process.stdout.write(`/src/.snapshot/s2:\n${want.join('\n')}\n/dst:\n${got.join('\n')}\n`);
    expect(got).toEqual(want);
    expect(want).toContain('/keep/moved.txt - 50000');
    expect(want.some((l) => l.startsWith('/late.txt') || l.startsWith('/old.txt') || l.startsWith('/sub/gone.txt'))).toBe(false);
    for (let i = 0; i < cats.length; i += 2) {
      const [a, b] = [ok(cats[i], 'cat s2'), ok(cats[i + 1], 'cat dst')];
      expect(b.stdoutBytes.equals(a.stdoutBytes)).toBe(true);
    }
    // DistCpSync renamed /dst/old.txt: the copy made by the full run, its mtime untouched.
    expect(ok(after, 'stat moved').stdout.trim()).toBe(oldStat);
  });
});
