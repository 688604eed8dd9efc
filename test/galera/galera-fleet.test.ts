import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { hadoop } from '../../protocol/generated/hadoop';
import { IpcClient } from '../../protocol/ipc/client';
import { CLIENT_PROTOCOL } from '../../protocol/ipc/wire-constants';
import type { CliRun } from '../cli/cli-process';
import type { FleetOutput } from '../cli/fleet-output';
import { until } from '../harness/eventually';
import { hdfs } from '../harness/go-hdfs';
import { galeraFleetFixture, type GaleraCluster } from '../harness/galera-cluster';

const H = hadoop.hdfs;
const USER = userInfo().username;
const WRITERS = 4;
const CALL_TIMEOUT_MS = 12_000;
const everyWriter = (served: (w: number) => boolean): boolean => Array.from({ length: WRITERS }, (_, w) => w).every(served);

/**
 * The fleet on a real 3-node Galera cluster started by the project's
 * script, namenodes spread over two database nodes, clients through
 * haproxy; one database node is killed -9 mid-load. Part of the suite, so
 * kept to about a minute.
 */
describe('galera: the fleet on a 3-node Galera cluster', () => {
  const startFleet = galeraFleetFixture('nngal-');

  it(
    'keeps serving after one database node is killed mid-load, and loses no acknowledged write',
    async () => {
      const { cluster, up, fleet } = await startFleet();
      const dir = cluster.dir;
      const db2 = cluster.nodes[1];
      if (!db2) throw new Error('no node 2');
      expect((await cluster.status()).match(/state=Synced cluster_size=3/g)).toHaveLength(3);

      const load = startLoad(fleet);
      const haproxyLog = (): string => readFileSync(join(dir, 'fleet/haproxy/haproxy.log'), 'utf8');
      let killedAt = 0;
      let downAt = 0;
      try {
        await until('every writer to have a write acknowledged', () => everyWriter((w) => load.acks.some((a) => a.writer === w)), 60_000);
        process.kill(db2.pid, 'SIGKILL');
        killedAt = Date.now();
        // namenode-2 still runs but lost its database: its /healthz fails, and haproxy takes it out for that.
        await until('haproxy to take namenode-2 out', () => /Server namenodes_ipc\/namenode-2 is DOWN, reason: Layer7/.test(haproxyLog()), 60_000, 100);
        downAt = Date.now();
        // Serving again after the stall, not just before it: a write sent after that, by every writer.
        await until('every writer to have a write acknowledged that it sent after namenode-2 was taken out', () => everyWriter((w) => load.acks.some((a) => a.writer === w && a.sentAt > downAt)), 60_000, 100);
      } finally {
        await load.stop();
      }
      const beforeKill = load.acks.filter((a) => a.ackedAt < killedAt).length;
      console.info(
        `galera load: ${beforeKill} acked before the kill, ${load.acks.length - beforeKill} after; ${load.failures} failed calls; ` +
          `haproxy took namenode-2 out ${downAt - killedAt} ms after the kill; longest gap between acks ${load.longestGapMs()} ms`,
      );
      expect(await cluster.status()).toMatch(/^node2 down$/m);

      // Every acknowledged write is there, through the balancer and through each namenode still on a live database node.
      for (const via of [fleet.balancer, fleet.namenodes[0]?.rpc ?? '']) {
        for (let w = 0; w < WRITERS; w++) {
          const listed = await hdfs(via, USER, ['ls', `/load/w${w}`]);
          expect({ via, code: listed.code, stderr: listed.code === 0 ? '' : listed.stderr }).toEqual({ via, code: 0, stderr: '' });
          const present = new Set(listed.stdout.split('\n'));
          const mine = load.acks.filter((a) => a.writer === w);
          const missing = mine.filter((a) => !present.has(a.src.slice(`/load/w${w}/`.length)));
          if (missing.length > 0) console.error(`via ${via}: missing ${await describeMissing(missing, killedAt, cluster)}`);
          expect(missing.map((a) => a.src)).toEqual([]);
        }
      }

      up.child.kill('SIGTERM');
      expect(await up.exited).toBe(0);
    },
    120_000,
  );
});

interface Ack {
  readonly writer: number;
  readonly src: string;
  readonly sentAt: number;
  readonly ackedAt: number;
}

interface Load {
  readonly acks: Ack[];
  readonly failures: number;
  longestGapMs(): number;
  stop(): Promise<void>;
}

/**
 * WRITERS clients creating directories through the balancer, one call at a
 * time each, as a client would: a call that fails or hangs past its timeout
 * counts as not acknowledged, and the client reconnects.
 */
function startLoad(fleet: FleetOutput): Load {
  const [host = '', port = ''] = fleet.balancer.split(':');
  const acks: Ack[] = [];
  let failures = 0;
  let running = true;
  const writer = async (w: number): Promise<void> => {
    let client: IpcClient | undefined;
    for (let i = 0; running; i++) {
      const src = `/load/w${w}/d${i}`;
      try {
        client ??= await IpcClient.connect({ host, port: Number(port), user: USER, protocolName: CLIENT_PROTOCOL, connectTimeoutMs: 3000 });
        const sentAt = Date.now();
        const call = client.call('mkdirs', H.MkdirsRequestProto, { src, masked: { perm: 0o755 }, createParent: true }, H.MkdirsResponseProto);
        const res = await withTimeout(call, CALL_TIMEOUT_MS);
        if (!res.result) throw new Error(`mkdirs ${src} returned false`);
        acks.push({ writer: w, src, sentAt, ackedAt: Date.now() });
      } catch {
        failures++;
        await client?.close().catch(() => undefined);
        client = undefined;
        await sleep(100);
      }
    }
    await client?.close();
  };
  const done = Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
  return {
    acks,
    get failures() {
      return failures;
    },
    longestGapMs: () => {
      const times = acks.map((a) => a.ackedAt).sort((a, b) => a - b);
      return times.slice(1).reduce((gap, t, i) => Math.max(gap, t - (times[i] ?? t)), 0);
    },
    stop: async () => {
      running = false;
      await done;
    },
  };
}

/** Where each missing acknowledged write is: its timing against the kill, and its row on each live database node. */
async function describeMissing(missing: readonly Ack[], killedAt: number, cluster: GaleraCluster): Promise<string> {
  const lines: string[] = [];
  for (const a of missing) {
    const [, , parent = '', name = ''] = a.src.split('/');
    const sql =
      `SELECT COUNT(*) FROM nnfleet.inodes c JOIN nnfleet.inodes p ON c.parent_id = p.id ` +
      `WHERE c.name = '${name}' AND p.name = '${parent}'`;
    const rows: string[] = [];
    for (const node of [1, 3]) rows.push(`node${node} rows=${(await cluster.sql(node, sql).catch((e: unknown) => String(e))).trim()}`);
    lines.push(`${a.src} sent ${a.sentAt - killedAt} ms, acked ${a.ackedAt - killedAt} ms after the kill; ${rows.join(', ')}`);
  }
  return lines.join('; ');
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms)));
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
