import type { SummaryTable } from '../../loadgen/html-report';
import { fmt, formatTextTable, type TextColumn } from '../../loadgen/text-table';
import type { BlockOpStatementsRow } from './block-op-statements';
import type { CpuPerMiB, DataThroughputRow } from '../../loadgen/data-throughput';

const MiB = 1024 * 1024;

const THROUGHPUT_COLUMNS: readonly TextColumn[] = [
  { title: 'replication' },
  { title: 'file MiB', align: 'right' },
  { title: 'block MiB', align: 'right' },
  { title: 'write s', align: 'right' },
  { title: 'write MiB/s', align: 'right' },
  { title: 'read s', align: 'right' },
  { title: 'read MiB/s', align: 'right' },
  { title: 'CPU ms/MiB write: client / DNs / others', align: 'right' },
  { title: 'read: client / DNs / others', align: 'right' },
  { title: 'rounds: write / read MiB/s' },
];

/** CPU ms per MiB as `client / datanodes / others`, or — when the row was measured without a sampler. */
export function cpuPerMiBText(c: CpuPerMiB | undefined): string {
  return c ? `${fmt(c.client, 2)} / ${fmt(c.datanodes, 2)} / ${fmt(c.others, 2)}` : '—';
}

function throughputCells(r: DataThroughputRow): string[] {
  return [
    String(r.replication),
    fmt(r.bytes / MiB, 0),
    fmt(r.blockSize / MiB, 0),
    fmt(r.writeSeconds, 2),
    fmt(r.writeMiBps, 1),
    fmt(r.readSeconds, 2),
    fmt(r.readMiBps, 1),
    cpuPerMiBText(r.writeCpu),
    cpuPerMiBText(r.readCpu),
    (r.rounds ?? []).map((x) => `${fmt(x.writeMiBps, 0)}/${fmt(x.readMiBps, 0)}`).join(', ') || '—',
  ];
}

const STATEMENT_COLUMNS: readonly TextColumn[] = [
  { title: 'step' },
  { title: 'calls', align: 'right' },
  { title: 'seconds', align: 'right' },
  { title: 'DB stmts/call', align: 'right' },
  { title: 'sel', align: 'right' },
  { title: 'ins', align: 'right' },
  { title: 'upd', align: 'right' },
  { title: 'del', align: 'right' },
  { title: 'commit', align: 'right' },
  { title: 'NN CPU µs/call', align: 'right' },
  { title: 'MariaDB CPU µs/call', align: 'right' },
];

function statementCells(r: BlockOpStatementsRow): string[] {
  const s = (c: keyof BlockOpStatementsRow['perCall']): string => fmt(r.perCall[c], 2);
  const micros = (v: number | undefined): string => (v === undefined ? '—' : fmt(v, 0));
  return [r.step, String(r.calls), fmt(r.seconds, 2), s('Statements'), s('Com_select'), s('Com_insert'), s('Com_update'), s('Com_delete'), s('Com_commit'), micros(r.namenodeCpuMicros), micros(r.databaseCpuMicros)];
}

export const DATA_NOTES: readonly string[] = [
  'data: one client stream, written then read, per replication factor and round; the rates shown are the medians of the rounds (each round beside them: a single stream on a shared box moves by 2x between rounds), after one unmeasured round on the fresh datanode processes. One client stream through the real data client (WRITE_BLOCK pipelines with every ack awaited, READ_BLOCK with checksums verified) to datanode processes on this machine; disks and cores are shared, so the figures are a floor. The rounds run in a client process of their own, started for them (as `hdfs dfs -put` and `-cat` are), not in the bench process. CPU ms per MiB (medians of the rounds): that client, the datanode processes summed, and others = the busy time of the whole machine (/proc/stat) less those two: the namenode, MariaDB and anything else running on the box meanwhile.',
  'block steps: small 1-block files taken one step at a time over all files (create, addBlock, the written replicas\' incremental reports, complete); SHOW GLOBAL STATUS deltas minus the idle background rate (heartbeats, housekeeping) ÷ files; CPU of the namenode and MariaDB processes (/proc) over the step ÷ files, background and the reports\' settle time included.',
];

export function dataThroughputText(rows: readonly DataThroughputRow[]): string {
  return formatTextTable(THROUGHPUT_COLUMNS, rows.map(throughputCells));
}

export function blockOpStatementsText(rows: readonly BlockOpStatementsRow[]): string {
  return formatTextTable(STATEMENT_COLUMNS, rows.map(statementCells));
}

export function dataSummaries(throughput: readonly DataThroughputRow[], statements: readonly BlockOpStatementsRow[]): SummaryTable[] {
  return [
    { title: 'data: real bytes through datanodes', columns: THROUGHPUT_COLUMNS, rows: throughput.map(throughputCells), notes: [DATA_NOTES[0] as string] },
    { title: 'data: namenode DB statements per block step', columns: STATEMENT_COLUMNS, rows: statements.map(statementCells), notes: [DATA_NOTES[1] as string] },
  ];
}
