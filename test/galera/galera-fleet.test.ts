import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { hadoop } from '../../protocol/generated/hadoop';
import { IpcClient } from '../../protocol/ipc/client';
import { CLIENT_PROTOCOL } from '../../protocol/ipc/wire-constants';
import { runCli, type CliRun } from '../cli/cli-process';
import { parseFleetOutput, type FleetOutput } from '../cli/fleet-output';
import { until } from '../harness/eventually';
import { hdfs } from '../harness/go-hdfs';
import { execProcess as run } from '../harness/process-fixture';
import { recordProcess } from '../harness/run-registry';

const H = hadoop.hdfs;
const SCRIPT = resolve(__dirname, '../../scripts/galera-cluster.sh');
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
  let dir: string;
  let galeraDir: string;
  let up: CliRun | undefined;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'nngal-'));
    // The database nodes run as user mysql, which must reach the cluster's directory below this one.
    chmodSync(dir, 0o755);
    galeraDir = join(dir, 'galera');
  });
  afterAll(async () => {
    await up?.stop();
    await run('bash', [SCRIPT, 'stop', galeraDir], { timeoutMs: 60_000 }).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    'keeps serving after one database node is killed mid-load, and loses no acknowledged write',
    async () => {
      const base = await freePortBlock();
      const started = await run('bash', [SCRIPT, 'start', galeraDir, String(base)], { timeoutMs: 90_000 });
      const nodes = [...started.stdout.matchAll(/^node(\d) pid=(\d+) sql=(\S+)$/gm)].map((m) => ({ pid: Number(m[2]), sql: m[3] ?? '' }));
      // The script setsid's its nodes: recorded, so that neither a failed test nor a killed run leaves one behind.
      for (const n of nodes) recordProcess(n.pid, `galera node ${n.sql}`);
      expect(nodes).toHaveLength(3);
      expect((await run('bash', [SCRIPT, 'status', galeraDir])).stdout.match(/state=Synced cluster_size=3/g)).toHaveLength(3);
      const [db1, db2] = nodes;
      if (!db1 || !db2) throw new Error('three nodes expected');

      const urls = [db1, db2].map((n) => `mysql://root@${n.sql}/nnfleet`).join(',');
      up = runCli(['up', '--data-dir', join(dir, 'fleet'), '--rpc-port', '0', '--http-port', '0', '--datanodes', '0', '--mysql', urls], {
        NNFLEET_LOG_LEVEL: 'warn',
      });
      await up.waitFor(/^ready hdfs:/m, 60_000);
      const fleet = parseFleetOutput(up.stdout());
      expect(up.stdout()).toMatch(new RegExp(`^namenode-1 .* db=${db1.sql} `, 'm'));
      expect(up.stdout()).toMatch(new RegExp(`^namenode-2 .* db=${db2.sql} `, 'm'));

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
      expect((await run('bash', [SCRIPT, 'status', galeraDir])).stdout).toMatch(/^node2 down$/m);

      // Every acknowledged write is there, through the balancer and through each namenode still on a live database node.
      for (const via of [fleet.balancer, fleet.namenodes[0]?.rpc ?? '']) {
        for (let w = 0; w < WRITERS; w++) {
          const listed = await hdfs(via, USER, ['ls', `/load/w${w}`]);
          expect(listed.code).toBe(0);
          const present = new Set(listed.stdout.split('\n'));
          const mine = load.acks.filter((a) => a.writer === w).map((a) => a.src.slice(`/load/w${w}/`.length));
          expect(mine.filter((name) => !present.has(name))).toEqual([]);
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

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms)));
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** A base port whose block base+1 … base+33 (SQL, gcomm, IST, SST of 3 nodes) is free now. */
async function freePortBlock(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    // Below the ephemeral range (32768+), so no outgoing connection takes one meanwhile.
    const base = 20_000 + 100 * Math.floor(Math.random() * 120);
    const ports = [1, 2, 3].flatMap((n) => [n, 10 + n, 20 + n, 30 + n].map((o) => base + o));
    if ((await Promise.all(ports.map(isFree))).every(Boolean)) return base;
  }
  throw new Error('no free block of ports for the Galera cluster');
}

function isFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.once('error', () => done(false));
    server.listen(port, '127.0.0.1', () => server.close(() => done(true)));
  });
}
