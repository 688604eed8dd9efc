import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { fsShellBatch, type JavaResult, type JavaRunOptions } from '../harness/java-hadoop';
import { payload } from '../harness/payload';
import { upFleet, type UpFleet } from '../harness/up-fleet';

const ME = userInfo().username;

/**
 * Hadoop's own Java client with `webhdfs://` (WebHdfsFileSystem) through
 * the fleet's haproxy HTTP port, as a user points `hdfs dfs` at it: every
 * byte goes through the namenodes' 307 redirects to the datanodes' WebHDFS
 * endpoints.
 */
describe('Java hdfs dfs over webhdfs://', () => {
  let up: UpFleet;
  let local: string;
  let as: JavaRunOptions;
  let W: string;
  const big = payload(2_600_000, 11);

  beforeAll(async () => {
    up = await upFleet('webhdfs-java', { namenodes: 2, datanodes: 3 });
    W = `webhdfs://${new URL(up.fleet.balancerHttp).host}`;
    local = mkdtempSync(join(tmpdir(), 'webhdfs-java-'));
    as = { confDir: up.fleet.clientConfigDir, user: ME };
    writeFileSync(join(local, 'hello'), 'hello world\n');
    writeFileSync(join(local, 'big'), big);
  }, 120_000);

  afterAll(async () => {
    await up?.stop();
    if (local) rmSync(local, { recursive: true, force: true });
  });

  const expectOk = (results: readonly JavaResult[], commands: readonly (readonly string[])[]) =>
    expect(results.flatMap((r, i) => (r.code === 0 ? [] : [`${commands[i]!.join(' ')} → ${r.code}: ${r.stderr}`]))).toEqual([]);

  test('-mkdir -p, -put (one block and several), -ls, -cat, -get, -mv, -chmod, -stat, -rm -r', async () => {
    const cmds = [
      ['-mkdir', '-p', `${W}/w/dir/sub`],
      ['-put', join(local, 'hello'), `${W}/w/dir/hello`],
      ['-D', 'dfs.blocksize=1048576', '-put', join(local, 'big'), `${W}/w/dir/big`],
      ['-ls', `${W}/w/dir`],
      ['-cat', `${W}/w/dir/hello`],
      ['-get', `${W}/w/dir/big`, join(local, 'big.back')],
      ['-mv', `${W}/w/dir/hello`, `${W}/w/dir/sub/moved`],
      ['-chmod', '600', `${W}/w/dir/sub/moved`],
      ['-stat', '%a %b %n %o', `${W}/w/dir/sub/moved`, `${W}/w/dir/big`],
      ['-ls', '-R', `${W}/w`],
      ['-checksum', `${W}/w/dir/big`],
      ['-checksum', '/w/dir/big'],
    ];
    const r = await fsShellBatch(cmds, as);
    expectOk(r, cmds);
    const ls = r[3]!.stdout;
    expect(ls).toMatch(/^Found 3 items$/m);
    expect(ls).toMatch(new RegExp(`^-rw-r--r--\\s+3 ${ME}\\s+\\S+\\s+2600000 .* ${W}/w/dir/big$`, 'm'));
    expect(ls).toMatch(new RegExp(`^-rw-r--r--\\s+3 ${ME}\\s+\\S+\\s+12 .* ${W}/w/dir/hello$`, 'm'));
    expect(ls).toMatch(new RegExp(`^drwxr-xr-x\\s+- ${ME}\\s+\\S+\\s+0 .* ${W}/w/dir/sub$`, 'm'));
    expect(r[4]!.stdout).toBe('hello world\n');
    expect(readFileSync(join(local, 'big.back')).equals(big)).toBe(true);
    expect(r[8]!.stdout).toBe(`600 12 moved 134217728\n644 2600000 big 1048576\n`);
    expect(r[9]!.stdout).toMatch(new RegExp(`${W}/w/dir/sub/moved$`, 'm'));
    // The datanode's GETFILECHECKSUM is the checksum the Java client computes itself over hdfs://.
    const overWebhdfs = r[10]!.stdout.split('\t').slice(1);
    expect(overWebhdfs[0]).toBe('MD5-of-2048MD5-of-512CRC32C');
    expect(overWebhdfs).toEqual(r[11]!.stdout.split('\t').slice(1));

    const rm = [
      ['-rm', '-r', `${W}/w/dir`],
      ['-test', '-e', `${W}/w/dir`],
      ['-ls', `${W}/w/nope`],
    ];
    const r2 = await fsShellBatch(rm, as);
    expect([r2[0]!.code, r2[0]!.stderr]).toEqual([0, ""]);
    expect(r2[0]!.stdout).toMatch(/Deleted .*\/w\/dir/);
    expect(r2[1]!.code).toBe(1);
    // FileNotFoundException over WebHDFS, rethrown by the client as the same class.
    expect(r2[2]!.code).toBe(1);
    expect(r2[2]!.stderr).toMatch(/No such file or directory/);
  });

  test('a permission refusal reaches the Java client as AccessControlException', async () => {
    const cmds = [['-mkdir', `${W}/locked`], ['-chmod', '700', `${W}/locked`]];
    expectOk(await fsShellBatch(cmds, as), cmds);
    const [r] = await fsShellBatch([['-put', join(local, 'hello'), `${W}/locked/x`]], { ...as, user: 'bob' });
    expect(r!.code).toBe(1);
    expect(r!.stderr).toMatch(/Permission denied: user=bob, access=EXECUTE/);
  });

  test('-appendToFile, -touchz, -setfattr/-getfattr, -setfacl/-getfacl, -count -q, -du -s, -setrep, -truncate', async () => {
    const cmds = [
      ['-mkdir', `${W}/x`],
      ['-put', join(local, 'hello'), `${W}/x/f`],
      ['-appendToFile', join(local, 'hello'), `${W}/x/f`],
      ['-cat', `${W}/x/f`],
      ['-touchz', `${W}/x/empty`],
      ['-test', '-z', `${W}/x/empty`],
      ['-setfattr', '-n', 'user.color', '-v', 'blue', `${W}/x/f`],
      ['-getfattr', '-d', `${W}/x/f`],
      ['-setfacl', '-m', 'user:bob:r-x', `${W}/x`],
      ['-getfacl', `${W}/x`],
      ['-count', '-q', `${W}/x`],
      ['-du', '-s', `${W}/x`],
      ['-setrep', '2', `${W}/x/f`],
      ['-truncate', '-w', '5', `${W}/x/f`],
      ['-cat', `${W}/x/f`],
    ];
    const r = await fsShellBatch(cmds, as);
    expectOk(r, cmds);
    expect(r[3]!.stdout).toBe('hello world\nhello world\n');
    expect(r[7]!.stdout).toContain('user.color="blue"');
    expect(r[9]!.stdout).toContain('user:bob:r-x');
    expect(r[10]!.stdout).toMatch(/^\s+none\s+inf\s+none\s+inf\s+1\s+2\s+24 /);
    expect(r[11]!.stdout).toMatch(/^24\s+/);
    expect(r[14]!.stdout).toBe('hello');
  });
});
