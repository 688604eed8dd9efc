import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { formatMysqlUrl } from '../../cli/fleet/mysql-url';
import { renderClientConfig, writeConfigFiles } from '../../cli/fleet/client-config';
import { sqlRepositories } from '../../namenode/dal/sql/sql-repositories';
import { openSqlStorage, type SqlStorage } from '../../namenode/dal/sql/sql-storage';
import type { SubtreeOp } from '../../namenode/dal/subtree-op-repository';
import { runCli } from '../cli/cli-process';
import { DatanodeProcesses } from './datanode-process';
import { startNamenodeProcess, type NamenodeProcess } from './namenode-process';
import { createTestDatabase, type TestDatabase } from './test-database';

/** Namenode processes on one fresh database, datanode processes reporting to all of them, a Java client config. */
export interface SubtreeFleet {
  readonly db: TestDatabase;
  readonly namenodes: NamenodeProcess[];
  readonly datanodes: DatanodeProcesses;
  readonly user: string;
  readonly work: string;
  /** A conf dir whose fs.defaultFS lists the namenodes as one HA nameservice. */
  readonly confDir: string;
  /** The database through the product's data access layer. */
  readonly storage: SqlStorage;
  address(i?: number): string;
  /** Another namenode process (a victim with a test hook, say). */
  startNamenode(extra?: readonly string[]): Promise<NamenodeProcess>;
  subtreeOps(): Promise<SubtreeOp[]>;
  /** `nnfleet fsck` over the database: exit code and output. */
  fsck(): Promise<{ code: number; out: string }>;
  /** A namenode's Prometheus counter. */
  metric(nn: NamenodeProcess, name: string): Promise<number>;
  close(): Promise<void>;
}

/** Every block file (blk_<id>, not .meta) under a datanode directory. */
export function blockFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...blockFiles(path));
    else if (/^blk_\d+$/.test(entry)) out.push(entry);
  }
  return out;
}

export async function subtreeFleet(prefix: string, opts: { namenodes: number; datanodes: number; defines: readonly string[] }): Promise<SubtreeFleet> {
  const db = await createTestDatabase(prefix);
  const work = mkdtempSync(join(tmpdir(), `${prefix}-`));
  const flags = opts.defines.flatMap((d) => ['-D', d]);
  const namenodes: NamenodeProcess[] = [];
  for (let i = 0; i < opts.namenodes; i++) namenodes.push(await startNamenodeProcess(db.config, flags));
  const rpcOf = (nn: NamenodeProcess) => `127.0.0.1:${nn.rpcPort}`;
  const datanodes = new DatanodeProcesses(work, namenodes.map(rpcOf).join(','), db.membershipSecret);
  for (let i = 0; i < opts.datanodes; i++) await datanodes.start(`dn${i + 1}`);
  const confDir = join(work, 'conf');
  writeConfigFiles(confDir, renderClientConfig({ nameservice: 'nnfleet', namenodes: namenodes.map((nn, i) => ({ id: `nn${i + 1}`, rpc: rpcOf(nn), http: `127.0.0.1:${nn.httpPort}` })) }));
  const storage = openSqlStorage(db.config, 2);
  const extra: NamenodeProcess[] = [];
  return {
    db,
    namenodes,
    datanodes,
    user: userInfo().username,
    work,
    confDir,
    storage,
    address: (i = 0) => rpcOf(namenodes[i] as NamenodeProcess),
    startNamenode: async (more = []) => {
      const nn = await startNamenodeProcess(db.config, [...flags, ...more]);
      extra.push(nn);
      return nn;
    },
    subtreeOps: () => storage.db.run(sqlRepositories.subtreeOps.findAll()),
    fsck: async () => {
      const run = runCli(['fsck', '--mysql', formatMysqlUrl(db.config)]);
      const code = await run.exited;
      return { code: typeof code === 'number' ? code : -1, out: run.stdout() };
    },
    metric: async (nn, name) => {
      const text = await (await fetch(`http://127.0.0.1:${nn.httpPort}/metrics`)).text();
      const m = text.match(new RegExp(`^${name} (\\d+)`, 'm'));
      if (!m) throw new Error(`no ${name} in /metrics`);
      return Number(m[1]);
    },
    close: async () => {
      await datanodes.stopAll();
      for (const nn of [...extra, ...namenodes]) await nn.stop();
      await storage.end();
      await db.drop();
      rmSync(work, { recursive: true, force: true });
    },
  };
}

/** p50/p99 of latencies in ms, for printing. */
export function percentiles(ms: readonly number[]): string {
  if (ms.length === 0) return 'no samples';
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number).toFixed(1);
  return `n=${sorted.length} p50=${at(0.5)} ms p99=${at(0.99)} ms`;
}
