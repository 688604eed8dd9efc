import { hdfs, stdoutOf } from '../harness/go-hdfs';
import { namenodeFixture, type NamenodeFixture } from '../harness/namenode-fixture';

let f: NamenodeFixture;
beforeAll(async () => {
  f = await namenodeFixture('e2ego');
});
afterAll(() => f.close());

const as = (user: string) => (...args: string[]) => hdfs(f.address, user, args);
const su = (...args: string[]) => as(f.superuser)(...args);
const alice = as('alice');
const ok = stdoutOf;

test('mkdir -p, ls -l, ls -a', async () => {
  await ok(su('mkdir', '-p', '/e2e/a/b/c'));
  const l = await ok(su('ls', '-l', '/e2e/a'));
  expect(l).toMatch(/^drwxr-xr-x\s+\S+\s+supergroup\s+0\s.*\sb$/m);
  const a = await ok(su('ls', '-a', '/e2e/a'));
  expect(a.split('\n')).toEqual(expect.arrayContaining(['b']));
  expect(await ok(su('ls', '/e2e/a/b'))).toBe('c\n');
});

test('touch, mv, rm -r', async () => {
  await ok(su('mkdir', '-p', '/e2e/t'));
  await ok(su('touch', '/e2e/t/f1'));
  expect(await ok(su('ls', '/e2e/t'))).toBe('f1\n');
  await ok(su('mv', '/e2e/t/f1', '/e2e/t/f2'));
  expect(await ok(su('ls', '/e2e/t'))).toBe('f2\n');
  await ok(su('mkdir', '/e2e/t/sub'));
  await ok(su('mv', '/e2e/t/f2', '/e2e/t/sub'));
  expect(await ok(su('ls', '/e2e/t/sub'))).toBe('f2\n');
  await ok(su('rm', '-r', '/e2e/t'));
  const r = await su('ls', '/e2e/t');
  expect(r.code).not.toBe(0);
  expect(r.stderr).toMatch(/file does not exist|no such file or directory/i);
});

test('chmod -R and chown', async () => {
  await ok(su('mkdir', '-p', '/e2e/p/q'));
  await ok(su('touch', '/e2e/p/q/f'));
  await ok(su('chmod', '-R', '700', '/e2e/p'));
  expect(await ok(su('ls', '-l', '/e2e/p/q'))).toMatch(/^-rwx------ /m);
  await ok(su('chown', 'alice:staff', '/e2e/p/q/f'));
  expect(await ok(su('ls', '-l', '/e2e/p/q'))).toMatch(/^-rwx------\s+alice\s+staff\s/m);
});

test('du -s', async () => {
  await ok(su('mkdir', '-p', '/e2e/du/x'));
  await ok(su('touch', '/e2e/du/x/f'));
  expect(await ok(su('du', '-s', '/e2e/du'))).toMatch(/^0\s+\/e2e\/du/m);
});

test('errors: ls of a missing path, mkdir under a file, rm of a non-empty dir', async () => {
  const missing = await su('ls', '/e2e/missing');
  expect(missing.code).not.toBe(0);
  expect(missing.stderr).toMatch(/file does not exist|no such file or directory/i);

  await ok(su('mkdir', '-p', '/e2e/err'));
  await ok(su('touch', '/e2e/err/file'));
  const under = await su('mkdir', '/e2e/err/file/sub');
  expect(under.code).not.toBe(0);
  expect(under.stderr).toMatch(/not a directory|ParentNotDirectory/i);

  await ok(su('mkdir', '-p', '/e2e/err/full/x'));
  const rm = await su('rm', '/e2e/err/full');
  expect(rm.code).not.toBe(0);
  expect(rm.stderr).toMatch(/not empty|directory/i);
  expect(await ok(su('ls', '/e2e/err/full'))).toBe('x\n');
});

test('permission denied for a non-owner', async () => {
  await ok(su('mkdir', '-p', '/e2e/locked'));
  const r = await alice('mkdir', '/e2e/locked/mine');
  expect(r.code).not.toBe(0);
  expect(r.stderr).toMatch(/permission denied/i);
  await ok(su('chmod', '777', '/e2e/locked'));
  await ok(alice('mkdir', '/e2e/locked/mine'));
  expect(await ok(alice('ls', '-l', '/e2e/locked'))).toMatch(/^drwxr-xr-x\s+alice\s+supergroup\s/m);
});
