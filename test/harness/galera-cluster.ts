import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli, type CliRun } from '../cli/cli-process';
import { parseFleetOutput, type FleetOutput } from '../cli/fleet-output';
import { execProcess as run } from './process-fixture';
import { recordProcess } from './run-registry';

const SCRIPT = resolve(__dirname, '../../scripts/galera-cluster.sh');

export interface GaleraClusterNode {
  readonly pid: number;
  /** host:port of its SQL port. */
  readonly sql: string;
}

/** A 3-node Galera cluster started by scripts/galera-cluster.sh under a fresh directory. */
export interface GaleraCluster {
  readonly dir: string;
  /** Where the cluster's own files are (the script's DIR). */
  readonly galeraDir: string;
  readonly nodes: readonly GaleraClusterNode[];
  /** The script's `status` output. */
  status(): Promise<string>;
  /** SQL as root over node n's (1-based) socket; its tab-separated output. */
  sql(n: number, statement: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startGaleraCluster(prefix: string): Promise<GaleraCluster> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  // The database nodes run as user mysql, which must reach the cluster's directory below this one.
  chmodSync(dir, 0o755);
  const galeraDir = join(dir, 'galera');
  const base = await freePortBlock();
  const started = await run('bash', [SCRIPT, 'start', galeraDir, String(base)], { timeoutMs: 90_000 });
  const nodes = [...started.stdout.matchAll(/^node(\d) pid=(\d+) sql=(\S+)$/gm)].map((m) => ({ pid: Number(m[2]), sql: m[3] ?? '' }));
  // The script setsid's its nodes: recorded, so that neither a failed test nor a killed run leaves one behind.
  for (const n of nodes) recordProcess(n.pid, `galera node ${n.sql}`);
  return {
    dir,
    galeraDir,
    nodes,
    status: async () => (await run('bash', [SCRIPT, 'status', galeraDir])).stdout,
    sql: async (n, statement) => {
      const socket = join(galeraDir, `node${n}`, 'mysql.sock');
      return (await run('mariadb', ['--no-defaults', '-uroot', `--socket=${socket}`, '-N', '-B', '-e', statement])).stdout;
    },
    stop: async () => {
      await run('bash', [SCRIPT, 'stop', galeraDir], { timeoutMs: 60_000 }).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
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

/** `nnfleet up` (no datanodes) on a fresh 3-node cluster: namenode-1 on node 1, namenode-2 on node 2. */
export interface GaleraFleet {
  readonly cluster: GaleraCluster;
  readonly up: CliRun;
  readonly fleet: FleetOutput;
}

/**
 * For a describe block: a function that starts the cluster, then the fleet
 * on its first two nodes; the block's afterAll stops whatever of them
 * started.
 */
export function galeraFleetFixture(prefix: string): () => Promise<GaleraFleet> {
  let cluster: GaleraCluster | undefined;
  let up: CliRun | undefined;
  afterAll(async () => {
    await up?.stop();
    await cluster?.stop();
  });
  return async () => {
    cluster = await startGaleraCluster(prefix);
    const [db1, db2] = cluster.nodes;
    if (!db1 || !db2 || cluster.nodes.length !== 3) throw new Error(`three nodes expected, got ${cluster.nodes.length}`);
    const urls = [db1, db2].map((n) => `mysql://root@${n.sql}/nnfleet`).join(',');
    up = runCli(['up', '--data-dir', join(cluster.dir, 'fleet'), '--rpc-port', '0', '--http-port', '0', '--datanodes', '0', '--mysql', urls], {
      NNFLEET_LOG_LEVEL: 'warn',
    });
    await up.waitFor(/^ready hdfs:/m, 60_000);
    for (const [i, db] of [db1, db2].entries()) {
      if (!new RegExp(`^namenode-${i + 1} .* db=${db.sql} `, 'm').test(up.stdout())) throw new Error(`namenode-${i + 1} is not on ${db.sql}:\n${up.stdout()}`);
    }
    return { cluster, up, fleet: parseFleetOutput(up.stdout()) };
  };
}
