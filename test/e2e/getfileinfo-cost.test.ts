import { hdfs } from '../harness/go-hdfs';
import { ensureGoProgram, GO_STATLOOP } from '../harness/go-programs';
import { namenodeFixture } from '../harness/namenode-fixture';
import { namesystemFixture } from '../harness/namesystem-fixture';
import { execProcess } from '../harness/process-fixture';

/**
 * The hint cache's promise, counted: getFileInfo of a depth-5 path is one
 * SELECT with a warm cache and one per level (after a first batch of the
 * root and the first component) with a cold one. Counted by the
 * namesystems' own database (its statements, whatever else the server
 * serves meanwhile: other test files, say).
 */
test('getFileInfo of a depth-5 path: statements with a cold and a warm hint cache', async () => {
  const f = await namesystemFixture('cost');
  try {
    await f.ns.mkdirs(f.root, '/a/b/c/d/e', 0o755, true);
    const selects = () => {
      const counts = f.sqlDb.statementCounts();
      return { select: counts['SELECT'] ?? 0, questions: Object.values(counts).reduce((a, b) => a + b, 0) };
    };
    const cold = f.other();
    const b0 = selects();
    expect(await cold.getFileInfo(f.root, '/a/b/c/d/e')).toBeDefined();
    const b1 = selects();
    expect(await cold.getFileInfo(f.root, '/a/b/c/d/e')).toBeDefined();
    const b2 = selects();
    const coldStatements = b1.questions - b0.questions;
    const warmStatements = b2.questions - b1.questions;
    process.stdout.write(`getFileInfo depth 5: cold ${coldStatements} statements (${b1.select - b0.select} SELECT), warm ${warmStatements} statement (${b2.select - b1.select} SELECT)\n`);
    expect(b2.select - b1.select).toBe(1);
    expect(warmStatements).toBe(1);
    expect(coldStatements).toBe(5);
  } finally {
    await f.close();
  }
});

test('getFileInfo through the real Go client in a loop (figure printed, not asserted)', async () => {
  const f = await namenodeFixture('statloop');
  try {
    const mk = await hdfs(f.address, f.superuser, ['mkdir', '-p', '/a/b/c/d/e']);
    expect(mk.code).toBe(0);
    const bin = ensureGoProgram('statloop', GO_STATLOOP);
    const { stdout } = await execProcess(bin, ['/a/b/c/d/e', '3', '16'], { env: { PATH: process.env['PATH'] ?? '', HADOOP_NAMENODE: f.address, HADOOP_USER_NAME: f.superuser } });
    process.stdout.write(`Go client Stat loop, 16 clients, 3 s: ${stdout}`);
    // The rate is a printed figure; that the loop did work, all of it answered, is the check.
    const m = /^(\d+) ops (\d+) errors \d+ ops\/s/.exec(stdout);
    expect(m).not.toBeNull();
    expect(Number(m?.[2])).toBe(0);
    expect(Number(m?.[1])).toBeGreaterThan(0);
  } finally {
    await f.close();
  }
});
