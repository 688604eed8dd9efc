import { makeCaller } from '../../../namenode/security/caller';
import { memoryNamesystem } from '../../fakes/memory-namesystem';

/**
 * ClientProtocol.rename (the legacy one) into an existing directory, as
 * HDFS's FSDirRenameOp.renameToInt: the destination is looked at under the
 * rename's locks, and a directory there makes it rename into it, once.
 */
const { db, ns } = memoryNamesystem();
const root = makeCaller('root', [], ns.config);
const id = async (p: string) => (await ns.getFileInfo(root, p))?.fileId;
const counts = () => ({ roundTrips: db.roundTrips, commits: db.commits, rollbacks: db.rollbacks });

beforeAll(async () => {
  for (const d of ['/src', '/dir', '/dir/taken', '/deep/a/b']) await ns.mkdirs(root, d, 0o755, true);
  for (const f of ['/src/f', '/src/g', '/src/taken', '/src/h']) await ns.complete(root, (await ns.create(root, { src: f, masked: 0o644, clientName: 'c', clientMachine: 'm', flags: 1, createParent: false, replication: 1, blockSize: 1 << 20 })) && f, 'c');
});

test('to a path that does not exist: what rename2 costs, one transaction and no read before it', async () => {
  const costOf = async (rename: () => Promise<unknown>) => {
    const before = counts();
    await rename();
    const after = counts();
    return { roundTrips: after.roundTrips - before.roundTrips, commits: after.commits - before.commits, rollbacks: after.rollbacks - before.rollbacks };
  };
  const f = await id('/src/f');
  const legacy = await costOf(async () => expect(await ns.rename(root, '/src/f', '/dir/f2')).toBe(true));
  expect(await id('/dir/f2')).toBe(f);
  const strict = await costOf(() => ns.rename2(root, '/dir/f2', '/src/f', false));
  expect(await id('/src/f')).toBe(f);
  expect(legacy).toEqual(strict);
  expect(legacy).toMatchObject({ commits: 1, rollbacks: 0 });
});

test('to an existing directory: into it, under the source name', async () => {
  const g = await id('/src/g');
  expect(await ns.rename(root, '/src/g', '/dir')).toBe(true);
  expect(await id('/dir/g')).toBe(g);
  expect(await id('/src/g')).toBeUndefined();
});

test('to the root: into it', async () => {
  const h = await id('/src/h');
  expect(await ns.rename(root, '/src/h', '/')).toBe(true);
  expect(await id('/h')).toBe(h);
});

test('into a directory that already holds the name: false, nothing moves, and only once into (never dir/name/name)', async () => {
  const taken = await id('/src/taken');
  expect(await ns.rename(root, '/src/taken', '/dir')).toBe(false);
  expect(await id('/src/taken')).toBe(taken);
  expect((await ns.getListing(root, '/dir/taken', ''))?.entries).toEqual([]);
});

test('a directory into its own descendant directory is refused; into a sibling directory it moves', async () => {
  await expect(ns.rename(root, '/deep/a', '/deep/a/b')).rejects.toMatchObject({ kind: 'IO' });
  expect(await id('/deep/a/b')).toBeDefined();
  expect(await ns.rename(root, '/deep/a/b', '/deep')).toBe(true);
  expect(await id('/deep/b')).toBeDefined();
});
