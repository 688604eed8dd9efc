import { createMysqlConnection } from '../../schema/mysql-config';
import { namenodeFixture, type NamenodeFixture } from '../harness/namenode-fixture';

let f: NamenodeFixture;

beforeAll(async () => {
  f = await namenodeFixture('rpcs_fsck');
  await f.namenode.namesystem.mkdirs({ user: f.superuser, groups: [], isSuperuser: true }, '/data/a', 0o755, true);
}, 60_000);
afterAll(async () => {
  await f?.close();
});

/** What DFSck does: GET /fsck on the web port, read every line; the exit code comes from how the last one ends. */
async function fsckOf(user: string, path: string): Promise<{ status: number; lines: string[] }> {
  const res = await fetch(`http://127.0.0.1:${f.namenode.httpPort}/fsck?ugi=${encodeURIComponent(user)}&files=1&blocks=1&path=${encodeURIComponent(path)}`);
  return { status: res.status, lines: (await res.text()).split('\n') };
}

describe('hdfs fsck over HTTP', () => {
  test('a healthy namespace: the header, the totals and the HEALTHY line DFSck looks for', async () => {
    const { status, lines } = await fsckOf(f.superuser, '/');
    expect(status).toBe(200);
    expect(lines[0]).toMatch(new RegExp(`^FSCK started by ${f.superuser} \\(auth:SIMPLE\\) from /\\S+ for path / at `));
    expect(lines).toContain('Status: HEALTHY');
    expect(lines).toContain(' Total dirs:\t3');
    expect(lines.some((l) => l.startsWith(' Namespace invariants:\tOK'))).toBe(true);
    expect(lines.at(-1)).toBe("The filesystem under path '/' is HEALTHY");
  });

  test('a missing path ends with "does not exist"; a user without the privilege gets no invariant scan', async () => {
    expect((await fsckOf(f.superuser, '/nope')).lines.at(-1)).toBe("Path '/nope' does not exist");
    const { lines } = await fsckOf('bob', '/data');
    expect(lines.some((l) => l.startsWith(' Namespace invariants'))).toBe(false);
    expect(lines.at(-1)).toBe("The filesystem under path '/data' is HEALTHY");
  });

  test('a broken invariant (an orphan inode row) makes the superuser\'s fsck CORRUPT', async () => {
    const conn = await createMysqlConnection(f.db.config);
    try {
      await conn.query(
        "INSERT INTO inodes (parent_id, name, id, type, permission, owner, group_name, mtime, atime) VALUES (987654321, 'lost', 987654322, 1, 420, 'x', 'x', 0, 0)",
      );
      const { lines } = await fsckOf(f.superuser, '/');
      expect(lines.some((l) => l.startsWith('CORRUPT: inodes not reachable from the root'))).toBe(true);
      expect(lines).toContain('Status: CORRUPT');
      expect(lines.at(-1)).toBe("The filesystem under path '/' is CORRUPT");
    } finally {
      await conn.query('DELETE FROM inodes WHERE id = 987654322');
      await conn.end();
    }
  });
});
