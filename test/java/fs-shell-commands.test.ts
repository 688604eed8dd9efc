import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { fsShell, fsShellBatch, javaStdout, type JavaResult, type JavaRunOptions } from '../harness/java-hadoop';
import { upFleet, type UpFleet } from '../harness/up-fleet';

const ME = userInfo().username;

/** Every result's exit code 0, or the failing commands with their stderr in the error. */
function expectAllOk(results: readonly JavaResult[], commands: readonly (readonly string[])[]): void {
  const failed = results.flatMap((r, i) => (r.code === 0 ? [] : [`${commands[i]!.join(' ')} → ${r.code}: ${r.stderr}`]));
  expect(failed).toEqual([]);
}

async function batch(commands: readonly (readonly string[])[], as: JavaRunOptions): Promise<JavaResult[]> {
  return fsShellBatch(commands, as);
}

/**
 * `hdfs dfs` commands a Hadoop user runs every day, from the real Java client
 * through haproxy, each with its output checked. Commands run several to a
 * JVM (FsShellBatch), each with its own configuration.
 */
describe('Java hdfs dfs commands against nnfleet', () => {
  let up: UpFleet;
  let local: string;
  let as: JavaRunOptions;
  let asBob: JavaRunOptions;

  beforeAll(async () => {
    up = await upFleet('nnjava-cmd', { namenodes: 2, datanodes: 3 });
    local = mkdtempSync(join(tmpdir(), 'nnjava-cmd-local-'));
    as = { confDir: up.fleet.clientConfigDir, user: ME };
    asBob = { ...as, user: 'bob' };
    writeFileSync(join(local, 'hello'), 'hello world\n');
    writeFileSync(join(local, 'part1'), 'one\n');
    writeFileSync(join(local, 'part2'), 'two\n');
    writeFileSync(join(local, 'empty'), '');
  }, 120_000);

  afterAll(async () => {
    await up?.stop();
    if (local) rmSync(local, { recursive: true, force: true });
  });

  test('-mkdir -p, -put, -touchz, -ls, -du, -count -q, -stat, -test', async () => {
    const cmds = [
      ['-mkdir', '-p', '/c/basic/sub'],
      ['-put', join(local, 'hello'), '/c/basic/hello'],
      ['-put', join(local, 'empty'), '/c/basic/sub/empty'],
      ['-touchz', '/c/basic/sub/touched'],
      ['-ls', '/c/basic'],
      ['-du', '/c/basic'],
      ['-du', '-s', '/c/basic'],
      ['-count', '-q', '/c/basic'],
      ['-count', '/c/basic'],
      ['-stat', '%n|%b|%r|%o|%F|%u|%g|%a|%A', '/c/basic/hello'],
      ['-stat', '%F|%b', '/c/basic/sub'],
      ['-test', '-e', '/c/basic/hello'],
      ['-test', '-f', '/c/basic/hello'],
      ['-test', '-d', '/c/basic/sub'],
      ['-test', '-s', '/c/basic/hello'],
      ['-test', '-z', '/c/basic/sub/touched'],
      ['-test', '-e', '/c/basic/nothing'],
      ['-test', '-d', '/c/basic/hello'],
      ['-test', '-z', '/c/basic/hello'],
    ];
    const r = await batch(cmds, as);
    expectAllOk(r.slice(0, 16), cmds);
    expect(r.slice(16).map((x) => x.code)).toEqual([1, 1, 1]);
    const ls = r[4]!.stdout;
    expect(ls).toMatch(/^Found 2 items$/m);
    expect(ls).toMatch(new RegExp(`^-rw-r--r--\\s+3 ${ME} supergroup\\s+12 \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d /c/basic/hello$`, 'm'));
    expect(ls).toMatch(new RegExp(`^drwxr-xr-x\\s+- ${ME} supergroup\\s+0 \\S+ \\S+ /c/basic/sub$`, 'm'));
    // -du: length, then space consumed with all replicas.
    expect(r[5]!.stdout).toMatch(/^12\s+36\s+\/c\/basic\/hello$/m);
    expect(r[5]!.stdout).toMatch(/^0\s+0\s+\/c\/basic\/sub$/m);
    expect(r[6]!.stdout.trim()).toMatch(/^12\s+36\s+\/c\/basic$/);
    // -count -q: no quotas (none/inf), 2 directories, 3 files, 12 bytes.
    expect(r[7]!.stdout.trim().split(/\s+/)).toEqual(['none', 'inf', 'none', 'inf', '2', '3', '12', '/c/basic']);
    expect(r[8]!.stdout.trim().split(/\s+/)).toEqual(['2', '3', '12', '/c/basic']);
    expect(r[9]!.stdout.trim()).toBe(`hello|12|3|134217728|regular file|${ME}|supergroup|644|rw-r--r--`);
    expect(r[10]!.stdout.trim()).toBe('directory|0');
  }, 120_000);

  test('-cp, -mv, -getmerge, -appendToFile, -truncate -w, -cat', async () => {
    const merged = join(local, 'merged');
    const cmds = [
      ['-mkdir', '-p', '/c/data/parts'],
      ['-put', join(local, 'part1'), join(local, 'part2'), '/c/data/parts'],
      ['-cp', '/c/data/parts/part1', '/c/data/copy1'],
      ['-mv', '/c/data/parts/part2', '/c/data/moved2'],
      ['-ls', '-R', '/c/data'],
      ['-getmerge', '/c/data/parts', merged],
      ['-appendToFile', join(local, 'hello'), join(local, 'part2'), '/c/data/copy1'],
      ['-cat', '/c/data/copy1'],
      ['-truncate', '-w', '5', '/c/data/copy1'],
      ['-cat', '/c/data/copy1'],
      ['-stat', '%b', '/c/data/copy1'],
      ['-cat', '/c/data/moved2', '/c/data/parts/part1'],
    ];
    const r = await batch(cmds, as);
    expectAllOk(r, cmds);
    const lsr = r[4]!.stdout;
    expect(lsr).toMatch(/ \/c\/data\/copy1$/m);
    expect(lsr).toMatch(/ \/c\/data\/moved2$/m);
    expect(lsr).toMatch(/ \/c\/data\/parts\/part1$/m);
    expect(lsr).not.toMatch(/\/c\/data\/parts\/part2$/m);
    expect(lsr).not.toContain('_COPYING_');
    expect(readFileSync(merged, 'utf8')).toBe('one\n');
    expect(r[7]!.stdout).toBe('one\nhello world\ntwo\n');
    expect(r[8]!.stdout).toMatch(/Truncated \/c\/data\/copy1 to length: 5/);
    expect(r[9]!.stdout).toBe('one\nh');
    expect(r[10]!.stdout.trim()).toBe('5');
    expect(r[11]!.stdout).toBe('two\none\n');
  }, 120_000);

  test('-cp -ptopx keeps times, owner, permission and xattrs; -mv into a directory; -mv onto an existing file is refused', async () => {
    const cmds = [
      ['-mkdir', '-p', '/c/keep/src', '/c/keep/dst'],
      ['-put', join(local, 'hello'), '/c/keep/src/a'],
      ['-chmod', '600', '/c/keep/src/a'],
      ['-setfattr', '-n', 'user.k', '-v', 'v', '/c/keep/src/a'],
      ['-chown', 'alice:staff', '/c/keep/src/a'],
      ['-cp', '-ptopx', '/c/keep/src/a', '/c/keep/dst/a'],
      ['-stat', '%a %u %g %Y %b', '/c/keep/src/a'],
      ['-stat', '%a %u %g %Y %b', '/c/keep/dst/a'],
      ['-getfattr', '-d', '/c/keep/dst/a'],
      ['-mv', '/c/keep/src/a', '/c/keep/dst'],
      ['-put', join(local, 'part1'), '/c/keep/src/b'],
      ['-mv', '/c/keep/src/b', '/c/keep/dst'],
      ['-ls', '-C', '-R', '/c/keep'],
    ];
    const r = await batch(cmds, as);
    expectAllOk(r.slice(0, 9), cmds);
    expect(r[6]!.stdout.trim()).toMatch(/^600 alice staff \d+ 12$/);
    expect(r[7]!.stdout).toBe(r[6]!.stdout);
    expect(r[8]!.stdout).toBe('# file: /c/keep/dst/a\nuser.k="v"\n');
    expect(r[9]!.code).toBe(1);
    expect(r[9]!.stderr).toContain("mv: `/c/keep/dst/a': File exists");
    expect(r[11]!.code).toBe(0);
    expect(r[12]!.stdout).toBe('/c/keep/dst\n/c/keep/dst/a\n/c/keep/dst/b\n/c/keep/src\n/c/keep/src/a\n');
  }, 120_000);

  test('-chmod -R and -chown -R change the whole tree; another user is denied and changes nothing', async () => {
    const setup = [
      ['-mkdir', '-p', '/c/perm/a/b'],
      ['-touchz', '/c/perm/a/f', '/c/perm/a/b/g'],
      ['-chmod', '-R', '751', '/c/perm'],
      ['-chown', '-R', 'alice:staff', '/c/perm/a'],
      ['-ls', '-R', '/c/perm'],
    ];
    const r = await batch(setup, as);
    expectAllOk(r, setup);
    const lines = r[4]!.stdout.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^drwxr-x--x\s+- alice staff\s+0 \S+ \S+ \/c\/perm\/a$/);
    expect(lines.filter((l) => / alice staff /.test(l) && /^[-d]rwxr-x--x/.test(l))).toHaveLength(4);

    const denied = await batch([['-chmod', '777', '/c/perm/a/f'], ['-chown', 'bob', '/c/perm/a/f'], ['-put', join(local, 'hello'), '/c/perm/a/bobs']], asBob);
    expect(denied.map((d) => d.code)).toEqual([1, 1, 1]);
    expect(denied[0]!.stderr).toContain("chmod: changing permissions of '/c/perm/a/f': Permission denied. user=bob is not the owner of inode=/c/perm/a/f");
    expect(denied[1]!.stderr).toContain("chown: changing ownership of '/c/perm/a/f': Permission denied. user=bob is not the owner of inode=/c/perm/a/f");
    expect(denied[2]!.stderr).toContain('put: Permission denied: user=bob, access=WRITE, inode="/c/perm/a":alice:staff:drwxr-x--x');
    const after = await javaStdout(fsShell(['-ls', '-R', '/c/perm'], as));
    expect(after).toBe(r[4]!.stdout);
  }, 120_000);

  test('-setrep -w waits until the datanodes hold the new number of replicas', async () => {
    const cmds = [
      ['-D', 'dfs.replication=1', '-put', join(local, 'hello'), '/c/rep'],
      ['-stat', '%r', '/c/rep'],
      ['-setrep', '-w', '3', '/c/rep'],
      ['-stat', '%r', '/c/rep'],
      ['-setrep', '-w', '2', '/c/rep'],
      ['-cat', '/c/rep'],
    ];
    const r = await batch(cmds, as);
    expectAllOk(r, cmds);
    expect(r[1]!.stdout.trim()).toBe('1');
    expect(r[2]!.stdout).toMatch(/Replication 3 set: \/c\/rep[\s\S]*done/);
    expect(r[3]!.stdout.trim()).toBe('3');
    expect(r[4]!.stdout).toMatch(/Replication 2 set: \/c\/rep[\s\S]*done/);
    expect(r[5]!.stdout).toBe('hello world\n');
  }, 180_000);

  test('-rm -r with fs.trash.interval moves to .Trash; -skipTrash deletes; -expunge checkpoints', async () => {
    const trash = ['-D', 'fs.trash.interval=60'];
    const cmds = [
      ['-mkdir', '-p', '/c/trash/dir/sub'],
      ['-put', join(local, 'hello'), '/c/trash/dir/sub/f'],
      ['-touchz', '/c/trash/gone'],
      [...trash, '-rm', '-r', '/c/trash/dir'],
      ['-ls', '-R', `/user/${ME}/.Trash/Current/c/trash`],
      [...trash, '-rm', '-skipTrash', '/c/trash/gone'],
      ['-test', '-e', '/c/trash/gone'],
      ['-test', '-e', '/c/trash/dir'],
      ['-cat', `/user/${ME}/.Trash/Current/c/trash/dir/sub/f`],
      [...trash, '-expunge'],
      ['-ls', `/user/${ME}/.Trash`],
      [...trash, '-rm', '/c/trash'],
    ];
    const r = await batch(cmds, as);
    expectAllOk(r.slice(0, 6), cmds);
    expect(r[4]!.stdout).toMatch(/ \/user\/\S+\/\.Trash\/Current\/c\/trash\/dir\/sub\/f$/m);
    expect(r[5]!.stdout).toMatch(/^Deleted \/c\/trash\/gone$/m);
    expect([r[6]!.code, r[7]!.code]).toEqual([1, 1]);
    expect(r[8]!.stdout).toBe('hello world\n');
    // -expunge turns Current into a timestamped checkpoint.
    expect(r[9]!.code).toBe(0);
    expect(r[10]!.stdout).toMatch(new RegExp(`/user/${ME}/\\.Trash/\\d{12}$`, 'm'));
    expect(r[10]!.stdout).not.toMatch(/\.Trash\/Current$/m);
    // A directory without -r is refused.
    expect(r[11]!.code).toBe(1);
    expect(r[11]!.stderr).toContain("rm: `/c/trash': Is a directory");
  }, 120_000);

  test('-setfattr / -getfattr: set, dump, one by name, remove', async () => {
    const cmds = [
      ['-touchz', '/c/xattr'],
      ['-setfattr', '-n', 'user.color', '-v', 'blue', '/c/xattr'],
      ['-setfattr', '-n', 'user.size', '-v', '0x0102ff', '/c/xattr'],
      ['-getfattr', '-d', '/c/xattr'],
      ['-getfattr', '-n', 'user.color', '/c/xattr'],
      ['-getfattr', '-d', '-e', 'hex', '/c/xattr'],
      ['-setfattr', '-x', 'user.color', '/c/xattr'],
      ['-getfattr', '-d', '/c/xattr'],
    ];
    const r = await batch(cmds, as);
    expectAllOk(r, cmds);
    expect(r[3]!.stdout).toContain('# file: /c/xattr\n');
    expect(r[3]!.stdout).toContain('user.color="blue"\n');
    expect(r[4]!.stdout).toBe('# file: /c/xattr\nuser.color="blue"\n');
    expect(r[5]!.stdout).toContain('user.size=0x0102ff\n');
    expect(r[7]!.stdout).not.toContain('user.color');
    expect(r[7]!.stdout).toContain('user.size=');
  }, 120_000);

  test('failing commands answer HDFS errors and leave the namespace as it was', async () => {
    const cmds = [
      ['-mkdir', '-p', '/c/err/d'],
      ['-touchz', '/c/err/f'],
      ['-ls', '-R', '/c/err'],
      ['-cat', '/c/err/nothing'],
      ['-mv', '/c/err/f', '/c/err/no/such/dir/f'],
      ['-mkdir', '/c/err/f/under-a-file'],
      ['-rm', '/c/err/d'],
      ['-cp', '/c/err/f', '/c/err/d/..', '/c/err/f'],
      ['-put', join(local, 'hello'), '/c/err/f'],
      ['-ls', '-R', '/c/err'],
    ];
    const r = await batch(cmds, as);
    expect(r.slice(3, 9).map((x) => x.code)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(r[3]!.stderr).toContain("cat: `/c/err/nothing': No such file or directory");
    expect(r[4]!.stderr).toContain("mv: `/c/err/no/such/dir/f': No such file or directory");
    expect(r[6]!.stderr).toContain("rm: `/c/err/d': Is a directory");
    expect(r[8]!.stderr).toContain("put: `/c/err/f': File exists");
    expect(r[9]!.stdout).toBe(r[2]!.stdout);
  }, 120_000);
});
