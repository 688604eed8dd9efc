import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ClientPool } from './client-pool';
import type { FileDataClient } from './file-data-client';
import { renderHtmlReport } from './html-report';
import type { LoadgenReport, PhaseResult } from './loadgen-result';
import { createProgressReporter, type ProgressStyle } from './progress-reporter';
import { formatReport } from './result-table';
import type { ModeContext } from './run-phase';

export interface LoadgenCommon {
  readonly namenodes: readonly string[];
  readonly user: string;
  readonly connections: number;
  readonly progress: ProgressStyle;
  readonly json?: string;
  readonly html?: string;
  /** Give up on an operation unanswered this long (ms). */
  readonly opTimeoutMs?: number;
  /** How reads and writes move file bytes (or only touch metadata). */
  readonly fileData: FileDataClient;
}

export type ModeRunner<O> = (ctx: ModeContext, options: O) => Promise<PhaseResult[]>;

/**
 * Connects, runs one mode, then prints the per-operation tables and writes
 * the JSON and HTML reports asked for.
 */
export async function runLoadgen<O extends object>(
  mode: string,
  common: LoadgenCommon,
  options: O,
  run: ModeRunner<O>,
  out: NodeJS.WritableStream = process.stdout,
): Promise<LoadgenReport> {
  const startedAt = new Date().toISOString();
  const fileData = common.fileData;
  const pool = await ClientPool.open({ namenodes: common.namenodes, user: common.user, connections: common.connections });
  let phases: PhaseResult[];
  try {
    const timeout = common.opTimeoutMs === undefined ? {} : { opTimeoutMs: common.opTimeoutMs };
    phases = await run({ pool, fileData, progress: createProgressReporter(common.progress), user: common.user, ...timeout }, options);
  } finally {
    await pool.close();
  }
  const report: LoadgenReport = {
    tool: 'nnfleet loadgen',
    mode,
    startedAt,
    namenodes: common.namenodes,
    dataPath: fileData.description,
    options: { ...options, connections: common.connections, user: common.user },
    phases,
  };
  emitReport(report, common, out);
  return report;
}

/** Prints the per-operation tables and writes the JSON and HTML reports asked for. */
export function emitReport(report: LoadgenReport, files: { readonly json?: string; readonly html?: string }, out: NodeJS.WritableStream): void {
  out.write(`${formatReport(report)}\n`);
  if (files.json) writeReportFile(files.json, `${JSON.stringify(report, null, 2)}\n`);
  if (files.html) writeReportFile(files.html, renderHtmlReport(report));
}

export function writeReportFile(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}
