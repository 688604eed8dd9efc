import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ChangeFeed } from '../../namenode/changelog/change-feed';
import { inWatchScope } from '../../namenode/domain/watch-scope';
import { trimChangeLog } from '../../namenode/leader/duties/change-log-trim';
import type { Namesystem } from '../../namenode/namesystem';
import { CreateFlag } from '../../namenode/ops/create';
import { startNamespaceGrpc, type NamespaceGrpcServer } from '../harness/grpc-namespace-server';
import { namesystemFixture, type NamesystemFixture } from '../harness/namesystem-fixture';
import { toolPath } from '../harness/prerequisite';
import { runProcess } from '../harness/process-fixture';

const PYTHON = toolPath('python/bin/python');
const CLIENT = join(__dirname, 'watch_client.py');
const PROTO_DIR = resolve(__dirname, '../../protocol/nnfleet');
const KIND = ['CREATE', 'CLOSE', 'APPEND', 'RENAME', 'METADATA', 'UNLINK', 'TRUNCATE'];

interface Seen {
  readonly cursor: string;
  readonly position: number;
  readonly kind: string;
  readonly path: string;
  readonly dst: string;
}

let f: NamesystemFixture;
let grpc: NamespaceGrpcServer;
let stubs: string;
let feed: ChangeFeed;

beforeAll(async () => {
  f = await namesystemFixture('gwatch');
  grpc = await startNamespaceGrpc(f.ns);
  stubs = mkdtempSync(join(tmpdir(), 'nnfleet-watch-stubs-'));
  feed = f.ns.changeFeed as ChangeFeed;
}, 60_000);
afterAll(async () => {
  await grpc?.close();
  await f?.close();
  if (stubs) rmSync(stubs, { recursive: true, force: true });
});

/** One run of the Python consumer: its events and the cursor it stopped at (or the status it got). */
async function watch(path: string, cursor: string, mode: 'batches' | 'until', arg: string, user = f.root.user) {
  const r = await runProcess(PYTHON, [CLIENT, PROTO_DIR, stubs, grpc.target, user, path, cursor, mode, arg], { timeoutMs: 150_000 });
  if (r.code !== 0) throw new Error(`watch_client failed (${r.code}): ${r.stderr}`);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  const end = lines[lines.length - 1] as { last?: string; error?: string; details?: string };
  return { events: lines.slice(0, -1) as unknown as Seen[], ...end };
}

const headNow = async () => {
  await feed.sequence();
  return (await feed.clocks()).head;
};

const createFile = (ns: Namesystem, path: string) =>
  ns.create(f.root, { src: path, masked: 0o644, clientName: 'DFSClient_storm', clientMachine: '127.0.0.1', flags: CreateFlag.CREATE, createParent: false, replication: 1, blockSize: 1024 * 1024 });

const line = (kind: string, path: string, dst = '') => `${kind} ${path}${dst ? ` ${dst}` : ''}`;

