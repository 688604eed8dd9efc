import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { DtpFileDataClient } from '../../loadgen/data/dtp-file-data-client';
import { patternBytes } from '../../loadgen/data/file-pattern';
import type { FileDataClient } from '../../loadgen/file-data-client';
import type { PhaseResult } from '../../loadgen/loadgen-result';
import { NamenodeClient, RpcCounter } from '../../protocol/client/namenode-client';
import { runLoadgen } from '../../loadgen/run-loadgen';
import { SeededRandom } from '../../loadgen/seeded-random';
import { generateSlgStructure, underRoot } from '../../loadgen/slg-structure';
import { runSlg, type SlgOptions } from '../../loadgen/slg-mode';
import { dataFleet, type DataFleet } from '../harness/data-fleet';
import { hdfs } from '../harness/go-hdfs';
import { eventually } from '../harness/replica-files';
import { callDelta, serverCalls } from './server-calls';

jest.setTimeout(180_000);

const BLOCK = 1024 * 1024;
const REPLICATION = 2;
let f: DataFleet;
let probe: NamenodeClient;
let work: string;

beforeAll(async () => {
  f = await dataFleet('slg_real', 3, { blockSize: BLOCK, replication: REPLICATION });
  probe = await NamenodeClient.connect(f.address, f.superuser, 'slg-probe', new RpcCounter());
  work = mkdtempSync(join(tmpdir(), 'nnfleet-slg-real-'));
});

afterAll(async () => {
  await probe?.close();
  await f?.close();
  rmSync(work, { recursive: true, force: true });
});

interface Checked {
  writes: number;
  bytesWritten: number;
  reads: number;
  bytesRead: number;
  mismatches: string[];
}

/**
 * The real client, with each write's length checked on the namenode right
 * after its close (before SLG deletes it), and each read's byte count held
 * against the size the structure gave the file.
 */
function checking(inner: FileDataClient, sizes: ReadonlyMap<string, number>, c: Checked): FileDataClient {
  return {
    description: inner.description,
    async writeFile(client, path, bytes) {
      await inner.writeFile(client, path, bytes);
      const length = Number((await probe.getFileInfo(path))?.length ?? -1);
      if (length !== bytes) c.mismatches.push(`${path}: wrote ${bytes}, namenode says ${length}`);
      c.writes++;
      c.bytesWritten += bytes;
    },
    async readFile(client, path) {
      const n = await inner.readFile(client, path);
      if (n !== sizes.get(path)) c.mismatches.push(`${path}: read ${n}, expected ${sizes.get(path)}`);
      c.reads++;
      c.bytesRead += n;
      return n;
    },
  };
}

function op(phase: PhaseResult | undefined, name: string): { count: number; errors: number } {
  const o = phase?.ops.find((x) => x.op === name);
  return { count: o?.count ?? 0, errors: o?.errors ?? 0 };
}

/** Bytes of finalized replicas on every datanode's disk (data files, not .meta). */
function finalizedBytes(): number {
  let total = 0;
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      const st = statSync(path);
      if (st.isDirectory()) walk(path);
      else if (/^blk_\d+$/.test(entry) && path.includes('finalized')) total += st.size;
    }
  };
  for (const d of f.dirs) walk(d);
  return total;
}

test('slg with real data: every write left a file of its length, every read returned the whole file, no errors', async () => {
  const options: SlgOptions = {
    root: '/slgdata',
    maxDepth: 2,
    minWidth: 1,
    maxWidth: 3,
    numOfFiles: 12,
    // Around 1.5 blocks: some files span two or three blocks, some one.
    avgFileSize: 1.5,
    blockSize: BLOCK,
    readProbability: 0.4,
    writeProbability: 0.4,
    numOfThreads: 4,
    maxDelayBetweenOps: 0,
    elapsedTime: 3,
    seed: 7,
  };
  const structure = generateSlgStructure(options, new SeededRandom(options.seed));
  const sizes = new Map(structure.files.map((s) => [underRoot(options.root, s.path), Math.round(s.sizeInBlocks * BLOCK)]));
  expect([...sizes.values()].some((n) => n > BLOCK)).toBe(true);
  const c: Checked = { writes: 0, bytesWritten: 0, reads: 0, bytesRead: 0, mismatches: [] };
  const fileData = checking(new DtpFileDataClient({ blockSize: BLOCK, replication: REPLICATION }), sizes, c);

  const before = await serverCalls(f.namenode.httpPort);
  const report = await runLoadgen(
    'slg',
    { fileData, namenodes: [f.address], user: f.superuser, connections: 4, progress: 'none' },
    options,
    runSlg,
    new PassThrough().resume(),
  );
  const server = callDelta(before, await serverCalls(f.namenode.httpPort));

  const [, dataPhase, load, cleanup] = report.phases;
  expect(report.phases.reduce((n, p) => n + p.totalErrors, 0)).toBe(0);
  expect(c.mismatches).toEqual([]);
  expect(op(dataPhase, 'write').count).toBe(12);
  const loadWrites = op(load, 'write').count;
  const reads = op(load, 'read').count;
  expect(loadWrites).toBeGreaterThan(0);
  expect(reads).toBeGreaterThan(0);
  // Every counted write and read went through the checks, and nothing else did.
  expect(c.writes).toBe(12 + loadWrites);
  expect(c.reads).toBe(reads);
  expect(op(load, 'delete').count + op(cleanup, 'delete').count).toBe(loadWrites);
  expect(server['create']?.ok).toBe(12 + loadWrites);
  expect(server['complete']?.ok).toBe(12 + loadWrites);
  expect(server['addBlock']?.ok).toBeGreaterThanOrEqual(12);
  expect(report.dataPath).toMatch(/real data over DataTransferProtocol/);

  // What stays is the generated files: each replicated twice on disk once the deleted writes' blocks are invalidated.
  const structureBytes = [...sizes.values()].reduce((a, b) => a + b, 0);
  await eventually('replicas of exactly the remaining files', async () => (finalizedBytes() === REPLICATION * structureBytes ? true : undefined), 30_000).catch(async (e) => {
    // What the namenode believes, to tell a lost invalidation from a missing replica.
    const { createMysqlConnection } = await import('../../schema/mysql-config');
    const conn = await createMysqlConnection(f.db.config);
    const [rows] = await conn.query('SELECT (SELECT COUNT(*) FROM replicas) AS replicas, (SELECT COALESCE(SUM(num_bytes),0) FROM replicas) AS replica_bytes, (SELECT COUNT(*) FROM datanode_commands) AS commands, (SELECT COUNT(*) FROM under_replicated) AS queued');
    await conn.end();
    throw new Error(`${(e as Error).message}: on disk ${finalizedBytes()}, expected ${REPLICATION * structureBytes}; namenode ${JSON.stringify(rows)}`);
  });

  // A sample read back through the Go client: the bytes are the load generator's pattern.
  const sample = [...sizes].sort((a, b) => b[1] - a[1]).slice(0, 3);
  for (const [path, size] of sample) {
    const local = join(work, path.replace(/\//g, '_'));
    const got = await hdfs(f.address, f.superuser, ['get', path, local]);
    expect(got.stderr).toBe('');
    expect(readFileSync(local).equals(patternBytes(0, size))).toBe(true);
  }
});
