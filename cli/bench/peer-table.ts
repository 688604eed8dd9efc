import type { SummaryTable } from '../../loadgen/html-report';
import type { MachineShares } from '../../loadgen/process-cpu';
import { fmt, formatTextTable, wholePercent, type TextColumn } from '../../loadgen/text-table';

/** One side's figure for an operation (with the machine's idle and steal shares while it ran, when known), or why there is none. */
export type PeerCell = { readonly opsPerSec: number; readonly p50Ms?: number; readonly machine?: MachineShares } | { readonly missing: string };

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
  /** Why a side has no figure ("nnfleet: not supported: …"). */
  readonly notes: readonly string[];
}

const has = (c: PeerCell): c is { opsPerSec: number; p50Ms?: number; machine?: MachineShares } => 'opsPerSec' in c;

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
