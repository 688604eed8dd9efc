import { hdfs } from '../harness/go-hdfs';
import { ensureGoProgram, GO_STATLOOP } from '../harness/go-programs';
import { namenodeFixture } from '../harness/namenode-fixture';
import { namesystemFixture } from '../harness/namesystem-fixture';
import { execFile } from 'node:child_process';


/**
 * The hint cache's promise, counted: getFileInfo of a depth-5 path is one
 * SELECT with a warm cache and one per level (after a first batch of the
 * root and the first component) with a cold one. Counted from the server's
 * Com_select, with nothing else running against it.
 */
test('getFileInfo of a depth-5 path: statements with a cold and a warm hint cache', async () => {
  const f = await namesystemFixture('cost');
  try {
    await f.ns.mkdirs(f.root, '/a/b/c/d/e', 0o755, true);
    const selects = async () => {
      const [rows] = await f.pool.query("SHOW GLOBAL STATUS WHERE Variable_name IN ('Com_select', 'Questions')");
      const m = new Map((rows as { Variable_name: string; Value: string }[]).map((r) => [r.Variable_name, Number(r.Value)]));
      return { select: m.get('Com_select') ?? 0, questions: m.get('Questions') ?? 0 };
    };
    const cold = f.other();
    const b0 = await selects();
    expect(await cold.getFileInfo(f.root, '/a/b/c/d/e')).toBeDefined();
    const b1 = await selects();
    expect(await cold.getFileInfo(f.root, '/a/b/c/d/e')).toBeDefined();
    const b2 = await selects();
    // The SHOW itself is one question.
    const coldStatements = b1.questions - b0.questions - 1;
    const warmStatements = b2.questions - b1.questions - 1;
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
    const { stdout } = await new Promise<{ stdout: string }>((resolve, reject) => {
      const child = execFile(bin, ['/a/b/c/d/e', '3', '16'], { env: { PATH: process.env['PATH'] ?? '', HADOOP_NAMENODE: f.address, HADOOP_USER_NAME: f.superuser } }, (err, out) => (err ? reject(err) : resolve({ stdout: out })));
      child.stdin?.end();
    });
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
