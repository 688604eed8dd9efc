import { Command } from 'commander';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerLoadgenCommand } from '../../cli/commands/loadgen-command';
import type { LoadgenReport } from '../../loadgen/loadgen-result';
import { namenodeFixture, type NamenodeFixture } from '../harness/namenode-fixture';

jest.setTimeout(60_000);

describe('nnfleet loadgen (command line)', () => {
  let fx: NamenodeFixture;
  let dir: string;

  beforeAll(async () => {
    fx = await namenodeFixture('loadgen_cli');
    dir = mkdtempSync(join(tmpdir(), 'nnfleet-loadgen-cli-'));
  });

  afterAll(async () => {
    await fx?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function program(): Command {
    const p = registerLoadgenCommand(new Command('nnfleet').exitOverride());
    p.commands.forEach((c) => c.exitOverride().commands.forEach((m) => m.exitOverride()));
    return p;
  }

  it('runs nnbench with Hadoop option names and writes the JSON and HTML reports', async () => {
    const json = join(dir, 'out.json');
    const html = join(dir, 'out.html');
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      await program().parseAsync(
        ['loadgen', 'nnbench', '--op', 'create', '--threads', '3', '--files', '12', '--filesPerDir', '4', '--root', '/cli',
          '--namenodes', fx.address, '--user', fx.superuser, '--progress', 'none', '--json', json, '--html', html],
        { from: 'user' },
      );
    } finally {
      write.mockRestore();
    }
    const report = JSON.parse(readFileSync(json, 'utf8')) as LoadgenReport;
    expect(report.mode).toBe('nnbench');
    expect(report.options).toMatchObject({ op: 'create', threads: 3, files: 12, filesPerDir: 4, root: '/cli', connections: 3 });
    expect(report.phases.at(-1)?.ops[0]).toMatchObject({ op: 'create', count: 12, errors: 0 });
    expect(readFileSync(html, 'utf8')).toContain('<svg');
  });

  it('slg moves real bytes by default; --data metadata runs the namenode calls only', async () => {
    const run = async (extra: string[]): Promise<LoadgenReport> => {
      const json = join(dir, `slg-${extra.length}.json`);
      const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
      try {
        await program().parseAsync(
          ['loadgen', 'slg', '--root', `/slgcli${extra.length}`, '--maxDepth', '1', '--numOfFiles', '2', '--blockSize', '1048576', '--numOfThreads', '2',
            '--elapsedTime', '1', '--seed', '3', '--namenodes', fx.address, '--user', fx.superuser, '--progress', 'none', '--json', json, ...extra],
          { from: 'user' },
        );
      } finally {
        write.mockRestore();
      }
      return JSON.parse(readFileSync(json, 'utf8')) as LoadgenReport;
    };
    const metadata = await run(['--data', 'metadata']);
    expect(metadata.dataPath).toMatch(/^metadata only/);
    expect(metadata.phases[1]?.ops[0]).toMatchObject({ op: 'write', count: 2, errors: 0 });
    // This fleet has no datanodes: real writes are refused by addBlock and counted, not fatal.
    const real = await run(['--replication', '1']);
    expect(real.dataPath).toMatch(/^real data over DataTransferProtocol/);
    expect(real.options).toMatchObject({ data: 'real', replication: 1 });
    expect(real.phases[1]?.ops[0]).toMatchObject({ op: 'write', count: 0, errors: 2 });
  });

  it('rejects a malformed namenode list and an unknown operation', async () => {
    const quiet = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await expect(program().parseAsync(['loadgen', 'nnbench', '--op', 'create', '--namenodes', 'nohost'], { from: 'user' })).rejects.toThrow(/HOST:PORT/);
      await expect(program().parseAsync(['loadgen', 'nnbench', '--op', 'chmod', '--namenodes', fx.address], { from: 'user' })).rejects.toThrow(/chmod/);
    } finally {
      quiet.mockRestore();
    }
  });
});
