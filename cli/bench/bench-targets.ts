import type { SummaryTable } from '../../loadgen/html-report';
import { fmt, formatTextTable, wholePercent, type TextColumn } from '../../loadgen/text-table';
import type { BenchRow } from './bench-summary';
import { namedCpuTotal } from './cpu-split';
import { SMALL_FILES_OP } from './peer-data-rows';
import { NNBENCH_PHASES, SPOTIFY_LABEL } from './bench-workload';
import type { SettingRow } from './measured-phase';
import type { PeerRow } from './peer-table';

/** The small-files section's figure: the fields of its result that the targets read (structurally its `SmallFilesResult`). */
export interface SmallFilesInput {
  readonly files: number;
  readonly threads: number;
  readonly bytes: number;
  readonly replication: number;
  readonly filesPerSecond: number;
  /** One file, create to complete's true. */
  readonly latency: { readonly p50Ms: number };
  /**
   * The CPU the processes that wrote the files spent per file (namenode,
   * datanodes, MariaDB, the writers' client), when measured: with the
   * machine's cores, what says whether the bound fits this machine.
   */
  readonly cpuMicrosPerFile?: number;
}

/** What the same small files cost Apache HDFS on this machine (its JVM and the writers' client), from the side-by-side section. */
export interface PeerSmallFilesCost {
  readonly cpuMicrosPerFile: number;
}

/** One big file through the datanodes (the data section's throughput rows). */
export interface DataInput {
  readonly replication: number;
  readonly bytes: number;
  readonly writeMiBps: number;
  readonly readMiBps: number;
  /** The rounds the rates are the medians of, when there were several. */
  readonly rounds?: readonly unknown[];
}

/** Statements per fileStatus with one namenode and with two, from the same section of the same run. */
export interface TwoNamenodesInput {
  readonly one: number;
  readonly two: number;
  readonly source: string;
}

/** What one run of `npm run bench` measured; a section that did not run is absent, and its targets say "not run". */
export interface TargetInputs {
  /** The main table's rows (nnbench ops and the Spotify mix against the database's ceilings). */
  readonly main: readonly BenchRow[];
  readonly smallFiles?: SmallFilesInput;
  readonly data?: readonly DataInput[];
  readonly twoNamenodes?: TwoNamenodesInput;
  /** The Spotify mix with the coherent cache on, when the run measured it: a second row beside the main table's. */
  readonly spotifyCacheOn?: { readonly opsPerSec: number; readonly source: string };
  /** The HDFS side-by-side rows; absent when the peer section did not run. */
  readonly peer?: readonly PeerRow[];
  /** The machine's cores: with a figure's CPU per operation, the most that figure can reach here. */
  readonly cores?: number;
}

export type TargetMet = 'yes' | 'no' | 'not run';

export interface TargetRow {
  readonly figure: string;
  /** null: not measured in this run (`source` says why). */
  readonly measured: number | null;
  /** As printed: the bound's decimals (at least 2 below 1, so 0.04 statements do not print as 0.0); "-" when not measured. */
  readonly measuredText: string;
  readonly target: string;
  readonly met: TargetMet;
  readonly source: string;
}

/** A bound of the issue: the figure must be at least (`≥`) or at most (`≤`) `bound`. */
interface Bound {
  readonly figure: string;
  readonly at: '≥' | '≤';
  readonly bound: number;
  /** Decimals the measured figure and the bound print with. */
  readonly decimals: number;
}

const SMALL_FILES_SHAPE = { bytes: 4096, replication: 3, threads: 16 };
const DATA_MIB = 256;
const DATA_REPLICATION = 3;
const MiB = 1024 * 1024;

function row(b: Bound, measured: number | undefined, source: string): TargetRow {
  const target = `${b.at} ${fmt(b.bound, b.decimals)}`;
  if (measured === undefined || !Number.isFinite(measured)) return { figure: b.figure, measured: null, measuredText: '-', target, met: 'not run', source };
  const ok = b.at === '≥' ? measured >= b.bound : measured <= b.bound;
  const measuredText = fmt(measured, Math.abs(measured) < 1 ? Math.max(2, b.decimals) : b.decimals);
  return { figure: b.figure, measured, measuredText, target, met: ok ? 'yes' : 'no', source };
}

