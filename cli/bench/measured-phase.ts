import type mysql from 'mysql2/promise';
import { join } from 'node:path';
import type { SummaryTable } from '../../loadgen/html-report';
import type { PhaseResult } from '../../loadgen/loadgen-result';
import { NamespaceLayout } from '../../loadgen/namespace-layout';
import type { ModeContext } from '../../loadgen/run-phase';
import { fmt, formatTextTable, type TextColumn } from '../../loadgen/text-table';
import { spawnNamenode, type NamenodeChild } from '../fleet/namenode-child';
import { readStatementCounts, statementDelta } from './db-status';
import { processCpuMicros } from '../../loadgen/process-cpu';
import type { SectionOutput } from './bench-extra-sections';

/** One measured row of a side-by-side section: what ran, under which setting, and what it gave. */
export interface SettingRow {
  readonly operation: string;
  readonly setting: string;
  readonly opsPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Server-wide statements (db-status.ts) per operation; background work of every namenode included. */
  readonly statementsPerOp: number;
  readonly errors: number;
  /** CPU of the load generator's own process per operation (µs): what the client side costs. */
  readonly clientCpuMicrosPerOp: number;
}

/** A phase with the database statements it cost, as a row. */
export async function measuredRow(dbPool: mysql.Pool, operation: string, setting: string, run: () => Promise<PhaseResult>): Promise<SettingRow> {
  const before = await readStatementCounts(dbPool);
  const cpu = processCpuMicros(process.pid);
  const phase = await run();
  const clientCpu = processCpuMicros(process.pid) - cpu;
  const statements = statementDelta(before, await readStatementCounts(dbPool));
  const ops = Math.max(1, phase.totalOps + phase.totalErrors);
  return { operation, setting, opsPerSec: phase.opsPerSec, p50Ms: phase.latency.p50Ms, p99Ms: phase.latency.p99Ms, statementsPerOp: statements.Statements / ops, errors: phase.totalErrors, clientCpuMicrosPerOp: clientCpu / ops };
}

/** A namenode child beside the bench's, on the same database, with namesystem settings (`-D key=value`). */
export function spawnBenchNamenode(dir: string, mysqlUrl: string, name: string, defines: Readonly<Record<string, string>>): Promise<NamenodeChild> {
  return spawnNamenode({
    name,
    host: '127.0.0.1',
    rpcPort: 0,
    httpPort: 0,
    mysqlUrl,
    logDir: join(dir, 'logs'),
    logLevel: 'warn',
    extraArgs: Object.entries(defines).flatMap(([k, v]) => ['-D', `${k}=${v}`]),
  });
}

/**
 * As many empty directories as `like` has, under `root`: where an nnbench
 * create run goes, so runs under different settings neither collide on
 * names nor grow the directories the read phases list.
 */
export async function freshDirsLike(ctx: ModeContext, root: string, like: NamespaceLayout): Promise<NamespaceLayout> {
  const layout = new NamespaceLayout(root, like.files, like.filesPerDir);
  const client = ctx.pool.forWorker(0);
  for (const d of layout.allDirs()) await client.mkdirs(d);
  return layout;
}

const COLUMNS: readonly TextColumn[] = [
  { title: 'operation' },
  { title: 'setting' },
  { title: 'ops/s', align: 'right' },
  { title: 'p50 ms', align: 'right' },
  { title: 'p99 ms', align: 'right' },
  { title: 'DB stmts/op', align: 'right' },
  { title: 'errors', align: 'right' },
  { title: 'client CPU µs/op', align: 'right' },
];

/** The printed block and the HTML table of a section made of SettingRows. */
export function settingRowsOutput(title: string, rows: readonly SettingRow[], notes: readonly string[]): SectionOutput {
  const cells = rows.map((r) => [r.operation, r.setting, fmt(r.opsPerSec, 1), fmt(r.p50Ms, 3), fmt(r.p99Ms, 3), fmt(r.statementsPerOp, 2), String(r.errors), fmt(r.clientCpuMicrosPerOp, 0)]);
  const summary: SummaryTable = { title, columns: COLUMNS, rows: cells, notes };
  return { summaries: [summary], text: [`${title}\n${formatTextTable(COLUMNS, cells)}\n${notes.map((n) => `* ${n}`).join('\n')}`] };
}

export const failureReason = (err: unknown): string => (err instanceof Error ? (err.message.split('\n')[0] ?? err.message) : String(err));
