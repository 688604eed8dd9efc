import { adminWatchCommand } from '../../cli/commands/admin-watch-command';
import type { ChangeFeed } from '../../namenode/changelog/change-feed';
import { startNamespaceGrpc, type NamespaceGrpcServer } from '../harness/grpc-namespace-server';
import { namesystemFixture, type NamesystemFixture } from '../harness/namesystem-fixture';

let f: NamesystemFixture;
let grpc: NamespaceGrpcServer;
beforeAll(async () => {
  f = await namesystemFixture('gcliwatch');
  grpc = await startNamespaceGrpc(f.ns);
}, 60_000);
afterAll(async () => {
  await grpc?.close();
  await f?.close();
});

test('nnfleet admin watch PATH prints each change with its cursor, and resumes after one', async () => {
  const feed = f.ns.changeFeed as ChangeFeed;
  await feed.sequence();
  const start = String((await feed.clocks()).head);
  await f.ns.mkdirs(f.root, '/cli/a', 0o755, true);
  await f.ns.rename2(f.root, '/cli/a', '/cli/b', false);
  await f.ns.mkdirs(f.root, '/other', 0o755, true);
  await f.ns.delete(f.root, '/cli/b', true);
  const out: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => out.push(String(s)) > 0);
  const run = (cursor: string, count: string) => adminWatchCommand().parseAsync(['/cli', '--grpc', grpc.target, '--user', f.root.user, '--cursor', cursor, '--count', count], { from: 'user' });
  try {
    await run(start, '2');
    const resumeAt = (out[out.length - 1] as string).split('\t')[0] as string;
    await run(resumeAt, '1');
  } finally {
    spy.mockRestore();
  }
  const lines = out.map((l) => l.trim().split('\t').slice(1).join(' '));
  expect(lines).toEqual(['CREATE /cli', 'CREATE /cli/a', 'RENAME /cli/a /cli/b', 'UNLINK /cli/b']);
}, 60_000);
