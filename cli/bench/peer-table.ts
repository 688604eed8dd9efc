import type { SummaryTable } from '../../loadgen/html-report';
import type { MachineShares } from '../../loadgen/process-cpu';
import { fmt, formatTextTable, wholePercent, type TextColumn } from '../../loadgen/text-table';
import { cpuServerTotal, cpuTotal, type CpuPerOp } from './cpu-split';

/** One side's figure for an operation (with the machine's idle and steal shares while it ran, when known), or why there is none. */
export type PeerCell = { readonly opsPerSec: number; readonly p50Ms?: number; readonly machine?: MachineShares; readonly cpu?: CpuPerOp } | { readonly missing: string };

export interface PeerComparison {
  /** e.g. "fileStatus" (our loadgen) or "NNThroughputBenchmark fileStatus" (Hadoop's). */
  readonly op: string;
  readonly nnfleet: PeerCell;
  readonly hdfs: PeerCell;
}

export interface PeerRow {
  readonly op: string;
  readonly nnfleetOpsPerSec: number | null;
  readonly hdfsOpsPerSec: number | null;
  /** nnfleet ÷ HDFS, when both sides have a figure and HDFS's is not zero. */
  readonly ratio: number | null;
  readonly nnfleetP50Ms: number | null;
  readonly hdfsP50Ms: number | null;
  /** Each side's machine shares while it ran (the Node load generator's phases; not NNThroughputBenchmark's). */
  readonly nnfleetMachine: MachineShares | null;
  readonly hdfsMachine: MachineShares | null;
  /** Each side's CPU per operation by process while it ran (the load generator's phases). */
  readonly nnfleetCpu: CpuPerOp | null;
  readonly hdfsCpu: CpuPerOp | null;
  /** Why a side has no figure ("nnfleet: not supported: …"). */
  readonly notes: readonly string[];
}

const has = (c: PeerCell): c is { opsPerSec: number; p50Ms?: number; machine?: MachineShares; cpu?: CpuPerOp } => 'opsPerSec' in c;

export function peerRow(c: PeerComparison): PeerRow {
  const a = has(c.nnfleet) ? c.nnfleet : undefined;
  const b = has(c.hdfs) ? c.hdfs : undefined;
  const why = (side: string, cell: PeerCell): string[] => ('missing' in cell ? [`${side}: ${cell.missing}`] : []);
  const notes = [...why('nnfleet', c.nnfleet), ...why('HDFS', c.hdfs)];
  return {
    op: c.op,
    nnfleetOpsPerSec: a?.opsPerSec ?? null,
    hdfsOpsPerSec: b?.opsPerSec ?? null,
    ratio: a && b && b.opsPerSec > 0 ? Math.round((a.opsPerSec / b.opsPerSec) * 1000) / 1000 : null,
    nnfleetP50Ms: a?.p50Ms ?? null,
    hdfsP50Ms: b?.p50Ms ?? null,
    nnfleetMachine: a?.machine ?? null,
    hdfsMachine: b?.machine ?? null,
    nnfleetCpu: a?.cpu ?? null,
    hdfsCpu: b?.cpu ?? null,
    notes,
  };
}

const COLUMNS: readonly TextColumn[] = [
  { title: 'op' },
  { title: 'nnfleet ops/s', align: 'right' },
  { title: 'HDFS ops/s', align: 'right' },
  { title: 'nnfleet ÷ HDFS', align: 'right' },
  { title: 'nnfleet p50 ms', align: 'right' },
  { title: 'HDFS p50 ms', align: 'right' },
  { title: 'idle % nnfleet / HDFS', align: 'right' },
  { title: 'steal % nnfleet / HDFS', align: 'right' },
];

function cells(r: PeerRow): string[] {
  const n = (x: number | null, d: number): string => (x === null ? '-' : fmt(x, d));
  const share = (m: MachineShares | null, part: 'idle' | 'steal'): string => (m === null ? '-' : wholePercent(m[part]));
  const both = (part: 'idle' | 'steal'): string => `${share(r.nnfleetMachine, part)} / ${share(r.hdfsMachine, part)}`;
  return [r.op, n(r.nnfleetOpsPerSec, 0), n(r.hdfsOpsPerSec, 0), n(r.ratio, 2), n(r.nnfleetP50Ms, 3), n(r.hdfsP50Ms, 3), both('idle'), both('steal')];
}

