import type mysql from 'mysql2/promise';
import { join } from 'node:path';
import { ClientPool } from '../../loadgen/client-pool';
import type { NamespaceLayout } from '../../loadgen/namespace-layout';
import type { NnbenchOp } from '../../loadgen/nnbench-mode';
import type { ModeContext } from '../../loadgen/run-phase';
import type { NamenodeChild } from '../fleet/namenode-child';
import { startRedisServer } from '../local/redis-server';
import type { SectionOutput } from './bench-extra-sections';
import { nnbenchPhase } from './bench-workload';
import type { LocalFleet } from './local-fleet';
import { freshDirsLike, failureReason, measuredRow, settingRowsOutput, spawnBenchNamenode, type SettingRow } from './measured-phase';

export interface CacheSection extends SectionOutput {
  readonly rows: readonly SettingRow[];
}

const READS: readonly NnbenchOp[] = ['fileStatus', 'open', 'listStatus'];
const WARM_UP_SECONDS = 2;

const NOTES = [
  'Fresh namenodes on the bench database for each setting (cache off: no Redis configured; on: -D redisUrl= a private redis-server); two namenodes: the client connections round-robin over both.',
  `Each read row follows an unmeasured ${WARM_UP_SECONDS} s pass of the same operation (the cache off and on alike). DB stmts/op is the server-wide statement delta per operation, the namenodes' background work included.`,
  'create runs into fresh directories per setting: through one of the two namenodes while both are up (cache on: every create waits for the other\'s invalidation ack), then with the second one stopped.',
  'open reads closed files (their block and replica rows are cached); listStatus lists directories of --files-per-dir files (kept whole in the cache below one listing page, 1000).',
  'The "fresh namenode" rows start one more namenode (cache on) and measure its first seconds only: path hints its own, or also the directories the earlier namenodes shared in Redis.',
];

/**
 * The coherent inode cache (issue 14): fileStatus, open and listStatus with
 * the cache off and on, with one and two namenodes, then create latency
 * off and on, with the peer up and alone. A failure is reported, not fatal.
 */
export async function runCacheSection(
  dir: string,
  fleet: LocalFleet,
  dbPool: mysql.Pool,
  ctx: ModeContext,
  layout: NamespaceLayout,
  w: { threads: number; seconds: number },
): Promise<CacheSection> {
  const rows: SettingRow[] = [];
  const started: NamenodeChild[] = [];
  const redis = await startRedisServer({ dir: join(dir, 'redis'), host: '127.0.0.1', port: 0 }).catch((err: unknown) => err as Error);
  if (redis instanceof Error) return { rows, summaries: [], text: [], failure: `cache section not run: ${failureReason(redis)}` };
  const shape = { ...w, spotifySeconds: 0, dirs: layout.dirs, filesPerDir: layout.filesPerDir };
  const withPool = async <T>(nns: readonly NamenodeChild[], run: (c: ModeContext) => Promise<T>): Promise<T> => {
    const pool = await ClientPool.open({ namenodes: nns.map((nn) => `127.0.0.1:${nn.rpcPort}`), user: fleet.superuser, connections: w.threads });
    try {
      return await run({ ...ctx, pool });
    } finally {
      await pool.close();
    }
  };
  const createRow = (nns: readonly NamenodeChild[], tag: string, run: string, setting: string): Promise<SettingRow> =>
    withPool(nns, async (c) => {
      const into = await freshDirsLike(c, `/bench-cache-create-${tag}-${run}`, layout);
      return measuredRow(dbPool, 'create', setting, () => nnbenchPhase(c, into, 'create', shape));
    });
  try {
    const modes: { tag: string; defines: Record<string, string> }[] = [
      { tag: 'off', defines: {} },
      { tag: 'on', defines: { redisUrl: redis.url } },
    ];
    const creators: { tag: string; nn: NamenodeChild }[] = [];
    for (const m of modes) {
      const nns: NamenodeChild[] = [];
      for (const i of [1, 2]) {
        const nn = await spawnBenchNamenode(dir, fleet.mysqlUrl, `bench-cache-${m.tag}-${i}`, m.defines);
        started.push(nn);
        nns.push(nn);
        await withPool(nns, async (c) => {
          for (const op of READS) {
            // Unmeasured first: the measured row is the steady state (every file and directory read once already).
            await nnbenchPhase(c, layout, op, { ...shape, seconds: WARM_UP_SECONDS });
            rows.push(await measuredRow(dbPool, op, `cache ${m.tag}, ${nns.length} namenode(s)`, () => nnbenchPhase(c, layout, op, shape)));
          }
        });
      }
      // Creates through one namenode while the other is up: with the cache on, each create waits for the peer's ack.
      rows.push(await createRow(nns.slice(0, 1), m.tag, 'two-up', `cache ${m.tag}, 2 namenodes up (creates through one)`));
      creators.push({ tag: m.tag, nn: nns[0] as NamenodeChild });
      // The second namenode of this setting stops before the next setting starts: idle peers cost CPU too.
      const second = nns[1] as NamenodeChild;
      await second.stop();
      started.splice(started.indexOf(second), 1);
    }
    for (const { tag, nn } of creators) rows.push(await createRow([nn], tag, 'one', `cache ${tag}, 1 namenode`));
    // Shared hints (issue 14 point 3): a freshly started namenode's first seconds of fileStatus, with its own hints
    // only, then with the directories the namenodes above shared through Redis.
    for (const shared of [false, true]) {
      const nn = await spawnBenchNamenode(dir, fleet.mysqlUrl, `bench-cache-hints-${shared}`, { redisUrl: redis.url, sharedHints: String(shared) });
      started.push(nn);
      const setting = `fresh namenode, first ${WARM_UP_SECONDS} s, shared hints ${shared ? 'on' : 'off'}`;
      rows.push(await withPool([nn], (c) => measuredRow(dbPool, 'fileStatus', setting, () => nnbenchPhase(c, layout, 'fileStatus', { ...shape, seconds: WARM_UP_SECONDS }))));
      await nn.stop();
      started.splice(started.indexOf(nn), 1);
    }
  } catch (err) {
    return { rows, summaries: [], text: [], failure: `cache section failed: ${failureReason(err)}` };
  } finally {
    for (const nn of started) await nn.stop();
    await redis.stop();
  }
  return { rows, ...settingRowsOutput('coherent cache (issue 14): reads and create, cache off and on', rows, NOTES) };
}
