import { sqlRepositories } from '../../namenode/dal/sql/sql-repositories';
import { fsck } from '../../namenode/fsck/fsck';
import type { Namesystem } from '../../namenode/namesystem';
import { isNamesystemError } from '../../namenode/errors';
import { namesystemFixture, type NamesystemFixture } from '../harness/namesystem-fixture';

let f: NamesystemFixture;
beforeAll(async () => {
  f = await namesystemFixture('storm');
});
afterAll(() => f.close());

test('a rename storm across namenodes leaves no cycle, no orphan and no lost inode', async () => {
  const namenodes: Namesystem[] = [f.ns, f.other(), f.other(), f.other()];
  const dirs = Array.from({ length: 8 }, (_, i) => `d${i}`);
  for (const d of dirs) await f.ns.mkdirs(f.root, `/storm/${d}/leaf`, 0o755, true);
  const before = await fsck(f.sqlDb, sqlRepositories.fsck);
  // Where each directory is now, as far as the clients know; moves use absolute paths.
  const where = new Map(dirs.map((d) => [d, `/storm/${d}`]));
  let applied = 0;
  const refused = new Map<string, number>();
  const random = (n: number) => Math.floor(Math.random() * n);
  await Promise.all(
    Array.from({ length: 12 }, async (_, client) => {
      for (let i = 0; i < 25; i++) {
        const a = dirs[random(dirs.length)] as string;
        const b = dirs[random(dirs.length)] as string;
        if (a === b) continue;
        const src = where.get(a) as string;
        const dstParent = Math.random() < 0.3 ? '/storm' : (where.get(b) as string);
        const dst = `${dstParent}/${a}`;
        try {
          await (namenodes[client % namenodes.length] as Namesystem).rename2(f.root, src, dst, false);
          where.set(a, dst);
          for (const [d, p] of where) if (p.startsWith(`${src}/`)) where.set(d, dst + p.slice(src.length));
          applied++;
        } catch (e) {
          // A stale view, a destination under its source or already there: what HDFS's rename2 answers.
          // Anything else (a database busy and given up on, a generic failure) fails the storm.
          const legitimate = isNamesystemError(e, 'FileNotFound') || isNamesystemError(e, 'AlreadyExists') || (isNamesystemError(e, 'IO') && / is a directory or file under source /.test(e.message));
          if (!legitimate) throw e;
          refused.set(e.kind, (refused.get(e.kind) ?? 0) + 1);
        }
      }
    }),
  );
  const after = await fsck(f.sqlDb, sqlRepositories.fsck);
  expect(after.problems).toEqual([]);
  expect(after.healthy).toBe(true);
  expect(after.inodes).toBe(before.inodes);
  const refusals = [...refused.values()].reduce((a, b) => a + b, 0);
  process.stdout.write(`rename storm: ${applied} applied, refused ${JSON.stringify(Object.fromEntries(refused))}\n`);
  expect(applied).toBeGreaterThan(0);
  expect(applied + refusals).toBeGreaterThan(100);
  // Every directory and its leaf are still there, one way or another.
  const s = await f.ns.getContentSummary(f.root, '/storm');
  expect(s.directoryCount).toBe(1 + dirs.length * 2);
});

test('fsck reports an orphan, a dangling block and a lease without file', async () => {
  const broken = await namesystemFixture('fsckbad');
  try {
    await broken.ns.mkdirs(broken.root, '/ok', 0o755, true);
    await broken.pool.query("INSERT INTO inodes (parent_id, name, id, type, permission, owner, group_name, mtime, atime) VALUES (999999, 'lost', 999998, 2, 493, 'x', 'y', 0, 0)");
    await broken.pool.query('INSERT INTO blocks (inode_id, block_index, block_id, generation_stamp, num_bytes, state) VALUES (424242, 0, 77, 1001, 0, 3)');
    await broken.pool.query("INSERT INTO leases (holder, last_renewed) VALUES ('ghost', 0)");
    const report = await fsck(broken.sqlDb, sqlRepositories.fsck);
    expect(report.healthy).toBe(false);
    const names = report.problems.map((p) => p.invariant).join('\n');
    expect(names).toMatch(/not reachable from the root \(1\)/);
    expect(names).toMatch(/block of a missing inode/);
    expect(names).toMatch(/lease without any open file/);
  } finally {
    await broken.close();
  }
});
