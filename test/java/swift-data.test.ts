import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fsShell, javaStdout, type JavaRunOptions } from '../harness/java-hadoop';
import { bigFileRoundTrip } from '../harness/java-big-file';
import { upFleet, type UpFleet } from '../harness/up-fleet';

const run = promisify(execFile);

/**
 * The Apache Hadoop Java client's `hdfs dfs` against `nnfleet up
 * --block-store swift`: datanodes are gateways in front of a private Swift,
 * a 300 MiB file goes in and comes back byte for byte, one object per block.
 */
describe('Java hdfs dfs through Swift-backed datanodes', () => {
  let up: UpFleet;
  let local: string;
  let as: JavaRunOptions;
  let swiftList: (container: string) => Promise<string[]>;
  let container: string;

  beforeAll(async () => {
    up = await upFleet('nnjava-swift', { namenodes: 1, datanodes: 2, args: ['--block-store', 'swift'] });
    local = mkdtempSync(join(tmpdir(), 'nnjava-swift-local-'));
    as = { confDir: up.fleet.clientConfigDir, user: userInfo().username };
    const line = up.up.stdout().match(/^swift ready \S+ pid=\d+ auth=(\S+) container=(\S+) /m);
    if (!line?.[1] || !line[2]) throw new Error(`no swift line in:\n${up.up.stdout()}`);
    const auth = line[1];
    container = line[2];
    swiftList = async (c) =>
      (await run('/usr/bin/swift', ['-A', auth, '-U', 'test:tester', '-K', 'testing', 'list', c], { timeout: 30_000 })).stdout.split('\n').filter((l) => l !== '');
  }, 150_000);

  afterAll(async () => {
    await up?.stop();
    if (local) rmSync(local, { recursive: true, force: true });
  });

  test('a 300 MiB file in 64 MiB blocks: -put, -ls, -get byte-exact (sha256); swift list shows its 5 block objects', async () => {
    await javaStdout(fsShell(['-mkdir', '-p', '/data'], as));
    await bigFileRoundTrip(as, local, '/data/big', 1, async () => {
      const objects = await swiftList(container);
      expect(objects).toHaveLength(5);
      expect(objects.every((o) => /^blk_\d+_\d+$/.test(o))).toBe(true);
    });
  }, 400_000);
});
