import { Command } from 'commander';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePositiveInt } from '../options';
import { createMysqlPool } from '../../schema/mysql-config';
import { ClientPool } from '../../loadgen/client-pool';
import { MetadataOnlyFileDataClient } from '../../loadgen/file-data-client';
import { NamespaceLayout } from '../../loadgen/namespace-layout';
import { createProgressReporter } from '../../loadgen/progress-reporter';
import type { ModeContext } from '../../loadgen/run-phase';
import { fmt, formatTextTable, type TextColumn } from '../../loadgen/text-table';
import { processCpuMicros } from '../../loadgen/process-cpu';
import type { NnbenchOp } from '../../loadgen/nnbench-mode';
import type { NamenodeChild } from '../fleet/namenode-child';
import { nnbenchPhase } from './bench-workload';
import { startLocalFleet } from './local-fleet';
import { freshDirsLike, measuredRow, spawnBenchNamenode, type SettingRow } from './measured-phase';
import { runMain } from './run-main';

interface Flags {
  readonly threads: number;
  readonly seconds: number;
  readonly rounds: number;
  readonly dirs: number;
}

const COLUMNS: readonly TextColumn[] = [
  { title: 'round' },
  { title: 'operation' },
  { title: 'group commit' },
  { title: 'ops/s', align: 'right' },
  { title: 'p50 ms', align: 'right' },
  { title: 'DB stmts/op', align: 'right' },
  { title: 'NN CPU µs/op', align: 'right' },
  { title: 'errors', align: 'right' },
];

const OPS: readonly NnbenchOp[] = ['create', 'mkdirs'];

/**
 * `node dist/cli/bench/group-commit-main.js --threads 16 --seconds 10`:
 * create (+complete, empty) and mkdirs with group commit on and off
 * (namenode/tx/group-commit.ts), on one private MariaDB with two namenodes
 * (`-D groupCommit=true|false`), alternating which goes first each round,
 * into fresh directories every phase: ops/s, server statements per
 * operation (server statements, db-status.ts; background work of every namenode included), and
 * the measured namenode's own CPU per operation (/proc).
 */
function program(): Command {
  return new Command('group-commit')
    .description('create and mkdirs with group commit on and off, in one run')
    .option('--threads <n>', 'client threads (and connections)', parsePositiveInt, 16)
    .option('--seconds <s>', 'length of each phase', parsePositiveInt, 10)
    .option('--rounds <n>', 'on/off pairs per operation', parsePositiveInt, 2)
    .option('--dirs <n>', 'directories each phase creates into', parsePositiveInt, 100)
    .action(async (flags: Flags) => {
      const dir = mkdtempSync(join(tmpdir(), 'nnfleet-groupcommit-'));
      const fleet = await startLocalFleet(dir);
      const db = createMysqlPool(fleet.mysql, { connectionLimit: 2 });
      const namenodes: NamenodeChild[] = [];
      const pools: ClientPool[] = [];
      try {
        const ctxs = new Map<boolean, { nn: NamenodeChild; ctx: ModeContext }>();
        for (const on of [true, false]) {
          const nn = await spawnBenchNamenode(dir, fleet.mysqlUrl, `groupcommit-${on ? 'on' : 'off'}`, { groupCommit: String(on) });
          namenodes.push(nn);
          const pool = await ClientPool.open({ namenodes: [`127.0.0.1:${nn.rpcPort}`], user: fleet.superuser, connections: flags.threads });
          pools.push(pool);
          ctxs.set(on, { nn, ctx: { pool, fileData: new MetadataOnlyFileDataClient(), progress: createProgressReporter('none'), user: fleet.superuser, opTimeoutMs: 30_000 } });
        }
        const like = new NamespaceLayout('/x', flags.dirs, 1);
        const shape = { threads: flags.threads, seconds: flags.seconds, spotifySeconds: 0, dirs: flags.dirs, filesPerDir: 1 };
        const cells: string[][] = [];
        let phase = 0;
        for (let round = 1; round <= flags.rounds; round++) {
          for (const op of OPS) {
            for (const on of round % 2 === 1 ? [true, false] : [false, true]) {
              const { nn, ctx } = ctxs.get(on) as { nn: NamenodeChild; ctx: ModeContext };
              const into = await freshDirsLike(ctx, `/gc-${phase++}`, like);
              const cpu = processCpuMicros(nn.pid);
              const row: SettingRow = await measuredRow(db, op, on ? 'on' : 'off', () => nnbenchPhase(ctx, into, op, shape));
              const ops = Math.max(1, row.opsPerSec * flags.seconds);
              const nnCpu = (processCpuMicros(nn.pid) - cpu) / ops;
              cells.push([String(round), op, row.setting, fmt(row.opsPerSec, 1), fmt(row.p50Ms, 3), fmt(row.statementsPerOp, 2), fmt(nnCpu, 0), String(row.errors)]);
              process.stdout.write(`${cells[cells.length - 1]?.join('  ')}\n`);
            }
          }
        }
        process.stdout.write(`\ngroup commit on and off, ${flags.threads} threads, ${flags.seconds} s a phase\n${formatTextTable(COLUMNS, cells)}\n`);
      } finally {
        for (const p of pools) await p.close();
        for (const nn of namenodes) await nn.stop();
        await db.end();
        await fleet.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    });
}

if (require.main === module) runMain('group-commit', program());
