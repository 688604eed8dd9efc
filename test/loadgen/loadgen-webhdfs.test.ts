import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { makeCaller } from '../../namenode/security/caller';
import type { LoadgenReport } from '../../loadgen/loadgen-result';
import { runWebHdfsLoadgen } from '../../loadgen/webhdfs/run-webhdfs-loadgen';
import type { WebHdfsLoadOp } from '../../loadgen/webhdfs/webhdfs-mode';
import { runCli } from '../cli/cli-process';
import { dataFleet, type DataFleet } from '../harness/data-fleet';

jest.setTimeout(180_000);

describe('nnfleet loadgen webhdfs against namenodes and datanodes serving WebHDFS', () => {
  let fleet: DataFleet;
  let dir: string;
  let http: string;

  beforeAll(async () => {
    fleet = await dataFleet('loadgen_webhdfs', 2, { replication: 2 }, { httpPort: 0 });
    http = `127.0.0.1:${fleet.namenode.httpPort}`;
    dir = mkdtempSync(join(tmpdir(), 'nnfleet-loadgen-webhdfs-'));
    await fleet.namenode.namesystem.mkdirs(makeCaller(fleet.superuser, [], fleet.namenode.namesystem.config), '/lg', 0o777, true);
  });

  afterAll(async () => {
    await fleet?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const run = (op: WebHdfsLoadOp, useExisting: boolean) =>
    runWebHdfsLoadgen(
      { namenodes: [`http://${http}`], user: 'alice', op, connections: 4, durationSeconds: 2, root: '/lg/r', dirs: 2, filesPerDir: 3, fileSize: 5000, useExisting, seed: 7 },
      { json: join(dir, `${op}.json`), html: join(dir, `${op}.html`) },
      new PassThrough().resume(),
    );

  /** Every measured phase answered requests, and not one failed. */
  const expectClean = (report: LoadgenReport, phases: readonly string[]) => {
    expect(report.phases.map((p) => p.name)).toEqual(phases);
    for (const p of report.phases) {
      process.stderr.write(`${p.name}: ${p.totalOps} ok, ${p.opsPerSec} req/s, p99 ${p.latency.p99Ms} ms, ${p.totalErrors} errors\n`);
      expect(p.totalOps).toBeGreaterThan(0);
      expect([p.totalErrors, p.ops.flatMap((o) => Object.keys(o.errorsByClass))]).toEqual([0, []]);
    }
  };

  it('GETFILESTATUS builds its files through WebHDFS, then loads the namenode; JSON and HTML reports written', async () => {
    const report = await run('GETFILESTATUS', false);
    expectClean(report, ['create namespace (WebHDFS)', 'GETFILESTATUS']);
    expect(report.phases[0]?.totalOps).toBe(6);
    expect(JSON.parse(readFileSync(join(dir, 'GETFILESTATUS.json'), 'utf8'))).toEqual(JSON.parse(JSON.stringify(report)));
    expect(readFileSync(join(dir, 'GETFILESTATUS.html'), 'utf8')).toContain('GETFILESTATUS');
  });

  it('LISTSTATUS over the existing files', async () => {
    expectClean(await run('LISTSTATUS', true), ['LISTSTATUS']);
  });

  it('OPEN: the namenode step names datanodes, the datanode step reads there', async () => {
    const report = await run('OPEN', true);
    expectClean(report, ['OPEN (namenode: noredirect)', 'OPEN (datanode: read)']);
  });

  it('CREATE+write: the files the datanode step wrote exist with their bytes', async () => {
    const report = await run('CREATE', true);
    expectClean(report, ['CREATE (namenode: noredirect)', 'CREATE (datanode: write)']);
    const written = report.phases[1]?.totalOps ?? 0;
    const listing = await fleet.namenode.namesystem.getListing(makeCaller('alice', [], fleet.namenode.namesystem.config), '/lg/r/w7', '');
    // Writes in flight when the phase's time ran out finish at the datanode unrecorded: at most one per connection.
    const files = listing?.entries ?? [];
    expect(files.length).toBeGreaterThanOrEqual(written);
    expect(files.length).toBeLessThanOrEqual(written + 4);
    expect(files.filter((e) => e.length === 5000).length).toBeGreaterThanOrEqual(written);
  });

  it('runs from the command line, as an operator would', async () => {
    expect(existsSync(join(__dirname, '../../dist/cli/main.js'))).toBe(true);
    const cli = runCli(['loadgen', 'webhdfs', '--namenodes', http, '--op', 'GETFILESTATUS', '--user', 'alice', '--root', '/lg/r', '--dirs', '2', '--filesPerDir', '3', '--useExisting', '--duration', '1', '--connections', '2']);
    expect(await cli.exited).toBe(0);
    expect(cli.stdout()).toMatch(/^GETFILESTATUS\s+[1-9]\d*\s/m);
    const bad = runCli(['loadgen', 'webhdfs', '--namenodes', http, '--op', 'DELETE']);
    expect(await bad.exited).not.toBe(0);
  });
});
