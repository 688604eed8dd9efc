import { userInfo } from 'node:os';
import { fsShell, javaStdout, type JavaRunOptions } from '../harness/java-hadoop';
import { upFleet, type UpFleet } from '../harness/up-fleet';

/**
 * The Apache Hadoop Java client's `hdfs dfs -setfacl / -getfacl` against
 * `nnfleet up`, as users run them: a named entry lets alice in where bob
 * stays out, `-ls` marks an ACL with `+`, a default ACL is inherited by what
 * is made beneath it, and `-setfacl -b` takes the ACL away again.
 */
describe('Java hdfs dfs: ACLs', () => {
  let up: UpFleet;
  let root: string;
  const as = (user: string): JavaRunOptions => ({ confDir: up.fleet.clientConfigDir, user });
  const dfs = (user: string, ...args: string[]) => fsShell(args, as(user));
  const ok = (user: string, ...args: string[]) => javaStdout(dfs(user, ...args));
  const put = (user: string, text: string, dst: string) => fsShell(['-put', '-', dst], { ...as(user), input: text });
  const deniedTo = async (user: string, run: Promise<{ code: number; stderr: string }>) => {
    const r = await run;
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(new RegExp(`Permission denied: user=${user}, access=`));
  };

  beforeAll(async () => {
    up = await upFleet('nnjava-acl', { namenodes: 1, datanodes: 1 });
    root = userInfo().username;
  }, 120_000);
  afterAll(async () => {
    await up?.stop();
  });

  test('a named user entry lets alice read where bob is denied; -getfacl shows it; -setfacl -b removes it', async () => {
    await ok(root, '-mkdir', '-p', '/acl/shared');
    expect((await put(root, 'for alice\n', '/acl/shared/f')).code).toBe(0);
    await ok(root, '-chmod', '700', '/acl/shared');
    await ok(root, '-chmod', '600', '/acl/shared/f');
    await deniedTo('alice', dfs('alice', '-cat', '/acl/shared/f'));

    await ok(root, '-setfacl', '-m', 'user:alice:r-x', '/acl/shared');
    await ok(root, '-setfacl', '-m', 'user:alice:r--', '/acl/shared/f');
    expect(await ok('alice', '-cat', '/acl/shared/f')).toBe('for alice\n');
    await deniedTo('bob', dfs('bob', '-cat', '/acl/shared/f'));

    expect(await ok(root, '-getfacl', '/acl/shared/f')).toBe(
      [`# file: /acl/shared/f`, `# owner: ${root}`, '# group: supergroup', 'user::rw-', 'user:alice:r--', 'group::---', 'mask::r--', 'other::---', '', ''].join('\n'),
    );
    expect(await ok(root, '-ls', '/acl/shared')).toMatch(/^-rw-r-----\+\s+\d+ \S+ supergroup\s+10 .* \/acl\/shared\/f$/m);

    // chmod g-r sets the mask: alice's entry stays, but no longer grants.
    await ok(root, '-chmod', 'g-r', '/acl/shared/f');
    expect(await ok(root, '-getfacl', '/acl/shared/f')).toContain('user:alice:r--\t#effective:---');
    await deniedTo('alice', dfs('alice', '-cat', '/acl/shared/f'));

    await ok(root, '-setfacl', '-b', '/acl/shared/f');
    expect(await ok(root, '-ls', '/acl/shared')).toMatch(/^-rw-------\s+\d+ /m);
    await deniedTo('alice', dfs('alice', '-cat', '/acl/shared/f'));
  });

  test('a default ACL is inherited: bob writes in a directory made beneath it, alice does not; invalid specs are refused', async () => {
    await ok(root, '-mkdir', '-p', '/acl/inherit');
    await ok(root, '-setfacl', '-m', 'default:user:bob:rwx', '/acl/inherit');
    await ok(root, '-mkdir', '/acl/inherit/sub');
    const facl = await ok(root, '-getfacl', '/acl/inherit/sub');
    expect(facl).toContain('\nuser:bob:rwx\n');
    expect(facl).toContain('\ndefault:user:bob:rwx\n');
    // The umask does not apply under a default ACL: the group class gets rwx (the mask).
    expect(await ok(root, '-ls', '-d', '/acl/inherit/sub')).toMatch(/^drwxrwxr-x\+/m);

    expect((await put('bob', 'bob was here\n', '/acl/inherit/sub/bobs')).code).toBe(0);
    expect(await ok('bob', '-cat', '/acl/inherit/sub/bobs')).toBe('bob was here\n');
    await deniedTo('alice', put('alice', 'no\n', '/acl/inherit/sub/alices'));

    const bad = await dfs(root, '-setfacl', '-m', 'default:user:bob:rwx', '/acl/inherit/sub/bobs');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('Invalid ACL: only directories may have a default ACL.');
    expect((await ok(root, '-getfacl', '/acl/inherit/sub/bobs')).includes('default:')).toBe(false);
  });
});
