import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { fsShell, javaProgram, javaStdout, storagePolicyAdmin, type JavaRunOptions } from '../harness/java-hadoop';
import { payload } from '../harness/payload';
import { upFleet, type UpFleet } from '../harness/up-fleet';

const MiB = 1 << 20;

/**
 * Hadoop's Java client on nnfleet for symlinks (FileContext resolves them
 * from the namenode's UnresolvedPathException), `hdfs dfs -concat` and
 * `hdfs storagepolicies`, as a user runs them.
 */
describe('Java client: symlinks, -concat, storage policies', () => {
  let up: UpFleet;
  let local: string;
  let as: JavaRunOptions;

  beforeAll(async () => {
    up = await upFleet('nnjava-links', { namenodes: 1, datanodes: 1 });
    local = mkdtempSync(join(tmpdir(), 'nnjava-links-local-'));
    as = { confDir: up.fleet.clientConfigDir, user: userInfo().username };
  }, 120_000);

  afterAll(async () => {
    await up?.stop();
    if (local) rmSync(local, { recursive: true, force: true });
  });

  test('FileContext creates, reads through, writes through, lists and deletes symlinks', async () => {
    const out = await javaStdout(javaProgram('SymlinkCheck', ['/sym'], as));
    const values = Object.fromEntries(out.trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    expect(values).toEqual({
      'linkStatus.isSymlink': 'true',
      'linkStatus.symlink': '/sym/real',
      linkTarget: '/sym/real',
      'followed.isDirectory': 'true',
      readThroughLink: 'hello',
      readRelativeLink: 'hello',
      writtenThroughLink: 'world',
      listing: 'link@ real rel@',
      // DFSClient unwraps only the classes it names; HDFS's IOException arrives as the RemoteException itself.
      again: 'org.apache.hadoop.ipc.RemoteException: failed to create link /sym/link either because the filename is invalid or the file exists',
      deleteLink: 'true',
      realAfterDelete: 'true,world',
    });
  });

  test('hdfs dfs -concat appends the sources in order, byte for byte, and removes them', async () => {
    const parts = [payload(MiB + 17, 1), payload(2 * MiB, 2), payload(5000, 3)];
    parts.forEach((bytes, i) => writeFileSync(join(local, `part${i}`), bytes));
    await javaStdout(fsShell(['-mkdir', '-p', '/cat', '/elsewhere'], as));
    await javaStdout(fsShell(['-D', `dfs.blocksize=${MiB}`, '-put', ...parts.map((_, i) => join(local, `part${i}`)), '/cat'], as));
    await javaStdout(fsShell(['-D', `dfs.blocksize=${MiB}`, '-put', join(local, 'part2'), '/elsewhere/other'], as));

    // A source in another directory: refused with HDFS's message, nothing changed.
    const refused = await fsShell(['-concat', '/cat/part0', '/cat/part2', '/elsewhere/other'], as);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('Source file /elsewhere/other is not in the same directory with the target /cat/part0');

    expect(await javaStdout(fsShell(['-ls', '-C', '/cat', '/elsewhere'], as))).toBe('/cat/part0\n/cat/part1\n/cat/part2\n/elsewhere/other\n');

    await javaStdout(fsShell(['-concat', '/cat/part0', '/cat/part2', '/cat/part1'], as));
    await javaStdout(fsShell(['-get', '/cat/part0', join(local, 'joined')], as));
    expect(readFileSync(join(local, 'joined')).equals(Buffer.concat([parts[0]!, parts[2]!, parts[1]!]))).toBe(true);
    expect(await javaStdout(fsShell(['-ls', '-C', '/cat'], as))).toBe('/cat/part0\n');
  });

  test('hdfs storagepolicies -listPolicies, -setStoragePolicy, -getStoragePolicy, -unsetStoragePolicy', async () => {
    const list = await javaStdout(storagePolicyAdmin(['-listPolicies'], as));
    expect(list).toContain('BlockStoragePolicy{HOT:7, storageTypes=[DISK], creationFallbacks=[], replicationFallbacks=[ARCHIVE]}');
    expect(list).toContain('BlockStoragePolicy{ALL_NVDIMM:14, storageTypes=[NVDIMM], creationFallbacks=[DISK], replicationFallbacks=[DISK]}');
    expect(list.match(/BlockStoragePolicy\{/g)).toHaveLength(8);

    await javaStdout(fsShell(['-mkdir', '-p', '/pol/sub'], as));
    expect(await javaStdout(storagePolicyAdmin(['-getStoragePolicy', '-path', '/pol/sub'], as))).toContain('The storage policy of /pol/sub is unspecified');
    expect(await javaStdout(storagePolicyAdmin(['-setStoragePolicy', '-path', '/pol', '-policy', 'COLD'], as))).toContain('Set storage policy COLD on /pol');
    expect(await javaStdout(storagePolicyAdmin(['-getStoragePolicy', '-path', '/pol/sub'], as))).toContain(
      'The storage policy of /pol/sub:\nBlockStoragePolicy{COLD:2, storageTypes=[ARCHIVE], creationFallbacks=[], replicationFallbacks=[]}',
    );
    const unknown = await storagePolicyAdmin(['-setStoragePolicy', '-path', '/pol', '-policy', 'TEPID'], as);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('Cannot find a block policy with the name TEPID');
    await javaStdout(storagePolicyAdmin(['-unsetStoragePolicy', '-path', '/pol'], as));
    expect(await javaStdout(storagePolicyAdmin(['-getStoragePolicy', '-path', '/pol/sub'], as))).toContain('is unspecified');
  });
});