/** Each side's missing figures as notes under the table: one note per reason, naming its operations. */
export function peerNotes(rows: readonly PeerRow[]): string[] {
  const ops = new Map<string, string[]>();
  for (const r of rows) for (const n of r.notes) ops.set(n, [...(ops.get(n) ?? []), r.op]);
  return [...ops].map(([note, names]) => `${names.join(', ')}: ${note}`);
}

export function peerTableText(rows: readonly PeerRow[], notes: readonly string[]): string {
  return [formatTextTable(COLUMNS, rows.map(cells)), ...[...peerNotes(rows), ...notes].map((n) => `* ${n}`)].join('\n');
}

export function peerSummaryTable(rows: readonly PeerRow[], notes: readonly string[]): SummaryTable {
  return { title: 'nnfleet beside Apache HDFS (same machine, same run)', columns: COLUMNS, rows: rows.map(cells), notes: [...peerNotes(rows), ...notes] };
}

const CPU_COLUMNS: readonly TextColumn[] = [
  { title: 'op' },
  { title: 'nnfleet CPU µs/op by process' },
  { title: 'HDFS CPU µs/op by process' },
  { title: 'serving µs/op nnfleet / HDFS', align: 'right' },
  { title: 'nnfleet ÷ HDFS', align: 'right' },
];

/** "namenode 12 + MariaDB 9 + load generator 14 + others 1 = 36". */
export function cpuSplitText(c: CpuPerOp | null): string {
  if (c === null) return '-';
  const parts = [...c.processes.map((p) => `${p.name} ${fmt(p.micros, 0)}`), ...(c.others === null ? [] : [`others ${fmt(c.others, 0)}`])];
  return `${parts.join(' + ')} = ${fmt(cpuTotal(c), 0)}`;
}

/** The rows where both sides have a CPU split. */
const withCpu = (rows: readonly PeerRow[]): PeerRow[] => rows.filter((r) => r.nnfleetCpu !== null || r.hdfsCpu !== null);

function cpuCells(r: PeerRow): string[] {
  const serving = (c: CpuPerOp | null): number | null => (c === null ? null : cpuServerTotal(c));
  const a = serving(r.nnfleetCpu);
  const b = serving(r.hdfsCpu);
  return [
    r.op,
    cpuSplitText(r.nnfleetCpu),
    cpuSplitText(r.hdfsCpu),
    `${a === null ? '-' : fmt(a, 0)} / ${b === null ? '-' : fmt(b, 0)}`,
    a !== null && b !== null && b > 0 ? fmt(a / b, 2) : '-',
  ];
}

export const PEER_CPU_TITLE = 'Where the CPU goes: µs per operation by process, the same phases as the table above';

export const PEER_CPU_NOTES: readonly string[] = [
  'user + system time of each process (/proc/PID/stat) over the measured phase ÷ its operations (the small-files row: ÷ its files); others: the machine\'s busy time (/proc/stat) less the hypervisor\'s steal and the processes named',
  'serving: the processes that answer (nnfleet: its namenode and MariaDB, and in the small-files row its datanodes; HDFS: its JVM, whose 3 DataNodes idle through the namenode phases and write the small files), the load generator (in the small-files row, the writers\' client process) left out; nnfleet ÷ HDFS divides the two: how many times the CPU HDFS needs nnfleet spends on one operation',
  'on 2 cores an operation\'s rate is bounded by the total: a side that needs more CPU per operation than the other cannot be faster while the machine is busy',
];

export function peerCpuTableText(rows: readonly PeerRow[]): string | undefined {
  const shown = withCpu(rows);
  if (shown.length === 0) return undefined;
  return [PEER_CPU_TITLE, formatTextTable(CPU_COLUMNS, shown.map(cpuCells)), ...PEER_CPU_NOTES.map((n) => `* ${n}`)].join('\n');
}

export function peerCpuSummaryTable(rows: readonly PeerRow[]): SummaryTable | undefined {
  const shown = withCpu(rows);
  return shown.length === 0 ? undefined : { title: PEER_CPU_TITLE, columns: CPU_COLUMNS, rows: shown.map(cpuCells), notes: PEER_CPU_NOTES };
}
