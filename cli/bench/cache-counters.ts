import type mysql from 'mysql2/promise';
import { showGlobalStatus } from './db-probe-statements';

/** The coherent cache's counters (`nnfleet_*_cache_*` on a namenode's /metrics), by name. */
export async function readCacheCounters(httpPort: number): Promise<Record<string, number>> {
  const text = await (await fetch(`http://127.0.0.1:${httpPort}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const m = /^nnfleet_(\w*cache_\w+)\s+(\S+)$/.exec(line);
    if (m?.[1] && !m[1].startsWith('hint_')) out[m[1]] = Number(m[2]);
  }
  return out;
}

/** What changed between two readings of counters, as `name +delta` (gauges that are levels, as their end value); unchanged ones left out. */
export function counterChanges(before: Readonly<Record<string, number>>, after: Readonly<Record<string, number>>): string {
  const levels = /(_entries|_bytes|_lease_valid|_lease_remaining_ms|_max)$/;
  const parts: string[] = [];
  for (const [k, v] of Object.entries(after)) {
    if (levels.test(k)) parts.push(`${k} ${Math.round(v)}`);
    else if (v !== (before[k] ?? 0)) parts.push(`${k} +${Math.round(v - (before[k] ?? 0))}`);
  }
  return parts.join(', ');
}

const LOCK_COUNTERS = ['Innodb_row_lock_waits', 'Innodb_row_lock_time', 'Innodb_deadlocks'] as const;

/** The database's row-lock waits, their total ms, and deadlocks so far (SHOW GLOBAL STATUS). */
export async function readLockWaits(pool: mysql.Pool): Promise<Record<string, number>> {
  const [rows] = await pool.query<mysql.RowDataPacket[]>(showGlobalStatus(LOCK_COUNTERS.length), [...LOCK_COUNTERS]);
  return Object.fromEntries(rows.map((r) => [String(r['Variable_name']), Number(r['Value'])]));
}
