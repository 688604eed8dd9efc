import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fsShell, javaStdout, type JavaRunOptions } from '../harness/java-hadoop';
import { upFleet, type UpFleet } from '../harness/up-fleet';

const run = promisify(execFile);
const MiB = 1 << 20;

async function sha256(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

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
    const src = join(local, 'big');
    writeFileSync(src, randomBytes(300 * MiB));
    const path = '/data/big';
    await javaStdout(fsShell(['-D', `dfs.blocksize=${64 * MiB}`, '-mkdir', '-p', '/data'], as));
    await javaStdout(fsShell(['-D', `dfs.blocksize=${64 * MiB}`, '-D', 'dfs.replication=1', '-put', src, path], as));
    const ls = await javaStdout(fsShell(['-ls', path], as));
    expect(ls.trim()).toMatch(new RegExp(`^-rw-r--r--\\s+1 \\S+ supergroup\\s+${300 * MiB} \\S+ \\S+ ${path}$`));
    const objects = await swiftList(container);
    expect(objects).toHaveLength(5);
    expect(objects.every((o) => /^blk_\d+_\d+$/.test(o))).toBe(true);
    const back = `${src}.back`;
    await javaStdout(fsShell(['-get', path, back], as));
    expect(statSync(back).size).toBe(300 * MiB);
    expect(await sha256(back)).toBe(await sha256(src));
    rmSync(back);
    rmSync(src);
  }, 400_000);
});
