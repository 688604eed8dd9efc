import type { SummaryTable } from '../../loadgen/html-report';
import { fmt, formatTextTable, type TextColumn } from '../../loadgen/text-table';
import type { FleetScalingRun } from './fleet-scaling';

const COLUMNS: readonly TextColumn[] = [
  { title: 'namenodes' },
  { title: 'fileStatus ops/s', align: 'right' },
  { title: 'p50 ms', align: 'right' },
  { title: 'p99 ms', align: 'right' },
  { title: 'errors', align: 'right' },
  { title: 'DB stmts/op', align: 'right' },
  { title: 'NN CPU µs/op each', align: 'right' },
  { title: 'NN sum', align: 'right' },
  { title: 'loadgen', align: 'right' },
  { title: 'haproxy', align: 'right' },
  { title: 'MariaDB', align: 'right' },
  { title: 'all µs/op', align: 'right' },
  { title: 'CPU bound ops/s', align: 'right' },
  { title: 'NN idle CPU %', align: 'right' },
];

function totalMicros(r: FleetScalingRun): { nn: number; all: number } {
  const c = r.cpuMicrosPerOp;
  const nn = c.namenodes.reduce((a, b) => a + b, 0);
  return { nn, all: nn + c.loadgen + c.haproxy + c.mariadb };
}

function cells(r: FleetScalingRun, cores: number): string[] {
  const c = r.cpuMicrosPerOp;
  const { nn, all } = totalMicros(r);
  return [
    String(r.namenodes),
    fmt(r.phase.opsPerSec, 0),
    fmt(r.phase.latency.p50Ms, 3),
    fmt(r.phase.latency.p99Ms, 3),
    String(r.phase.totalErrors),
    fmt(r.dbStatementsPerOp, 2),
    c.namenodes.map((x) => fmt(x, 0)).join(' + '),
    fmt(nn, 0),
    fmt(c.loadgen, 0),
    fmt(c.haproxy, 0),
    fmt(c.mariadb, 0),
    fmt(all, 0),
    fmt((cores * 1e6) / Math.max(all, 1), 0),
    r.idleCpuPercent.map((x) => fmt(x, 0)).join(' + '),
  ];
}

/** What the runs show: the 2-NN/1-NN ratio, and the CPU that bounds the aggregate on this machine. */
export function fleetScalingNotes(runs: readonly FleetScalingRun[], cores: number): string[] {
  const one = runs.find((r) => r.namenodes === 1);
  const two = runs.find((r) => r.namenodes === 2);
  const notes = [
    'fleet: nnbench fileStatus through haproxy (leastconn, one IPC connection per client thread) in front of 1, then 2 namenode processes on the same database, each measured after a 2 s warm-up.',
    'DB stmts/op: statements delta (Queries − Com_compound_sql) ÷ operations (namenodes batch the lookups of concurrent requests into one query, so fewer requests per batch cost more statements each).',
    'NN idle CPU %: each namenode\'s CPU over 2 s with no client load just before its run — background work (housekeeping, reaping) that the run\'s µs/op then includes.',
    'CPU µs/op: utime+stime from /proc/PID/stat of each process over the run ÷ operations; CPU bound = cores × 10^6 ÷ all µs/op, the most this machine could do with every core busy.',
  ];
  if (one && two) {
    const ratio = two.phase.opsPerSec / Math.max(one.phase.opsPerSec, 1e-9);
    const { nn: nn1 } = totalMicros(one);
    const { nn: nn2, all } = totalMicros(two);
    notes.push(
      `2-NN / 1-NN aggregate fileStatus: ${fmt(ratio, 2)}×. Namenode CPU per operation ${fmt(nn1, 0)} µs with one, ${fmt(nn2, 0)} µs summed over two; ` +
        `all processes together ${fmt(all, 0)} µs per operation, so ${cores} cores allow at most ~${fmt((cores * 1e6) / Math.max(all, 1), 0)} ops/s` +
        (ratio < 1.2 ? ' — the machine\'s cores, not the namenode count, bound the aggregate here.' : '.'),
    );
  }
  return notes;
}

export function fleetScalingText(runs: readonly FleetScalingRun[], cores: number): string {
  return formatTextTable(COLUMNS, runs.map((r) => cells(r, cores)));
}

export function fleetScalingSummary(runs: readonly FleetScalingRun[], cores: number): SummaryTable {
  return { title: 'fleet: fileStatus through haproxy, 1 and 2 namenodes', columns: COLUMNS, rows: runs.map((r) => cells(r, cores)), notes: fleetScalingNotes(runs, cores) };
}
