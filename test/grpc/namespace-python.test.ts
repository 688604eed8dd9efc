import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { bulkTree } from '../../cli/bench/bulk-tree';
import { startNamespaceGrpc, type NamespaceGrpcServer } from '../harness/grpc-namespace-server';
import { namesystemFixture, type NamesystemFixture } from '../harness/namesystem-fixture';
import { toolPath } from '../harness/prerequisite';
import { runProcess } from '../harness/process-fixture';

const PYTHON = toolPath('python/bin/python');
const CLIENT = join(__dirname, 'namespace_client.py');
const PROTO_DIR = resolve(__dirname, '../../protocol/nnfleet');

let f: NamesystemFixture;
let grpc: NamespaceGrpcServer;
let stubs: string;

beforeAll(async () => {
  f = await namesystemFixture('gns');
  grpc = await startNamespaceGrpc(f.ns);
  stubs = mkdtempSync(join(tmpdir(), 'nnfleet-ns-stubs-'));
}, 60_000);
afterAll(async () => {
  await grpc?.close();
  await f?.close();
  if (stubs) rmSync(stubs, { recursive: true, force: true });
});

const python = async (user: string, mode: 'list' | 'ops', path: string) => {
  const r = await runProcess(PYTHON, [CLIENT, PROTO_DIR, stubs, grpc.target, user, mode, path], { timeoutMs: 300_000, env: { ...process.env, PYTHONPATH: __dirname } });
  if (r.code !== 0) throw new Error(`namespace_client failed (${r.code}): ${r.stderr}`);
  return r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
};

test('Python grpcio calls the namespace API through the Namesystem: its answers, its permission checks, its errors as status codes', async () => {
  await f.ns.mkdirs(f.root, '/py', 0o777, false);
  const calls = Object.fromEntries((await python(f.root.user, 'ops', '/py')).map((c) => [c['call'], c]));
  const ok = (name: string) => expect(calls[name]).toMatchObject({ ok: true });
  const refused = (name: string, code: string, cls: string) => expect(calls[name]).toMatchObject({ ok: false, code, class: cls });
  expect(calls['mkdirs']).toMatchObject({ ok: true, result: 'created: true' });
  expect(calls['statDir']?.['result']).toMatch(/^status \{ name: "\/py\/a\/b" type: FILE_TYPE_DIRECTORY permission: 488 owner: "\S+" group: "supergroup"/);
  expect(calls['statMissing']).toMatchObject({ ok: true, result: '' });
  ok('setPermission');
  refused('bobMkdirs', 'PERMISSION_DENIED', 'org.apache.hadoop.security.AccessControlException');
  refused('bobSetOwner', 'PERMISSION_DENIED', 'org.apache.hadoop.security.AccessControlException');
  ok('setOwner');
  ok('setTimes');
  ok('setXAttr');
  expect(calls['getXAttrs']?.['result']).toBe('xattrs { name: "user.color" value: "blue" }');
  ok('removeXAttr');
  ok('mkdirsExisting');
  refused('renameOntoExisting', 'ALREADY_EXISTS', 'org.apache.hadoop.fs.FileAlreadyExistsException');
  ok('rename');
  refused('deleteNonEmpty', 'FAILED_PRECONDITION', 'org.apache.hadoop.fs.PathIsNotEmptyDirectoryException');
  expect(calls['delete']).toMatchObject({ ok: true, result: 'deleted: true' });
  refused('listMissing', 'NOT_FOUND', 'java.io.FileNotFoundException');
  expect(await f.ns.getFileInfo(f.root, '/py/a')).toBeUndefined();
}, 120_000);

test('a 100,000-entry directory streams whole to a Python client, the namenode paging through it (RSS printed)', async () => {
  await f.ns.mkdirs(f.root, '/wide', 0o755, false);
  const t = performance.now();
  await bulkTree(f.db.config, '/wide', { dirs: 0, filesPerDir: 100_000, user: f.root.user });
  const loadedS = (performance.now() - t) / 1000;
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const started = performance.now();
  const [listing] = await python(f.root.user, 'list', '/wide').finally(() => clearInterval(sampler));
  const seconds = (performance.now() - started) / 1000;
  expect(listing).toEqual({ count: 100_000, first: 'f00000', last: 'f99999' });
  const mb = (n: number) => (n / 2 ** 20).toFixed(0);
  process.stdout.write(
    `grpc List of 100,000 entries: ${seconds.toFixed(1)} s (${(100_000 / seconds).toFixed(0)} entries/s; bulk load ${loadedS.toFixed(1)} s); namenode RSS ${mb(before)} MiB before, peak ${mb(peak)} MiB while streaming\n`,
  );
}, 600_000);