test('a Python consumer follows a path through a storm on three namenodes, hangs up and resumes: every committed change once, in commit order, none of the refused ones', async () => {
  const namenodes = [f.ns, f.other(), f.other()];
  const WORKERS = 6;
  const ROUNDS = 12;
  for (let w = 0; w < WORKERS; w++) await f.ns.mkdirs(f.root, `/storm/w${w}`, 0o755, true);
  await f.ns.mkdirs(f.root, '/storm/q', 0o755, true);
  await f.ns.setQuota(f.root, { path: '/storm/q', namespaceQuota: 4n, storagespaceQuota: 9223372036854775807n });
  const start = String(await headNow());

  const first = watch('/storm', start, 'batches', '40');
  // What each worker saw commit, in the order it did it (each path belongs to one worker).
  const expected: string[][] = Array.from({ length: WORKERS }, () => []);
  const refusedPaths: string[] = [];
  await Promise.all(
    Array.from({ length: WORKERS }, async (_, w) => {
      let k = 0;
      // Consecutive steps on one path go to different namenodes.
      const nn = () => namenodes[(w + k++) % namenodes.length] as Namesystem;
      const log = expected[w] as string[];
      for (let j = 0; j < ROUNDS; j++) {
        const d = `/storm/w${w}/d${j}`;
        await nn().mkdirs(f.root, d, 0o755, false);
        log.push(line('CREATE', d));
        await createFile(nn(), `${d}/f`);
        log.push(line('CREATE', `${d}/f`));
        expect(await nn().complete(f.root, `${d}/f`, 'DFSClient_storm')).toBe(true);
        log.push(line('CLOSE', `${d}/f`));
        await nn().rename2(f.root, `${d}/f`, `${d}/g`, false);
        log.push(line('RENAME', `${d}/f`, `${d}/g`));
        await nn().setPermission(f.root, `${d}/g`, 0o600);
        log.push(line('METADATA', `${d}/g`));
        if (j % 3 === 2) {
          await nn().delete(f.root, d, true);
          log.push(line('UNLINK', d));
        }
        // Rolled back: a rename of nothing, and (once the quota is used up) creates refused by it.
        await expect(nn().rename2(f.root, `/storm/w${w}/missing${j}`, `/storm/w${w}/never${j}`, false)).rejects.toThrow(/is not found/);
        refusedPaths.push(`/storm/w${w}/never${j}`);
        const q = `/storm/q/w${w}-${j}`;
        try {
          await createFile(nn(), q);
          log.push(line('CREATE', q));
        } catch (e) {
          expect(String(e)).toMatch(/quota/i);
          refusedPaths.push(q);
        }
      }
    }),
  );
  await f.ns.mkdirs(f.root, '/elsewhere/noise', 0o755, true);
  await f.ns.mkdirs(f.root, '/storm/END', 0o755, false);

  const one = await first;
  expect(one.error).toBeUndefined();
  const two = await watch('/storm', one.last as string, 'until', '/storm/END');
  expect(two.error).toBeUndefined();
  const seen = [...one.events, ...two.events];

  // Nothing repeated across the hang-up, positions only grow.
  const positions = [...new Set(seen.map((e) => e.position))];
  for (let i = 1; i < positions.length; i++) expect(positions[i]).toBeGreaterThan(positions[i - 1] as number);
  expect(new Set(one.events.map((e) => e.position)).size + new Set(two.events.map((e) => e.position)).size).toBe(positions.length);

  // Exactly what the log holds under /storm, in its order: nothing lost.
  const logged: string[] = [];
  let cursor = Number(start);
  for (;;) {
    const { batches, upTo } = await feed.readAfter(cursor, 500);
    for (const b of batches) for (const e of b.events) if (inWatchScope(e, '/storm')) logged.push(`${b.position} ${line(KIND[e.kind] as string, e.path, e.dstPath)}`);
    if (upTo === cursor) break;
    cursor = upTo;
  }
  const seenLines = seen.map((e) => `${e.position} ${line(e.kind, e.path, e.dst)}`);
  expect(seenLines).toEqual(logged.slice(0, seenLines.length));
  expect(seenLines[seenLines.length - 1]).toMatch(/ CREATE \/storm\/END$/);

  // Every committed change exactly once, and per path in the order it was made.
  const events = seen.map((e) => line(e.kind, e.path, e.dst));
  expect([...events].sort()).toEqual([...expected.flat(), line('CREATE', '/storm/END')].sort());
  for (const log of expected) {
    const paths = new Set(log.flatMap((l) => l.split(' ').slice(1)));
    for (const p of paths) {
      const touching = (l: string) => l.split(' ').slice(1).includes(p);
      expect({ p, order: events.filter(touching) }).toEqual({ p, order: log.filter(touching) });
    }
  }
  for (const p of refusedPaths) expect(events.some((e) => e.includes(p))).toBe(false);
  expect(refusedPaths.filter((p) => p.startsWith('/storm/q/')).length).toBe(WORKERS * ROUNDS - 3);
  expect(events.some((e) => e.includes('/elsewhere'))).toBe(false);
  process.stdout.write(`watch storm: ${events.length} events in ${positions.length} batches (${one.events.length} before the hang-up), ${refusedPaths.length} refused changes absent\n`);
}, 240_000);

test('hostile cursors: garbage and future ones are INVALID_ARGUMENT, a trimmed one OUT_OF_RANGE; the server serves on', async () => {
  const head = await headNow();
  expect(await watch('/', 'not-a-cursor', 'batches', '1')).toMatchObject({ error: 'INVALID_ARGUMENT' });
  expect(await watch('/', '9'.repeat(300), 'batches', '1')).toMatchObject({ error: 'INVALID_ARGUMENT' });
  expect(await watch('/', String(head + 1000), 'batches', '1')).toMatchObject({ error: 'INVALID_ARGUMENT' });
  expect(await watch('/', '-1', 'batches', '1')).toMatchObject({ error: 'INVALID_ARGUMENT' });
  expect(await watch('/nowhere', String(head), 'batches', '1')).toMatchObject({ error: 'NOT_FOUND' });
  await f.ns.mkdirs(f.root, '/late/a', 0o755, true);
  await f.ns.mkdirs(f.root, '/late/b', 0o755, true);
  await trimChangeLog(feed, { ...f.config, changeLogMaxPositions: 1 }, Date.now());
  const trimmed = await watch('/', '0', 'batches', '1');
  expect(trimmed).toMatchObject({ error: 'OUT_OF_RANGE' });
  expect(trimmed.details).toMatch(/trimmed up to/);
  const after = await watch('/late', String((await feed.clocks()).trimmed), 'batches', '1');
  expect(after.events.map((e) => line(e.kind, e.path))).toEqual(['CREATE /late/b']);
}, 120_000);
