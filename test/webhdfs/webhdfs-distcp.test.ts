import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { hdfs, stdoutOf } from '../harness/go-hdfs';
import { fsShell, javaStdout, runJava, type JavaRunOptions } from '../harness/java-hadoop';
import { payload } from '../harness/payload';
import { upFleet, type UpFleet } from '../harness/up-fleet';

jest.setTimeout(240_000);

const BLOCK = 1 << 20;
/** Source files: path under /src → size (one several blocks long at the 1 MiB block size). */
const FILES: Readonly<Record<string, number>> = { 'a.bin': 300_000, 'sub/b.bin': 2_500_000, 'sub/deeper/c.txt': 17, 'empty': 0 };

/**
 * Hadoop's DistCp, run by the local MapReduce runner in the client JVM,
 * copying a tree from hdfs:// (Hadoop IPC through the balancer) to
 * webhdfs:// (the balancer's HTTP port): listing, two-step CREATEs through
 * the datanodes, and DistCp's own check of each copy's checksum
 * (GETFILECHECKSUM) against the source's. The copied bytes are then read
 * back with the Go client and compared.
 */
describe('distcp from hdfs:// to webhdfs:// with the Java client', () => {
  let up: UpFleet;
  let local: string;
  let as: JavaRunOptions;
  const user = userInfo().username;
  const go = (args: readonly string[]) => stdoutOf(hdfs(up.fleet.balancer, user, args));

  beforeAll(async () => {
    up = await upFleet('nnfleet-distcp', { namenodes: 2, datanodes: 3 });
    local = mkdtempSync(join(tmpdir(), 'nnfleet-distcp-'));
    as = { confDir: up.fleet.clientConfigDir, user, timeoutMs: 180_000 };
    await go(['mkdir', '-p', '/src/sub/deeper']);
    // Written by the Java client, as DistCp's own writes are (CRC32C chunks, 1 MiB blocks): DistCp compares
    // checksums only between files of the same checksum type and block size.
    for (const [name, size] of Object.entries(FILES)) {
      const file = join(local, name.replace(/\//g, '_'));
      writeFileSync(file, payload(size, size + 1));
      await javaStdout(fsShell(['-D', `dfs.blocksize=${BLOCK}`, '-put', file, `/src/${name}`], as));
    }
  });

  afterAll(async () => {
    await up?.stop();
    if (local) rmSync(local, { recursive: true, force: true });
  });

  test('every file arrives with the same bytes, and DistCp checked its checksums', async () => {
    const http = new URL(up.fleet.balancerHttp).host;
    await javaStdout(
      runJava(
        'org.apache.hadoop.tools.DistCp',
        ['-D', 'mapreduce.framework.name=local', '-D', `dfs.blocksize=${BLOCK}`, `hdfs://${up.fleet.balancer}/src`, `webhdfs://${http}/dst`],
        as,
      ),
    );
    for (const [name, size] of Object.entries(FILES)) {
      const copy = join(local, `copy_${name.replace(/\//g, '_')}`);
      await go(['get', `/dst/${name}`, copy]);
      expect([name, readFileSync(copy).equals(payload(size, size + 1))]).toEqual([name, true]);
    }
    // Blocks of 1 MiB: the big file was written as three blocks through WebHDFS.
    const locations = JSON.parse(await (await fetch(`${up.fleet.balancerHttp}/webhdfs/v1/dst/sub/b.bin?op=GETFILEBLOCKLOCATIONS&user.name=${user}`)).text()) as { BlockLocations: { BlockLocation: unknown[] } };
    expect(locations.BlockLocations.BlockLocation).toHaveLength(3);
  });
});
