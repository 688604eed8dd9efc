import type { LoadgenReport, OpResult, PhaseResult } from './loadgen-result';
import { fmt, formatTextTable, wholePercent, type TextColumn } from './text-table';

const COLUMNS: readonly TextColumn[] = [
  { title: 'op' },
  { title: 'count', align: 'right' },
  { title: 'ops/s', align: 'right' },
  { title: 'mean ms', align: 'right' },
  { title: 'p50 ms', align: 'right' },
  { title: 'p90 ms', align: 'right' },
  { title: 'p99 ms', align: 'right' },
  { title: 'max ms', align: 'right' },
  { title: 'errors', align: 'right' },
];

export function opRow(o: OpResult): string[] {
  const l = o.latency;
  return [o.op, String(o.count), fmt(o.opsPerSec, 1), fmt(l.meanMs, 3), fmt(l.p50Ms, 3), fmt(l.p90Ms, 3), fmt(l.p99Ms, 3), fmt(l.maxMs, 3), String(o.errors)];
}

/** "op: Class ×n, …" lines for the operations that failed. */
export function errorLines(phase: PhaseResult): string[] {
  return phase.ops
    .filter((o) => o.errors > 0)
    .map((o) => `  ${o.op} errors: ${Object.entries(o.errorsByClass).map(([cls, n]) => `${cls} ×${n}`).join(', ')}`);
}

/** A share of the machine's CPU time as a whole percentage. */
export const percent = (share: number): string => `${wholePercent(share)} %`;

/** How the machine's cores spent the phase, when /proc/stat said: on a shared VM the steal is time the phase did not have. */
export function machineLine(phase: PhaseResult): string[] {
  const m = phase.machine;
  if (!m) return [];
  return [`  machine (all cores over the phase): busy ${percent(m.busy)}, of it the hypervisor's steal ${percent(m.steal)}; idle ${percent(m.idle)}`];
}

export function formatPhase(phase: PhaseResult): string {
  const head = `== ${phase.name}: ${phase.threads} threads, ${fmt(phase.durationMs / 1000, 1)} s, ${phase.totalOps} ops, ${fmt(phase.opsPerSec, 1)} ops/s, ${phase.totalErrors} errors`;
  return [head, formatTextTable(COLUMNS, phase.ops.map(opRow)), ...errorLines(phase), ...machineLine(phase), ...(phase.notes ?? []).map((n) => `  ${n}`)].join('\n');
}

/** The whole run as the command prints it at the end. */
export function formatReport(report: LoadgenReport): string {
  return [
    `nnfleet loadgen ${report.mode} against ${report.namenodes.join(', ')}`,
    `data path: ${report.dataPath}`,
    ...report.phases.map(formatPhase),
  ].join('\n\n');
}
