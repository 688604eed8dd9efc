import { join } from 'node:path';
import type { SummaryTable } from '../../loadgen/html-report';
import { ClientPool } from '../../loadgen/client-pool';
import type { PhaseResult } from '../../loadgen/loadgen-result';
import type { NamespaceLayout } from '../../loadgen/namespace-layout';
import { runNnbench } from '../../loadgen/nnbench-mode';
import type { ModeContext } from '../../loadgen/run-phase';
import { fmt, formatTextTable, type TextColumn } from '../../loadgen/text-table';
import { runWebHdfsLoad, type WebHdfsLoadOp } from '../../loadgen/webhdfs/webhdfs-mode';
import { startHaproxy } from '../local/haproxy';
import { startBenchDatanodes } from './bench-datanodes';
import type { SectionOutput } from './bench-extra-sections';
import type { LocalFleet } from './local-fleet';

export interface WebHdfsBenchRow {
  readonly operation: string;
  readonly protocol: 'Hadoop IPC' | 'WebHDFS';
  readonly step: string;
  readonly requestsPerSec: number;
  readonly p99Ms: number;
  readonly errors: number;
}

export interface WebHdfsSection extends SectionOutput {
  readonly rows: readonly WebHdfsBenchRow[];
}

const COLUMNS: readonly TextColumn[] = [{ title: 'operation' }, { title: 'protocol' }, { title: 'step' }, { title: 'req/s', align: 'right' }, { title: 'p99 ms', align: 'right' }, { title: 'errors', align: 'right' }];

const NOTES = [
  'Both protocols through the same haproxy to the same namenode, over the bench namespace\'s files, with as many client connections as threads.',
  'WebHDFS is driven by autocannon (keep-alive HTTP/1.1); OPEN is two requests: the namenode names a datanode (noredirect=true), then the datanode serves the bytes (these files are empty, so that step is its fixed cost).',
  'Hadoop IPC open is getBlockLocations, the namenode half of a read, so it compares with the namenode step of WebHDFS OPEN.',
];

/**
 * GETFILESTATUS and OPEN over WebHDFS through haproxy's HTTP port, beside
 * fileStatus and open over Hadoop IPC through its IPC port: what the HTTP
 * front door costs next to the native one. A datanode process serves the
 * OPEN's second step. A failure is reported, not fatal.
 */
export async function runWebHdfsSection(dir: string, fleet: LocalFleet, ctx: ModeContext, layout: NamespaceLayout, o: { threads: number; seconds: number }): Promise<WebHdfsSection> {
  const rows: WebHdfsBenchRow[] = [];
  try {
    const datanodes = await startBenchDatanodes(join(dir, 'webhdfs-data'), { host: '127.0.0.1', rpcPort: fleet.namenode.rpcPort }, fleet.datanodeKeyFile, 1);
    const nn = fleet.namenode;
    const haproxy = await startHaproxy({ dir: join(dir, 'webhdfs-haproxy'), host: '127.0.0.1', rpcPort: 0, httpPort: 0, namenodes: [{ name: nn.name, host: '127.0.0.1', rpcPort: nn.rpcPort, httpPort: nn.httpPort }] });
    const pool = await ClientPool.open({ namenodes: [`127.0.0.1:${haproxy.rpcPort}`], user: fleet.superuser, connections: o.threads }).catch(async (err: unknown) => {
      await Promise.all([haproxy.stop(), datanodes.stop()]);
      throw err;
    });
    try {
      const ipc = async (op: 'fileStatus' | 'open', operation: string) => {
        const phases = await runNnbench({ ...ctx, pool }, { op, threads: o.threads, files: layout.files, filesPerDir: layout.filesPerDir, useExisting: true, root: layout.root, durationSeconds: o.seconds });
        rows.push(row(operation, 'Hadoop IPC', op === 'open' ? 'namenode (getBlockLocations)' : 'namenode', phases[phases.length - 1]));
      };
      const web = async (op: WebHdfsLoadOp) => {
        const phases = await runWebHdfsLoad({
          namenodes: [`http://127.0.0.1:${haproxy.httpPort}`],
          user: fleet.superuser,
          op,
          connections: o.threads,
          durationSeconds: o.seconds,
          root: layout.root,
          dirs: layout.dirs,
          filesPerDir: layout.filesPerDir,
          fileSize: 0,
          useExisting: true,
          seed: 0,
          files: layout.allFiles(),
        });
        for (const p of phases) rows.push(row(op, 'WebHDFS', p.name.includes('datanode') ? 'datanode (read)' : op === 'OPEN' ? 'namenode (noredirect)' : 'namenode', p));
      };
      await ipc('fileStatus', 'GETFILESTATUS');
      await web('GETFILESTATUS');
      await ipc('open', 'OPEN');
      await web('OPEN');
    } finally {
      await pool.close();
      await haproxy.stop();
      await datanodes.stop();
    }
  } catch (err) {
    return { rows, summaries: [], text: [], failure: `webhdfs section failed: ${err instanceof Error ? (err.message.split('\n')[0] ?? err.message) : String(err)}` };
  }
  const cells = rows.map((r) => [r.operation, r.protocol, r.step, fmt(r.requestsPerSec, 1), fmt(r.p99Ms, 3), String(r.errors)]);
  const summary: SummaryTable = { title: 'WebHDFS next to Hadoop IPC, through haproxy', columns: COLUMNS, rows: cells, notes: NOTES };
  return { rows, summaries: [summary], text: [`webhdfs: next to Hadoop IPC, through haproxy\n${formatTextTable(COLUMNS, cells)}\n${NOTES.map((n) => `* ${n}`).join('\n')}`] };
}

function row(operation: string, protocol: WebHdfsBenchRow['protocol'], step: string, phase: PhaseResult | undefined): WebHdfsBenchRow {
  if (!phase) throw new Error(`no ${protocol} ${operation} phase`);
  return { operation, protocol, step, requestsPerSec: phase.opsPerSec, p99Ms: phase.latency.p99Ms, errors: phase.totalErrors };
}
