import type mysql from 'mysql2/promise';
import { INNODB_METRIC } from './db-probe-statements';
import { readStatementCounts } from './db-status';

/** What a profiled phase is compared by, read before and after it. */
export interface PhaseGauges {
  /** The namenode's user+system CPU so far (µs, /proc). */
  readonly cpuMicros: number;
  /** V8 heap in use (bytes), from the namenode's /metrics. */
  readonly heapUsedBytes: number;
  /** GC pause seconds and count so far, by kind (minor, major, incremental, weakcb). */
  readonly gcSeconds: Readonly<Record<string, number>>;
  readonly gcCount: Readonly<Record<string, number>>;
  readonly hintCacheEntries: number;
  readonly inodeCacheEntries: number;
  /** The database's statements so far (db-status.ts). */
  readonly questions: number;
  /** InnoDB undo history not yet purged (trx_rseg_history_len). */
  readonly historyLength: number;
}

/** One sample of a Prometheus text line `name{labels} value`, labels optional. */
function samples(text: string, name: string): { labels: string; value: number }[] {
  const out: { labels: string; value: number }[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (m && m[1] === name) out.push({ labels: m[2] ?? '', value: Number(m[3]) });
  }
  return out;
}

const byKind = (text: string, name: string): Record<string, number> =>
  Object.fromEntries(samples(text, name).map((s) => [/kind="([^"]*)"/.exec(s.labels)?.[1] ?? '', s.value]));

/** The namenode's /metrics plus the database's counters, at one moment. */
export async function readPhaseGauges(httpPort: number, cpuMicros: number, db: mysql.Pool): Promise<PhaseGauges> {
  const text = await (await fetch(`http://127.0.0.1:${httpPort}/metrics`)).text();
  const [rows] = await db.query<mysql.RowDataPacket[]>(INNODB_METRIC, ['trx_rseg_history_len']);
  return {
    cpuMicros,
    ...namenodeGauges(text),
    questions: (await readStatementCounts(db)).Statements,
    historyLength: Number(rows[0]?.['value'] ?? NaN),
  };
}

/** The gauges read from a namenode's Prometheus text. */
export function namenodeGauges(text: string): Pick<PhaseGauges, 'heapUsedBytes' | 'gcSeconds' | 'gcCount' | 'hintCacheEntries' | 'inodeCacheEntries'> {
  const one = (name: string): number => samples(text, name)[0]?.value ?? NaN;
  return {
    heapUsedBytes: one('nnfleet_nodejs_heap_size_used_bytes'),
    gcSeconds: byKind(text, 'nnfleet_nodejs_gc_duration_seconds_sum'),
    gcCount: byKind(text, 'nnfleet_nodejs_gc_duration_seconds_count'),
    hintCacheEntries: one('nnfleet_hint_cache_entries'),
    inodeCacheEntries: one('nnfleet_inode_cache_entries'),
  };
}

const sum = (r: Readonly<Record<string, number>>): number => Object.values(r).reduce((a, b) => a + b, 0);

/** The phase's row: per-operation CPU, GC and statements, and where the heap and caches ended. */
export function phaseGaugeRow(label: string, ops: number, opsPerSec: number, before: PhaseGauges, after: PhaseGauges): string[] {
  const per = (v: number): string => (ops > 0 ? (v / ops).toFixed(1) : '-');
  const gcMicros = (sum(after.gcSeconds) - sum(before.gcSeconds)) * 1e6;
  const gcBy = (kind: string): number => (after.gcCount[kind] ?? 0) - (before.gcCount[kind] ?? 0);
  return [
    label,
    String(ops),
    opsPerSec.toFixed(0),
    per(after.cpuMicros - before.cpuMicros),
    per(gcMicros),
    `${gcBy('minor')}/${gcBy('major')}/${gcBy('incremental')}`,
    ops > 0 ? ((after.questions - before.questions) / ops).toFixed(2) : '-',
    (after.heapUsedBytes / 2 ** 20).toFixed(1),
    String(after.hintCacheEntries),
    String(after.inodeCacheEntries),
    `${before.historyLength}→${after.historyLength}`,
  ];
}

export const PHASE_GAUGE_TITLES = [
  'phase',
  'ops',
  'ops/s',
  'NN CPU µs/op',
  'GC µs/op',
  'GCs minor/major/incr',
  'DB stmts/op',
  'heap MiB after',
  'hint entries',
  'inode cache entries',
  'InnoDB history',
] as const;
