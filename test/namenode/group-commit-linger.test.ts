import type { Namesystem } from '../../namenode/namesystem';
import { CreateFlag } from '../../namenode/ops/create';
import type { GroupStats } from '../../namenode/tx/group-commit';
import { namesystemFixture, type NamesystemFixture } from '../harness/namesystem-fixture';
import { SetCalls as Calls } from '../harness/set-calls';

/**
 * Group commit's wait for company (writeLinger*, namenode/tx/group-commit.ts)
 * against the real database: a short group waits only while the namenode
 * serves client calls that are not writes queued or in flight, and goes as
 * soon as it is full or no such call is left. The namenode's count of calls
 * is a stand-in here (the IPC layer keeps the real one), so each test says
 * how many calls are being served.
 */

/** Waits of 60 s never run out in a test: a group goes because it filled or because no one else is served. */
let f: NamesystemFixture;
/** Waits of 200 ms: they run out (a group of 16 never fills here). */
let short: NamesystemFixture;
beforeAll(async () => {
  f = await namesystemFixture('glinger', { groupCommit: true, writeLingerBatch: 3, writeLingerMs: 60_000 });
  short = await namesystemFixture('glshort', { groupCommit: true, writeLingerBatch: 16, writeLingerMs: 200 });
});
afterAll(async () => {
  await f?.close();
  await short?.close();
});

const createFile = (fx: NamesystemFixture, ns: Namesystem, path: string) =>
  ns.create(fx.root, { src: path, masked: 0o644, clientName: 'DFSClient_linger', clientMachine: '127.0.0.1', flags: CreateFlag.CREATE, createParent: false, replication: 1, blockSize: 1024 * 1024 });

/** A namesystem of its own (its own group committer and linger) on the fixture's database, with a directory made before any call is counted. */
async function namenode(fx: NamesystemFixture, dir: string): Promise<{ ns: Namesystem; calls: Calls }> {
  const calls = new Calls();
  const ns = fx.other(undefined, undefined, calls);
  await ns.mkdirs(fx.root, dir, 0o755, true);
  return { ns, calls };
}

const stats = (ns: Namesystem): GroupStats => ({ ...(ns.runner.groupStats as GroupStats) });
const lingerOf = (ns: Namesystem) => {
  const l = ns.runner.writeLinger;
  if (!l) throw new Error('no write linger: group commit is off');
  return { filled: l.filled, timedOut: l.timedOut, cutShort: l.cutShort };
};

/** Whether a call has settled yet. */
function watched<T>(p: Promise<T>): { readonly promise: Promise<T>; done: () => boolean } {
  let settled = false;
  const promise = p.finally(() => (settled = true));
  return { promise, done: () => settled };
}

/** Several turns of the event loop and a few ms: time for a group that was not waiting to reach the database and come back. */
const settleAWhile = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  await new Promise((r) => setTimeout(r, 30));
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

/** A create that, a while after it started, is still waiting for company. */
async function waitingCreate(fx: NamesystemFixture, ns: Namesystem, path: string) {
  const call = watched(createFile(fx, ns, path));
  await settleAWhile();
  expect(call.done()).toBe(false);
  return call;
}

test('a short group waits while other client calls are served, and goes with writeLingerBatch writes in one transaction', async () => {
  const { ns, calls } = await namenode(f, '/full');
  const before = stats(ns);
  // Three writes and five reads being served.
  calls.count = 8;
  const a = await waitingCreate(f, ns, '/full/a');
  const b = await waitingCreate(f, ns, '/full/b');
  expect(a.done()).toBe(false);
  await Promise.all([a.promise, b.promise, createFile(f, ns, '/full/c')]);
  const after = stats(ns);
  expect([after.groups - before.groups, after.grouped - before.grouped, after.fallbacks - before.fallbacks]).toEqual([1, 3, 0]);
  expect(lingerOf(ns)).toEqual({ filled: 1, timedOut: 0, cutShort: 0 });
  expect((await ns.getListing(f.root, '/full', ''))?.entries.map((e) => e.name)).toEqual(['a', 'b', 'c']);
});

test('a wait ends when every call being served is a write waiting in it: a few clients that only write form no convoy', async () => {
  const { ns, calls } = await namenode(f, '/convoy');
  const before = stats(ns);
  // Two clients, each with one create being served.
  calls.count = 2;
  // The other client's call is still being served (its create not yet queued): a waits for it.
  const a = await waitingCreate(f, ns, '/convoy/a');
  await Promise.all([a.promise, createFile(f, ns, '/convoy/b')]);
  const after = stats(ns);
  expect([after.groups - before.groups, after.grouped - before.grouped]).toEqual([1, 2]);
  expect(lingerOf(ns)).toEqual({ filled: 0, timedOut: 0, cutShort: 1 });
});

test('a call answered elsewhere ends the wait once only the waiting writes are served', async () => {
  const { ns, calls } = await namenode(f, '/answered');
  calls.count = 2;
  const a = await waitingCreate(f, ns, '/answered/a');
  // The other call (a read, say) is answered: nobody else can join.
  calls.end();
  await a.promise;
  expect(lingerOf(ns)).toEqual({ filled: 0, timedOut: 0, cutShort: 1 });
  expect((await ns.getFileInfo(f.root, '/answered/a'))?.type).toBe('file');
});

test('with no other call being served a write does not wait', async () => {
  const { ns, calls } = await namenode(f, '/lone');
  calls.count = 1;
  await createFile(f, ns, '/lone/a');
  await ns.mkdirs(f.root, '/lone/d', 0o755, false);
  expect(lingerOf(ns)).toEqual({ filled: 0, timedOut: 0, cutShort: 0 });
});

test('without a count of calls (no IPC front door) group commit never waits', async () => {
  const before = lingerOf(f.ns);
  await f.ns.mkdirs(f.root, '/uncounted', 0o755, true);
  await createFile(f, f.ns, '/uncounted/a');
  expect(lingerOf(f.ns)).toEqual(before);
});

test('a wait that runs out its time sends what it has; a write that came meanwhile shares the transaction', async () => {
  const { ns, calls } = await namenode(short, '/timed');
  const before = stats(ns);
  calls.count = 10;
  await Promise.all([createFile(short, ns, '/timed/a'), new Promise((r) => setImmediate(r)).then(() => createFile(short, ns, '/timed/b'))]);
  const after = stats(ns);
  expect([after.groups - before.groups, after.grouped - before.grouped]).toEqual([1, 2]);
  expect(lingerOf(ns)).toEqual({ filled: 0, timedOut: 1, cutShort: 0 });
});