function smallFilesRows(s: SmallFilesInput | undefined, cores: number | undefined, hdfs: PeerSmallFilesCost | undefined): TargetRow[] {
  const shape = SMALL_FILES_SHAPE;
  const what = s
    ? `small-files section: ${s.files} files of ${s.bytes} B, replication ${s.replication}, ${s.threads} threads`
    : 'small-files section not run';
  const off =
    s && (s.bytes !== shape.bytes || s.replication !== shape.replication || s.threads !== shape.threads)
      ? ` (the target's shape is ${shape.bytes} B, replication ${shape.replication}, ${shape.threads} threads)`
      : '';
  const rate = { figure: 'small files: files/s', at: '≥', bound: SMALL_FILES_RATE, decimals: 0 } as const;
  const p50 = { figure: 'small files: p50 ms (create to complete)', at: '≤', bound: SMALL_FILES_P50_MS, decimals: 1 } as const;
  // With every writer busy all the time, files/s = writers ÷ mean seconds per file (Little's law): the rate a latency bound implies.
  const rateOfP50 = (s?.threads ?? shape.threads) / (SMALL_FILES_P50_MS / 1000);
  return [
    row(rate, s?.filesPerSecond, what + off + coresNeeded(SMALL_FILES_RATE, s?.cpuMicrosPerFile, cores, hdfs)),
    row(
      p50,
      s?.latency.p50Ms,
      what + off + coresNeeded(rateOfP50, s?.cpuMicrosPerFile, cores, hdfs, `${s?.threads ?? shape.threads} writers at ${SMALL_FILES_P50_MS} ms a file make ${fmt(rateOfP50, 0)} files/s`),
    ),
  ];
}

const SMALL_FILES_RATE = 1000;
const SMALL_FILES_P50_MS = 30;

/**
 * "; 5,900 µs of CPU per file: 1,000 files/s at that cost takes 5.9 cores,
 * this machine has 2 (HDFS here: 6,200 µs, 6.2 cores)": whether a rate fits
 * the machine at the cost this run measured, on both sides. Empty without
 * the cost or the cores.
 */
export function coresNeeded(perSecond: number, cpuMicros: number | undefined, cores: number | undefined, hdfs?: PeerSmallFilesCost, why?: string): string {
  if (cpuMicros === undefined || cores === undefined || !(cpuMicros > 0) || !(cores > 0)) return '';
  const need = (micros: number): string => fmt((perSecond * micros) / 1e6, 1);
  const peer = hdfs && hdfs.cpuMicrosPerFile > 0 ? ` (HDFS here: ${fmt(hdfs.cpuMicrosPerFile, 0)} µs, ${need(hdfs.cpuMicrosPerFile)} cores)` : '';
  return (
    `; ${fmt(cpuMicros, 0)} µs of CPU per file (namenode, datanodes, MariaDB, client): ${why ?? `${fmt(perSecond, 0)} files/s`} at that cost take ${need(cpuMicros)} cores, ` +
    `this machine has ${cores}, enough for ${fmt((cores * 1e6) / cpuMicros, 0)} files/s${peer}`
  );
}

