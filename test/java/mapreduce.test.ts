import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { fsShell, javaStdout, mapreduceExample, type JavaRunOptions } from '../harness/java-hadoop';
import { upFleet, type UpFleet } from '../harness/up-fleet';

/**
 * Hadoop MapReduce in local mode (LocalJobRunner in the client JVM) with its
 * input and output on nnfleet through fs.defaultFS: the job lists its input
 * with block locations (listLocatedStatus) to split it, writes its output
 * through the committer's _temporary renames, and leaves _SUCCESS.
 */
describe('Java MapReduce (local mode) on nnfleet', () => {
  let up: UpFleet;
  let local: string;
  let as: JavaRunOptions;

  beforeAll(async () => {
    up = await upFleet('nnjava-mr', { namenodes: 2, datanodes: 3 });
    local = mkdtempSync(join(tmpdir(), 'nnjava-mr-local-'));
    as = { confDir: up.fleet.clientConfigDir, user: userInfo().username };
  }, 120_000);

  afterAll(async () => {
    await up?.stop();
    if (local) rmSync(local, { recursive: true, force: true });
  });

  test('wordcount over three input files, one of them several blocks long: every count right', async () => {
    const words = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta'];
    const expected = new Map<string, number>();
    const files: string[] = [];
    for (let f = 0; f < 3; f++) {
      const lines: string[] = [];
      // The third file is ~2.5 MiB in 1 MiB blocks: several input splits.
      const n = f === 2 ? 60_000 : 50 + f;
      for (let i = 0; i < n; i++) {
        const line = [words[(i * 3 + f) % words.length]!, words[(i * 5 + 1) % words.length]!, `w${i % 7}`];
        for (const w of line) expected.set(w, (expected.get(w) ?? 0) + 1);
        lines.push(line.join(' '));
      }
      const file = join(local, `input-${f}.txt`);
      writeFileSync(file, lines.join('\n') + '\n');
      files.push(file);
    }
    await javaStdout(fsShell(['-mkdir', '-p', '/jobs/wc/in'], as));
    await javaStdout(fsShell(['-D', 'dfs.blocksize=1048576', '-put', ...files, '/jobs/wc/in'], as));

    const job = await mapreduceExample('wordcount', ['-D', 'mapreduce.framework.name=local', '/jobs/wc/in', '/jobs/wc/out'], as);
    if (job.code !== 0) throw new Error(`wordcount failed (${job.code}):\n${job.stderr}`);

    const listing = await javaStdout(fsShell(['-ls', '/jobs/wc/out'], as));
    expect(listing).toMatch(/\/jobs\/wc\/out\/_SUCCESS$/m);
    expect(listing).not.toContain('_temporary');
    const out = await javaStdout(fsShell(['-cat', '/jobs/wc/out/part-r-*'], as));
    const counted = new Map(out.trim().split('\n').map((l) => {
      const [w, c] = l.split('\t');
      return [w ?? '', Number(c)] as const;
    }));
    expect(counted).toEqual(expected);
  }, 180_000);

  test('TeraGen, TeraSort and TeraValidate: the sorted output validates with no error records', async () => {
    const run = async (name: string, args: string[]) => {
      const r = await mapreduceExample(name, ['-D', 'mapreduce.framework.name=local', ...args], as);
      if (r.code !== 0) throw new Error(`${name} failed (${r.code}):\n${r.stderr}`);
    };
    await run('teragen', ['50000', '/jobs/tera/in']);
    await run('terasort', ['/jobs/tera/in', '/jobs/tera/sorted']);
    await run('teravalidate', ['/jobs/tera/sorted', '/jobs/tera/report']);
    // 50,000 rows of 100 bytes were generated and sorted.
    const du = await javaStdout(fsShell(['-du', '-s', '/jobs/tera/in', '/jobs/tera/sorted'], as));
    expect(du).toMatch(/^5000000\s+\d+\s+\/jobs\/tera\/in$/m);
    expect(du).toMatch(/^5000000\s+\d+\s+\/jobs\/tera\/sorted$/m);
    // TeraValidate writes only a checksum line when the output is sorted; an "error" line otherwise.
    const report = await javaStdout(fsShell(['-cat', '/jobs/tera/report/part-r-*'], as));
    expect(report.trim()).toMatch(/^checksum\t[0-9a-f]+$/);
  }, 180_000);
});
