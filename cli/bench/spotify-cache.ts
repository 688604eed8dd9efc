import type mysql from 'mysql2/promise';
import { join } from 'node:path';
import { ClientPool } from '../../loadgen/client-pool';
import { buildNamespace } from '../../loadgen/namespace-builder';
import { NamespaceLayout } from '../../loadgen/namespace-layout';
import { processCpuMicros } from '../../loadgen/process-cpu';
import type { ModeContext } from '../../loadgen/run-phase';
import type { NamenodeChild } from '../fleet/namenode-child';
import { startRedisServer } from '../local/redis-server';
import { counterChanges, readCacheCounters, readLockWaits } from './cache-counters';
import type { SectionOutput } from './bench-extra-sections';
import { benchSpotify, nnbenchPhase, SPOTIFY_LABEL, type SharedConnections, type WorkloadShape } from './bench-workload';
import type { LocalFleet } from './local-fleet';
import { failureReason, measuredRow, settingRowsOutput, spawnBenchNamenode, type SettingRow } from './measured-phase';

/** A Spotify mix row, with the CPU its namenode spent per operation (µs) and its errors by class. */
export interface SpotifyCacheRow extends SettingRow {
  readonly namenodeCpuMicrosPerOp: number;
  readonly errorsByClass: Readonly<Record<string, number>>;
  /** Each operation of the mix: count, p50, p99 and max latency (ms). */
  readonly byOp: readonly { op: string; count: number; p50Ms: number; p99Ms: number; maxMs: number }[];
  /** The namenode's cache counters that moved during the mix (/metrics), as text. */
  readonly cacheCounters: string;
  /** The database's row-lock waits, their ms and deadlocks during the mix, as text. */
  readonly lockWaits: string;
}

export interface SpotifyCacheSection extends SectionOutput {
  readonly rows: readonly SpotifyCacheRow[];
}

const WARM_UP_SECONDS = 2;

/**
 * The Spotify mix through a fresh namenode with the coherent cache off,
 * then on (a private redis-server, as `nnfleet up` runs it). The mix
 * renames and deletes files, so each setting gets a namespace of its own
 * shaped like `like` (built through that namenode, then read once by
 * unmeasured open and listStatus passes: the steady state the main table's
 * mix, after its read phases, also sees). A failure is reported, not fatal.
 */
export async function runSpotifyCacheSection(
  dir: string,
  fleet: LocalFleet,
  dbPool: mysql.Pool,
  ctx: ModeContext,
  like: NamespaceLayout,
  w: WorkloadShape & SharedConnections,
): Promise<SpotifyCacheSection> {
  const rows: SpotifyCacheRow[] = [];
  const redis = await startRedisServer({ dir: join(dir, 'redis-spotify'), host: '127.0.0.1', port: 0 }).catch((err: unknown) => err as Error);
  if (redis instanceof Error) return { rows, summaries: [], text: [], failure: `Spotify mix with the cache not run: ${failureReason(redis)}` };
  let nn: NamenodeChild | undefined;
  try {
    const modes: { tag: string; defines: Record<string, string> }[] = [
      { tag: 'off', defines: {} },
      { tag: 'on', defines: { redisUrl: redis.url } },
    ];
    for (const m of modes) {
      nn = await spawnBenchNamenode(dir, fleet.mysqlUrl, `bench-spotify-cache-${m.tag}`, m.defines);
      const pool = await ClientPool.open({ namenodes: [`127.0.0.1:${nn.rpcPort}`], user: fleet.superuser, connections: w.connections });
      try {
        const c: ModeContext = { ...ctx, pool };
        const layout = new NamespaceLayout(`/bench-spotify-cache-${m.tag}`, like.files, like.filesPerDir);
        await buildNamespace(c, layout, w.threads, `Spotify mix, cache ${m.tag}: namespace`);
        for (const op of ['open', 'listStatus'] as const) await nnbenchPhase(c, layout, op, { ...w, seconds: WARM_UP_SECONDS });
        const spotify = benchSpotify(c, layout, w);
        await spotify.warmUp();
        const cpu = processCpuMicros(nn.pid);
        const counters = await readCacheCounters(nn.httpPort);
        const locks = await readLockWaits(dbPool);
        let ops = 1;
        const errorsByClass: Record<string, number> = {};
        let byOp: SpotifyCacheRow['byOp'] = [];
        const row = await measuredRow(dbPool, SPOTIFY_LABEL, `cache ${m.tag}, 1 namenode`, async () => {
          const phase = await spotify.measured();
          ops = Math.max(1, phase.totalOps + phase.totalErrors);
          for (const o of phase.ops) for (const [k, n] of Object.entries(o.errorsByClass)) errorsByClass[`${o.op} ${k}`] = (errorsByClass[`${o.op} ${k}`] ?? 0) + n;
          byOp = phase.ops.map((o) => ({ op: o.op, count: o.count, p50Ms: o.latency.p50Ms, p99Ms: o.latency.p99Ms, maxMs: o.latency.maxMs }));
          return phase;
        });
        const namenodeCpuMicrosPerOp = (processCpuMicros(nn.pid) - cpu) / ops;
        rows.push({ ...row, namenodeCpuMicrosPerOp, errorsByClass, byOp, cacheCounters: counterChanges(counters, await readCacheCounters(nn.httpPort)), lockWaits: counterChanges(locks, await readLockWaits(dbPool)) });
      } finally {
        await pool.close();
      }
      await nn.stop();
      nn = undefined;
    }
  } catch (err) {
    return { rows, summaries: [], text: [], failure: `Spotify mix with the cache failed: ${failureReason(err)}` };
  } finally {
    await nn?.stop();
    await redis.stop();
  }
  const out = settingRowsOutput('Spotify mix, coherent cache off and on (fresh namenode each)', rows, [
    `Each setting: a fresh namenode and a namespace of its own (${like.files} files in directories of ${like.filesPerDir}), read once by unmeasured ${WARM_UP_SECONDS} s open and listStatus passes. Cache on: -D redisUrl= a private redis-server, as nnfleet up runs it.`,
    `namenode CPU µs/op (/proc user+system of that namenode): ${rows.map((r) => `${r.setting}: ${r.namenodeCpuMicrosPerOp.toFixed(0)}`).join('; ')}`,
    ...rows.map((r) => `latency by operation, ${r.setting} (count p50/p99/max ms): ${r.byOp.map((o) => `${o.op} ${o.count} ${o.p50Ms.toFixed(1)}/${o.p99Ms.toFixed(1)}/${o.maxMs.toFixed(0)}`).join('; ')}`),
    ...rows.map((r) => `database row-lock waits during the mix, ${r.setting}: ${r.lockWaits || 'none'}`),
    ...rows.filter((r) => r.cacheCounters !== '').map((r) => `cache counters during the mix, ${r.setting}: ${r.cacheCounters}`),
    ...rows.filter((r) => r.errors > 0).map((r) => `errors, ${r.setting}: ${Object.entries(r.errorsByClass).map(([k, n]) => `${k} ${n}`).join(', ')}`),
  ]);
  return { rows, ...out };
}

/** The cache-on row as the targets table's second Spotify figure; nothing when it was not measured. */
export function spotifyCacheOnTarget(s: SpotifyCacheSection | undefined): { spotifyCacheOn?: { opsPerSec: number; source: string } } {
  const on = s?.rows.find((r) => r.setting.startsWith('cache on'));
  if (!on) return {};
  return { spotifyCacheOn: { opsPerSec: on.opsPerSec, source: `Spotify mix section, ${on.setting} (fresh namenode, private Redis as nnfleet up runs it)` } };
}