function mainRows(main: readonly BenchRow[]): TargetRow[] {
  const byOp = new Map(main.map((r) => [r.op, r]));
  const from = (op: string, b: Bound, pick: (r: BenchRow) => number | null): TargetRow => {
    const r = byOp.get(op);
    if (!r) return row(b, undefined, `main table: no ${op} row (phase not run)`);
    const v = pick(r);
    const ceiling = r.limitPerSec === null ? '' : `, mean ${r.limit} ceiling ${fmt(r.limitPerSec, 0)}/s`;
    const steal = r.machineStealShare === null ? '' : `, steal ${wholePercent(r.machineStealShare)} %`;
    return row(b, v ?? undefined, `main table, ${op} (${fmt(r.opsPerSec, 0)} ops/s${ceiling}${steal})`);
  };
  const ratio = (r: BenchRow): number | null => r.ratioToLimit;
  const statements = (r: BenchRow): number | null => r.dbStatementsPerOp['Statements'] ?? null;
  const cpu = (r: BenchRow): number => r.namenodeCpuMicrosPerOp;
  return [
    from('create', { figure: 'create + complete: ratio to DB locking tx/s', at: '≥', bound: 0.5, decimals: 2 }, ratio),
    from('create', { figure: 'create + complete: DB statements/op', at: '≤', bound: 10, decimals: 2 }, statements),
    from('create', { figure: 'create + complete: NN CPU µs/op', at: '≤', bound: 200, decimals: 0 }, cpu),
    from('mkdirs', { figure: 'mkdirs: ratio to DB locking tx/s', at: '≥', bound: 0.8, decimals: 2 }, ratio),
    from('open', { figure: 'open: ratio to DB point selects/s', at: '≥', bound: 0.8, decimals: 2 }, ratio),
    from('open', { figure: 'open: DB statements/op', at: '≤', bound: 0.2, decimals: 2 }, statements),
    from('listStatus', { figure: 'listStatus: ratio to DB point selects/s', at: '≥', bound: 0.5, decimals: 2 }, ratio),
    from('fileStatus', { figure: 'fileStatus: ratio to DB point selects/s', at: '≥', bound: 1.0, decimals: 2 }, ratio),
    from('fileStatus', { figure: 'fileStatus: NN CPU µs/op', at: '≤', bound: 25, decimals: 0 }, cpu),
    from(SPOTIFY_LABEL, { figure: 'Spotify mix: ops/s', at: '≥', bound: 10_000, decimals: 0 }, (r) => r.opsPerSec),
  ];
}

function dataRows(data: readonly DataInput[] | undefined): TargetRow[] {
  const d = data?.find((r) => r.replication === DATA_REPLICATION);
  const what = !data
    ? 'data section not run'
    : !d
      ? `data section: no replication ${DATA_REPLICATION} row`
      : `data section: one ${fmt(d.bytes / MiB, 0)} MiB file, replication ${d.replication}, one client stream` +
        (d.rounds && d.rounds.length > 1 ? `, median of ${d.rounds.length} rounds` : '') +
        (d.bytes === DATA_MIB * MiB ? '' : ` (the target's file is ${DATA_MIB} MiB)`);
  return [
    row({ figure: `data: write MiB/s (${DATA_MIB} MiB, replication ${DATA_REPLICATION})`, at: '≥', bound: 100, decimals: 1 }, d?.writeMiBps, what),
    row({ figure: `data: read MiB/s (${DATA_MIB} MiB, replication ${DATA_REPLICATION})`, at: '≥', bound: 300, decimals: 1 }, d?.readMiBps, what),
  ];
}

function twoNamenodesRow(t: TwoNamenodesInput | undefined): TargetRow {
  const b: Bound = { figure: 'two namenodes: statements per fileStatus ÷ one namenode\'s', at: '≤', bound: 1.5, decimals: 2 };
  if (!t) return row(b, undefined, 'fleet section (and cache section) not run');
  const source = `${t.source}: ${fmt(t.one, 3)} with one, ${fmt(t.two, 3)} with two`;
  if (t.one > 0) return row(b, t.two / t.one, source);
  // No statement per operation with one namenode: two match it only by costing none either.
  return t.two > 0 ? { ...row(b, undefined, source), met: 'no' } : row(b, 1, source);
}

/** Statements per fileStatus, 1 and 2 namenodes: the fleet section's runs (haproxy in front, the main table's setting). */
export function twoNamenodesFromFleet(runs: readonly { readonly namenodes: number; readonly dbStatementsPerOp: number }[]): TwoNamenodesInput | undefined {
  const one = runs.find((r) => r.namenodes === 1);
  const two = runs.find((r) => r.namenodes === 2);
  return one && two ? { one: one.dbStatementsPerOp, two: two.dbStatementsPerOp, source: 'fleet section (fileStatus through haproxy)' } : undefined;
}

/** The same from the cache section's cache-off rows (fresh namenodes, client connections round-robin): when the fleet section did not run. */
export function twoNamenodesFromCache(rows: readonly SettingRow[]): TwoNamenodesInput | undefined {
  const pick = (n: string): SettingRow | undefined => rows.find((r) => r.operation === 'fileStatus' && r.setting === `cache off, ${n} namenode(s)`);
  const one = pick('1');
  const two = pick('2');
  return one && two ? { one: one.statementsPerOp, two: two.statementsPerOp, source: 'cache section, cache off' } : undefined;
}

