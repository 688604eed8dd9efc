import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { hdfs, type HdfsResult } from '../harness/go-hdfs';
import { payload } from '../harness/payload';
import { expectAllGone, runCli, type CliRun } from './cli-process';
import { allPids, parseFleetOutput } from './fleet-output';

const run = promisify(execFile);
const USER = userInfo().username;
const START_MS = 120_000;
const BLOCK = 1024 * 1024;
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/**
 * `nnfleet up --block-store swift`: a private all-in-one Swift (TempAuth,
 * memcached) next to the private MariaDB, datanodes as Swift gateways; the
 * Go client writes and reads byte-exact and `swift list` shows one object
 * per block.
 */
describe('nnfleet up --block-store swift', () => {
  let dir: string;
  let up: CliRun | undefined;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'nnups-'));
  });
  afterAll(async () => {
    if (up && up.child.exitCode === null && up.child.signalCode === null) {
      up.child.kill('SIGKILL');
      await up.exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  async function ok(namenode: string, args: string[]): Promise<HdfsResult> {
    const r = await hdfs(namenode, USER, args);
    if (r.code !== 0) throw new Error(`hdfs ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
    return r;
  }

  it(
    'starts Swift and Swift-backed datanodes; the Go client writes and reads byte-exact; one object per block; SIGTERM stops Swift too',
    async () => {
      up = runCli(
        ['up', '--data-dir', dir, '--rpc-port', '0', '--http-port', '0', '--namenodes', '1', '--datanodes', '2', '--block-store', 'swift', '-D', `blockSize=${BLOCK}`, '-D', 'minBlockSize=0'],
        { NNFLEET_LOG_LEVEL: 'warn' },
      );
      await up.waitFor(/^ready hdfs:/m, START_MS);
      const out = up.stdout();
      const swiftLine = out.match(/^swift ready (\S+) pid=(\d+) auth=(\S+) container=(\S+) credentials=(\S+) dir=(\S+)$/m);
      if (!swiftLine) throw new Error(`no swift line in:\n${out}`);
      const [, , swiftPid, authUrl, container] = swiftLine;
      const f = parseFleetOutput(out);
      expect(f.pids.datanodes).toHaveLength(2);

      const size = 3 * BLOCK + 4321;
      const local = join(dir, 'in');
      const back = join(dir, 'back');
      writeFileSync(local, payload(size, 7));
      await ok(f.balancer, ['put', local, '/f']);
      await ok(f.balancer, ['get', '/f', back]);
      expect(sha(readFileSync(back))).toBe(sha(readFileSync(local)));

      const swiftCli = async (args: string[]): Promise<string> =>
        (await run('/usr/bin/swift', ['-A', authUrl ?? '', '-U', 'test:tester', '-K', 'testing', ...args], { timeout: 30_000 })).stdout;
      const objects = (await swiftCli(['list', container ?? ''])).split('\n').filter((l) => l !== '');
      expect(objects).toHaveLength(4);
      expect(objects.every((o) => /^blk_\d+_\d+$/.test(o))).toBe(true);
      // The datanodes kept no local replica: the bytes are in Swift only.
      const { stdout: localBlocks } = await run('find', [join(dir, 'datanodes'), '-name', 'blk_*', '-not', '-path', '*swift-staging*']);
      expect(localBlocks).toBe('');

      up.child.kill('SIGTERM');
      expect(await up.exited).toBe(0);
      await expectAllGone([...allPids(f), Number(swiftPid)]);
    },
    START_MS + 120_000,
  );
});
