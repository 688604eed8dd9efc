import type { SummaryTable } from '../../loadgen/html-report';
import type { PhaseResult } from '../../loadgen/loadgen-result';
import { fmt, formatTextTable, wholePercent, type TextColumn } from '../../loadgen/text-table';
import { STATEMENT_COUNTERS, type StatementCounts } from './db-status';
import type { CpuPerOp } from './cpu-split';

export type LimitKind = 'point select' | 'locking tx';

export interface DbLimits {
  readonly pointSelectsPerSec: number;
  readonly lockingTxPerSec: number;
}

/** One measured phase with what it cost the database and the namenode. */
export interface BenchMeasurement {
  readonly label: string;
  readonly phase: PhaseResult;
  /** Which database ceiling the figure is held against; none for the ceilings themselves. */
  readonly limit?: LimitKind;
  readonly statements: StatementCounts;
  readonly namenodeCpuMicros: number;
  /** The phase's CPU per operation by process (namenode, MariaDB, load generator, the rest): the side-by-side table's split. */
  readonly cpu?: CpuPerOp;
}

export interface BenchRow {
  readonly op: string;
  readonly opsPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
  readonly limit: LimitKind | null;
  readonly limitPerSec: number | null;
  readonly ratioToLimit: number | null;
  /** Statement counter → per operation (errors included: they cost statements too). */
  readonly dbStatementsPerOp: Readonly<Record<string, number>>;
  readonly namenodeCpuMicrosPerOp: number;
  /** Shares of the machine's CPU time during the phase left idle and taken by the hypervisor (steal); null without /proc/stat. */
  readonly machineIdleShare: number | null;
  readonly machineStealShare: number | null;
}

/**
 * A ceiling as the ratios divide by it: the mean of its measurements in
 * this run (right before and right after the phases it divides), the ones
 * that ran; 0 when none did (no ratio).
 */
export function meanCeiling(samples: readonly (Pick<PhaseResult, 'opsPerSec'> | undefined)[]): number {
  const ran = samples.filter((s): s is Pick<PhaseResult, 'opsPerSec'> => s !== undefined && s.opsPerSec > 0);
  return ran.length === 0 ? 0 : ran.reduce((sum, s) => sum + s.opsPerSec, 0) / ran.length;
}

export function benchRow(m: BenchMeasurement, limits: DbLimits): BenchRow {
  const ops = Math.max(1, m.phase.totalOps + m.phase.totalErrors);
  const limitPerSec = m.limit === undefined ? null : m.limit === 'point select' ? limits.pointSelectsPerSec : limits.lockingTxPerSec;
  return {
    op: m.label,
    opsPerSec: m.phase.opsPerSec,
    p50Ms: m.phase.latency.p50Ms,
    p99Ms: m.phase.latency.p99Ms,
    errors: m.phase.totalErrors,
    limit: m.limit ?? null,
    limitPerSec,
    ratioToLimit: limitPerSec ? round(m.phase.opsPerSec / limitPerSec, 4) : null,
    dbStatementsPerOp: Object.fromEntries(STATEMENT_COUNTERS.map((c) => [c, round(m.statements[c] / ops, 3)])),
    namenodeCpuMicrosPerOp: round(m.namenodeCpuMicros / ops, 1),
    // Unrounded: the table's whole percentages then agree with the side-by-side table's, which prints the same shares.
    machineIdleShare: m.phase.machine?.idle ?? null,
    machineStealShare: m.phase.machine?.steal ?? null,
  };
}

function round(x: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
}

const COLUMNS: readonly TextColumn[] = [
  { title: 'op' },
  { title: 'ops/s', align: 'right' },
  { title: 'p50 ms', align: 'right' },
  { title: 'p99 ms', align: 'right' },
  { title: 'errors', align: 'right' },
  { title: 'vs DB limit', align: 'right' },
  { title: 'ratio', align: 'right' },
  { title: 'DB stmts/op', align: 'right' },
  { title: 'sel', align: 'right' },
  { title: 'ins', align: 'right' },
  { title: 'upd', align: 'right' },
  { title: 'del', align: 'right' },
  { title: 'commit', align: 'right' },
  { title: 'NN CPU µs/op', align: 'right' },
  { title: 'idle %', align: 'right' },
  { title: 'steal %', align: 'right' },
];

function cells(r: BenchRow): string[] {
  const s = (c: string): string => fmt(r.dbStatementsPerOp[c] ?? 0, 2);
  return [
    r.op,
    fmt(r.opsPerSec, 0),
    fmt(r.p50Ms, 3),
    fmt(r.p99Ms, 3),
    String(r.errors),
    r.limitPerSec === null ? '-' : `${fmt(r.limitPerSec, 0)} ${r.limit === 'point select' ? 'sel' : 'tx'}/s`,
    r.ratioToLimit === null ? '-' : fmt(r.ratioToLimit, 3),
    s('Statements'),
    s('Com_select'),
    s('Com_insert'),
    s('Com_update'),
    s('Com_delete'),
    s('Com_commit'),
    fmt(r.namenodeCpuMicrosPerOp, 0),
    r.machineIdleShare === null ? '-' : wholePercent(r.machineIdleShare),
    r.machineStealShare === null ? '-' : wholePercent(r.machineStealShare),
  ];
}

export const BENCH_NOTES: readonly string[] = [
  'ratio: ops/s ÷ the database ceiling (point selects/s for reads, small locking transactions/s for writes) measured from the same Node process with the same pool size, right before and right after the phases it divides (the db rows above): the mean of the two.',
  'DB stmts/op: SHOW GLOBAL STATUS deltas (statements: Queries − Com_compound_sql, each statement inside a compound statement counted; Com_select, Com_insert, Com_update, Com_delete, Com_commit) ÷ operations.',
  'NN CPU µs/op: utime+stime of the namenode process alone (/proc/PID/stat) ÷ operations. The load generator and MariaDB share the same cores.',
  'idle %, steal %: shares of the machine\'s CPU time (all cores over the phase, /proc/stat) that nothing used (idle + iowait) and that the hypervisor gave to other guests (steal). A phase with idle cores was bound by latency, not CPU; one with steal ran on a smaller machine than the one before or after it, so its ratio to a ceiling measured with less steal reads low (both are shown for the ceilings too).',
  'Each nnbench row (here and on Apache HDFS) follows an unmeasured pass of the same operation, --warmup-seconds long (default 2), so the JIT compiles its code paths before they are counted; so does each Spotify mix (--spotify-warmup-seconds, default 5, the measured pass continuing the same run: its rarer operations take longer to compile). The mix follows the write phases, which (with their warm-ups) create their entries in directories of their own (<root>-writes), so the directories the reads and the mix use keep the namespace’s shape on both sides.',
];

export function benchTableText(rows: readonly BenchRow[]): string {
  return formatTextTable(COLUMNS, rows.map(cells));
}

export function benchSummaryTable(rows: readonly BenchRow[], extraNotes: readonly string[]): SummaryTable {
  return { title: 'benchmark against the database limit', columns: COLUMNS, rows: rows.map(cells), notes: [...BENCH_NOTES, ...extraNotes] };
}
