import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { fsShell, javaStdout, type JavaRunOptions } from '../harness/java-hadoop';
import { bigFileRoundTrip } from '../harness/java-big-file';
import { swiftOfUp, upFleet, type UpFleet, type UpSwift } from '../harness/up-fleet';

/**
 * The Apache Hadoop Java client's `hdfs dfs` against `nnfleet up
 * --block-store swift`: datanodes are gateways in front of a private Swift,
 * a 300 MiB file goes in and comes back byte for byte, one object per block.
 */
describe('Java hdfs dfs through Swift-backed datanodes', () => {
  let up: UpFleet;
  let local: string;
  let as: JavaRunOptions;
  let swift: UpSwift;

  beforeAll(async () => {
    up = await upFleet('nnjava-swift', { namenodes: 1, datanodes: 2, args: ['--block-store', 'swift'] });
    local = mkdtempSync(join(tmpdir(), 'nnjava-swift-local-'));
    as = { confDir: up.fleet.clientConfigDir, user: userInfo().username };
    swift = swiftOfUp(up);
  }, 150_000);

  afterAll(async () => {
    await up?.stop();
    if (local) rmSync(local, { recursive: true, force: true });
  });

  test('a 300 MiB file in 64 MiB blocks: -put, -ls, -get byte-exact (sha256); swift list shows its 5 block objects', async () => {
    await javaStdout(fsShell(['-mkdir', '-p', '/data'], as));
    await bigFileRoundTrip(as, local, '/data/big', 1, async () => {
      const objects = await swift.list(swift.container);
      expect(objects).toHaveLength(5);
      expect(objects.every((o) => /^blk_\d+_\d+$/.test(o))).toBe(true);
    });
  }, 400_000);
});