function peerRows(peer: readonly PeerRow[] | undefined): TargetRow[] {
  const b = (op: string): Bound => ({ figure: `nnfleet ÷ HDFS: ${op}`, at: '≥', bound: 1, decimals: 2 });
  if (!peer || peer.length === 0) {
    return [...NNBENCH_PHASES.map((p) => p.op), SPOTIFY_LABEL].map((op) => row(b(op), undefined, 'HDFS side-by-side section not run'));
  }
  // The steal each side ran with, where both are known: a ratio between a stolen phase and a whole one compares two machines.
  const steal = (r: PeerRow): string =>
    r.nnfleetMachine && r.hdfsMachine ? `, steal nnfleet / HDFS ${wholePercent(r.nnfleetMachine.steal)} / ${wholePercent(r.hdfsMachine.steal)} %` : '';
  return peer.map((r) => row(b(r.op), r.ratio ?? undefined, r.ratio === null ? `HDFS side by side: ${r.notes.join('; ') || 'no ratio'}` : `HDFS side by side (table above${steal(r)})`));
}

/** HDFS's CPU per small file, from the side-by-side row of the small files when it has HDFS's split. */
function peerSmallFilesCost(peer: readonly PeerRow[] | undefined): PeerSmallFilesCost | undefined {
  const cpu = peer?.find((r) => r.op === SMALL_FILES_OP)?.hdfsCpu;
  return cpu ? { cpuMicrosPerFile: namedCpuTotal(cpu) } : undefined;
}

/** Every target of issue 11 beside what this run measured, in the issue's order. */
export function targetRows(i: TargetInputs): TargetRow[] {
  const spotifyCacheOn = i.spotifyCacheOn
    ? [row({ figure: 'Spotify mix, coherent cache on: ops/s', at: '≥', bound: 10_000, decimals: 0 }, i.spotifyCacheOn.opsPerSec, i.spotifyCacheOn.source)]
    : [];
  return [
    ...smallFilesRows(i.smallFiles, i.cores, peerSmallFilesCost(i.peer)),
    ...mainRows(i.main),
    ...spotifyCacheOn,
    ...dataRows(i.data),
    twoNamenodesRow(i.twoNamenodes),
    ...peerRows(i.peer),
  ];
}

const COLUMNS: readonly TextColumn[] = [
  { title: 'figure' },
  { title: 'measured', align: 'right' },
  { title: 'target', align: 'right' },
  { title: 'met' },
  { title: 'from' },
];

function cells(r: TargetRow): string[] {
  return [r.figure, r.measuredText, r.target, r.met, r.source];
}

export const TARGET_NOTES: readonly string[] = [
  'issue 11 targets: every figure the issue sets a bound for, as this run measured it; met says whether it is inside the bound, "not run" when its section was skipped or failed (from says which).',
  'ratios are ops/s ÷ the database ceiling measured in the same run, the mean of its two db rows in the main table (right before and after the phases it divides); statements are the server\'s statements per operation (Queries − Com_compound_sql); NN CPU is the bench namenode\'s own utime+stime per operation.',
  'nnfleet ÷ HDFS has no bound in the issue beyond matching HDFS (≥ 1.00); below it, the issue asks where the time goes (profiles, bench/README.md).',
  'rates are from one run on a machine whose cores the load generator, MariaDB and the namenode share: statements and CPU per operation are steadier than ops/s.',
];

export function targetsTableText(rows: readonly TargetRow[]): string {
  const met = rows.filter((r) => r.met === 'yes').length;
  const notRun = rows.filter((r) => r.met === 'not run').length;
  return [
    `issue 11 targets: ${met} of ${rows.length} met, ${rows.length - met - notRun} not met, ${notRun} not run`,
    formatTextTable(COLUMNS, rows.map(cells)),
    ...TARGET_NOTES.map((n) => `* ${n}`),
  ].join('\n');
}

export function targetsSummaryTable(rows: readonly TargetRow[]): SummaryTable {
  return { title: 'issue 11 targets', columns: COLUMNS, rows: rows.map(cells), notes: [...TARGET_NOTES] };
}
