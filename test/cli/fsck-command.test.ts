import { formatMysqlUrl } from '../../cli/fleet/mysql-url';
import { createMysqlConnection } from '../../schema/mysql-config';
import { createTestDatabase } from '../harness/test-database';
import { runCli } from './cli-process';

test('nnfleet fsck says HEALTHY on a fresh namespace and exits 1 with the broken invariant on a damaged one', async () => {
  const db = await createTestDatabase('fsckcli');
  try {
    const healthy = runCli(['fsck', '--mysql', formatMysqlUrl(db.config)]);
    expect(await healthy.exited).toBe(0);
    expect(healthy.stdout()).toMatch(/1 inodes, 1 reachable from \/\n0 snapshottable directories \(0 with snapshots\), 0 snapshots, 0 awaiting reclamation, 0 inode versions\nThe filesystem under path \/ is HEALTHY/);
    const conn = await createMysqlConnection(db.config);
    await conn.query("INSERT INTO lease_paths (inode_id, holder) VALUES (123456, 'nobody')");
    await conn.end();
    const broken = runCli(['fsck', '--mysql', formatMysqlUrl(db.config)]);
    expect(await broken.exited).toBe(1);
    expect(broken.stdout()).toMatch(/CORRUPT: lease path of a missing or closed file/);
    expect(broken.stdout()).toMatch(/is CORRUPT$/m);
  } finally {
    await db.drop();
  }
});
