import { Command } from 'commander';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePositiveInt } from '../options';
import { createMysqlPool } from '../../schema/mysql-config';
import { ClientPool } from '../../loadgen/client-pool';
import { MetadataOnlyFileDataClient } from '../../loadgen/file-data-client';
import { buildNamespace } from '../../loadgen/namespace-builder';
import { NamespaceLayout } from '../../loadgen/namespace-layout';
import { createProgressReporter, type ProgressStyle } from '../../loadgen/progress-reporter';
import type { ModeContext } from '../../loadgen/run-phase';
import { NamenodeClient, RpcCounter } from '../../protocol/client/namenode-client';
import { readStatementCounts, statementDelta } from './db-status';
import { bulkTree } from './bulk-tree';
import { startLocalFleet } from './local-fleet';
import { progressOption, runMain } from './run-main';

interface SubtreeBenchFlags {
  files: number[];
  filesPerDir: number;
  threads: number;
  bulk: boolean;
  progress: ProgressStyle;
}

const parseSizes = (v: string): number[] => v.split(',').map((s) => parsePositiveInt(s));

/**
 * `npm run bench:subtree` (the heavy scale runs `npm run bench` points to):
 * for each tree size, builds the tree through the namenode's own API
 * (mkdirs, create+complete, from --threads clients) or, with --bulk, with
 * batched row inserts (bulk-tree.ts; files then a multiple of
 * --files-per-dir), then times
 * getContentSummary of it and its `rm -r` (one delete call, a subtree
 * operation of bounded transactions), with the database's statements per
 * inode. A benchmark: it asserts nothing about time.
 */
async function subtreeBench(flags: SubtreeBenchFlags): Promise<void> {
  const say = (line: string): void => void process.stdout.write(`${line}\n`);
  const dir = mkdtempSync(join(tmpdir(), 'nnfleet-subtree-bench-'));
  say(`nnfleet subtree bench: ${cpus().length} cores; starting MariaDB and a namenode under ${dir}`);
  const fleet = await startLocalFleet(dir);
  const dbPool = createMysqlPool(fleet.mysql, { connectionLimit: 2 });
  const clients = await ClientPool.open({ namenodes: [fleet.address], user: fleet.superuser, connections: flags.threads });
  const nn = await NamenodeClient.connect(fleet.address, fleet.superuser, 'DFSClient_subtree_bench', new RpcCounter());
  try {
    const ctx: ModeContext = { pool: clients, fileData: new MetadataOnlyFileDataClient(), progress: createProgressReporter(flags.progress), user: fleet.superuser, opTimeoutMs: 600_000 };
    const rows: string[] = [];
    for (const files of flags.files) {
      const layout = new NamespaceLayout(`/subtree-${files}`, files, flags.filesPerDir);
      let t = performance.now();
      let inodes: number;
      if (flags.bulk) {
        await nn.mkdirs(layout.root);
        const dirs = Math.ceil(files / flags.filesPerDir);
        inodes = 1 + (await bulkTree(fleet.mysql, layout.root, { dirs, filesPerDir: flags.filesPerDir, user: fleet.superuser }));
        say(`bulk-loaded ${layout.root}: ${dirs} dirs, ${dirs * flags.filesPerDir} files in ${((performance.now() - t) / 1000).toFixed(1)} s`);
      } else {
        await buildNamespace(ctx, layout, flags.threads, `tree of ${files} files`);
        inodes = files + layout.dirs + 1;
        say(`built ${layout.root}: ${layout.dirs} dirs, ${files} files in ${((performance.now() - t) / 1000).toFixed(1)} s`);
      }
      const timed = async (label: string, run: () => Promise<unknown>) => {
        const before = await readStatementCounts(dbPool);
        t = performance.now();
        await run();
        const s = (performance.now() - t) / 1000;
        const d = statementDelta(before, await readStatementCounts(dbPool));
        rows.push(`${label.padEnd(32)} ${String(inodes).padStart(9)} ${s.toFixed(2).padStart(9)} ${(inodes / s).toFixed(0).padStart(10)} ${(d.Statements / inodes).toFixed(3).padStart(12)}`);
      };
      await timed('getContentSummary', () => nn.getContentSummary(layout.root));
      await timed('rm -r (delete recursive)', async () => {
        if (!(await nn.delete(layout.root, true))) throw new Error(`delete ${layout.root} answered false`);
      });
    }
    say('');
    say(`${'operation'.padEnd(32)} ${'inodes'.padStart(9)} ${'seconds'.padStart(9)} ${'inodes/s'.padStart(10)} ${'stmts/inode'.padStart(12)}`);
    for (const r of rows) say(r);
    say('* statements: the server-wide statement count (cli/bench/db-status.ts) over the call (heartbeats and housekeeping included)');
  } finally {
    await nn.close();
    await clients.close();
    await dbPool.end();
    await fleet.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function program(): Command {
  return new Command('bench:subtree')
    .description('rm -r and getContentSummary of big trees (subtree operations)')
    .option('--files <n[,n…]>', 'tree sizes, in files (1000000 takes a while to build)', parseSizes, [100_000])
    .option('--files-per-dir <n>', 'files per directory', parsePositiveInt, 1000)
    .option('--threads <n>', 'client threads building the tree', parsePositiveInt, 16)
    .option('--bulk', 'load each tree with batched row inserts (the namesystem\'s own row builders, cli/bench/bulk-tree.ts) instead of API calls: 1,000,000 files in minutes', false)
    .addOption(progressOption())
    .action((flags: SubtreeBenchFlags) => subtreeBench(flags));
}

if (require.main === module) runMain('bench:subtree', program());
