import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { fsShell, javaStdout, type JavaRunOptions } from '../harness/java-hadoop';
import { payload } from '../harness/payload';
import { bigFileRoundTrip } from '../harness/java-big-file';
import { upFleet, type UpFleet } from '../harness/up-fleet';

const MiB = 1 << 20;

/**
 * The Apache Hadoop Java client's `hdfs dfs` against `nnfleet up` through
 * haproxy, as a user runs it: what goes in with -put comes back byte for byte
 * with -get and -cat, from an empty file to a 300 MiB file of several blocks,
 * at replication 1 and 3.
 */
describe('Java hdfs dfs: byte-exact -put / -get / -cat / -ls', () => {
  let up: UpFleet;
  let local: string;
  let as: JavaRunOptions;

  beforeAll(async () => {
    up = await upFleet('nnjava-data', { namenodes: 2, datanodes: 3 });
    local = mkdtempSync(join(tmpdir(), 'nnjava-data-local-'));
    as = { confDir: up.fleet.clientConfigDir, user: userInfo().username };
  }, 120_000);

  afterAll(async () => {
    await up?.stop();
    if (local) rmSync(local, { recursive: true, force: true });
  });

  test('small files around chunk and block edges: one -put of many, -ls -R, -get, -cat', async () => {
    // 1 MiB blocks: 1 MiB + 1 spans two blocks, 3 MiB + 513 four.
    const sizes = [0, 1, 511, 512, 513, 65_536, MiB - 1, MiB, MiB + 1, 3 * MiB + 513];
    const src = join(local, 'small');
    mkdirSync(src);
    const files = sizes.map((n, i) => {
      const name = `f${String(i).padStart(2, '0')}-${n}`;
      const bytes = payload(n, i + 1);
      writeFileSync(join(src, name), bytes);
      return { name, n, bytes };
    });
    await javaStdout(fsShell(['-D', `dfs.blocksize=${MiB}`, '-mkdir', '-p', '/data/small'], as));
    await javaStdout(fsShell(['-D', `dfs.blocksize=${MiB}`, '-D', 'dfs.replication=3', '-put', ...files.map((f) => join(src, f.name)), '/data/small'], as));

    const listing = await javaStdout(fsShell(['-ls', '-R', '/data'], as));
    const lines = listing.trim().split('\n');
    expect(lines[0]).toMatch(/^drwxr-xr-x\s+- \S+ supergroup\s+0 \S+ \S+ \/data\/small$/);
    for (const f of files) {
      expect(listing).toMatch(new RegExp(`^-rw-r--r--\\s+3 \\S+ supergroup\\s+${f.n} \\S+ \\S+ /data/small/${f.name}$`, 'm'));
    }
    // -put wrote through a ._COPYING_ file and renamed it: nothing of that is left.
    expect(listing).not.toContain('_COPYING_');
    expect(lines).toHaveLength(files.length + 1);

    const back = join(local, 'small-back');
    await javaStdout(fsShell(['-get', '/data/small', back], as));
    expect(readdirSync(back).sort()).toEqual(files.map((f) => f.name).sort());
    for (const f of files) expect(readFileSync(join(back, f.name)).equals(f.bytes)).toBe(true);

    // -cat of every file in one run: their bytes one after the other.
    const catted = await fsShell(['-cat', ...files.map((f) => `/data/small/${f.name}`)], as);
    expect(catted.code).toBe(0);
    expect(catted.stdoutBytes.equals(Buffer.concat(files.map((f) => f.bytes)))).toBe(true);
  }, 120_000);

  test.each([1, 3])('a 300 MiB file in 64 MiB blocks at replication %i: -put, -ls, -get byte-exact', async (replication) => {
    await bigFileRoundTrip(as, local, `/data/big-r${replication}`, replication);
  }, 240_000);
});
