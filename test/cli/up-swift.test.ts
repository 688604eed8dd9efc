import { readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { hdfs, type HdfsResult } from '../harness/go-hdfs';
import { payload } from '../harness/payload';
import { execProcess as run } from '../harness/process-fixture';
import { swiftOfUp, upFleet } from '../harness/up-fleet';
import { expectAllGone } from './cli-process';

const USER = userInfo().username;
const BLOCK = 1024 * 1024;

async function ok(namenode: string, args: string[]): Promise<HdfsResult> {
  const r = await hdfs(namenode, USER, args);
  if (r.code !== 0) throw new Error(`hdfs ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return r;
}

/**
 * `nnfleet up --block-store swift`: a private all-in-one Swift (TempAuth,
 * memcached) next to the private MariaDB, datanodes as Swift gateways; the
 * Go client writes and reads byte-exact and `swift list` shows one object
 * per block.
 */
test('nnfleet up --block-store swift: Swift-backed datanodes; the Go client writes and reads byte-exact; one object per block; SIGTERM stops Swift too; a new up finds the blocks again', async () => {
  const plan = { namenodes: 1, datanodes: 2, defines: [`blockSize=${BLOCK}`, 'minBlockSize=0'], args: ['--block-store', 'swift'] };
  const up = await upFleet('nnups', plan);
  try {
    const swift = swiftOfUp(up);
    expect(up.fleet.pids.datanodes).toHaveLength(2);
    const data = payload(3 * BLOCK + 4321, 7);
    const local = join(up.dir, 'in');
    const back = join(up.dir, 'back');
    writeFileSync(local, data);
    await ok(up.fleet.balancer, ['put', local, '/f']);
    await ok(up.fleet.balancer, ['get', '/f', back]);
    expect(readFileSync(back).equals(data)).toBe(true);

    const objects = await swift.list(swift.container);
    expect(objects).toHaveLength(4);
    expect(objects.every((o) => /^blk_\d+_\d+$/.test(o))).toBe(true);
    // The datanodes kept no local replica: the bytes are in Swift only.
    const { stdout: localBlocks } = await run('find', [join(up.dir, 'datanodes'), '-name', 'blk_*', '-not', '-path', '*swift-staging*']);
    expect(localBlocks).toBe('');

    up.up.child.kill('SIGTERM');
    expect(await up.up.exited).toBe(0);
    await expectAllGone([swift.pid]);

    // Started again on the same directory: Swift keeps its objects, the namespace its blocks.
    const again = await upFleet('nnups', { ...plan, dir: up.dir });
    try {
      const back2 = join(up.dir, 'back2');
      await ok(again.fleet.balancer, ['get', '/f', back2]);
      expect(readFileSync(back2).equals(data)).toBe(true);
      expect((await swiftOfUp(again).list(swift.container)).sort()).toEqual([...objects].sort());
    } finally {
      await again.stop();
    }
  } finally {
    await up.stop();
  }
}, 240_000);
