import { isNamesystemError } from '../../../namenode/errors';
import { dropEmptyLeases } from '../../../namenode/leader/duties/lease-monitor';
import { CreateFlag, type CreateRequest } from '../../../namenode/ops/create';
import { makeCaller } from '../../../namenode/security/caller';
import { memoryNamesystem } from '../../fakes/memory-namesystem';

/** The real operations on the in-memory repositories: proof that the fakes are faithful enough to run them. */
const { db, ns } = memoryNamesystem({ listingLimit: 2 });
const root = makeCaller('root', [], ns.config);
const alice = makeCaller('alice', ['staff'], ns.config);

const createReq = (src: string, more: Partial<CreateRequest> = {}): CreateRequest => ({
  src,
  masked: 0o644,
  clientName: 'DFSClient_unit',
  clientMachine: '127.0.0.1',
  flags: CreateFlag.CREATE,
  createParent: true,
  replication: 3,
  blockSize: 128 * 1024 * 1024,
  ...more,
});

test('mkdirs -p makes every missing directory', async () => {
  expect(await ns.mkdirs(root, '/a/b/c', 0o755, true)).toBe(true);
  for (const p of ['/a', '/a/b', '/a/b/c']) expect((await ns.getFileInfo(root, p))?.type).toBe('directory');
  await expect(ns.mkdirs(root, '/q/r', 0o755, false)).rejects.toMatchObject({ kind: 'FileNotFound' });
});

test('create makes an open file under a lease; getFileInfo sees it', async () => {
  const created = await ns.create(root, createReq('/a/b/f'));
  const status = await ns.getFileInfo(root, '/a/b/f');
  expect(status).toMatchObject({ type: 'file', length: 0, replication: 3, owner: 'root', underConstruction: true, fileId: created.fileId });
  expect(created.fileId).toBeGreaterThan(16385);
  expect(db.tables.leasePaths.get(String(created.fileId))?.holder).toBe('DFSClient_unit');
  // Still open by its writer: Hadoop's recoverLeaseInternal answers before FileAlreadyExists.
  await expect(ns.create(root, createReq('/a/b/f'))).rejects.toMatchObject({ kind: 'AlreadyBeingCreated' });
});

test('getListing pages by name bytes, dfs.ls.limit entries at a time', async () => {
  // Byte order, not UTF-16 order: 'Z' (5a) < 'a' (61) < 'Ａ' (ef bc a1) < '😀' (f0 9f 98 80), though '😀' < 'Ａ' in UTF-16.
  for (const name of ['😀', 'a', 'Ａ', 'Z']) await ns.mkdirs(root, `/list/${name}`, 0o755, true);
  const first = await ns.getListing(root, '/list', '');
  expect(first?.entries.map((e) => e.name)).toEqual(['Z', 'a']);
  expect(first?.remaining).toBe(2);
  const second = await ns.getListing(root, '/list', 'a');
  expect(second?.entries.map((e) => e.name)).toEqual(['Ａ', '😀']);
  expect(second?.remaining).toBe(0);
  expect((await ns.getListing(root, '/list', '😀'))?.entries).toEqual([]);
  expect(await ns.getListing(root, '/nowhere', '')).toBeUndefined();
});

test('rename moves the row under its new key', async () => {
  const before = await ns.getFileInfo(root, '/a/b/f');
  expect(await ns.rename(root, '/a/b/f', '/a/g')).toBe(true);
  expect(await ns.getFileInfo(root, '/a/b/f')).toBeUndefined();
  expect((await ns.getFileInfo(root, '/a/g'))?.fileId).toBe(before?.fileId);
  expect(await ns.rename(root, '/a/missing', '/a/h')).toBe(false);
});

test('delete -r removes the subtree with its lease paths (the lease monitor drops the holder later); without -r a non-empty directory stays', async () => {
  await expect(ns.delete(root, '/a', false)).rejects.toMatchObject({ kind: 'PathIsNotEmptyDirectory' });
  const inodesBefore = db.tables.inodes.size;
  expect(await ns.delete(root, '/a', true)).toBe(true);
  expect(await ns.getFileInfo(root, '/a/b/c')).toBeUndefined();
  expect(await ns.getFileInfo(root, '/a')).toBeUndefined();
  expect(db.tables.inodes.size).toBe(inodesBefore - 4); // a, b, c, g
  expect(db.tables.leasePaths.size).toBe(0);
  expect(db.tables.leases.size).toBe(1);
  const ctx = ns.context;
  expect(await dropEmptyLeases(ctx, Date.now() + ctx.config.leaseSoftLimitMs + 1_000)).toBe(1);
  expect(db.tables.leases.size).toBe(0);
  expect(await ns.delete(root, '/a', true)).toBe(false);
});

test('another user is denied where the permissions say so, and nothing is written', async () => {
  await ns.mkdirs(root, '/private', 0o700, true);
  const inodes = db.tables.inodes.size;
  const denied = await ns.mkdirs(alice, '/private/x', 0o755, true).catch((e: unknown) => e);
  expect(isNamesystemError(denied, 'AccessDenied')).toBe(true);
  expect((denied as Error).message).toMatch(/user=alice/);
  await expect(ns.getListing(alice, '/private', '')).rejects.toMatchObject({ kind: 'AccessDenied' });
  await expect(ns.delete(alice, '/private', true)).rejects.toMatchObject({ kind: 'AccessDenied' });
  expect(db.tables.inodes.size).toBe(inodes);
  // Where she may write, she may create.
  await ns.mkdirs(root, '/tmp', 0o777, true);
  expect((await ns.create(alice, createReq('/tmp/hers')))?.owner).toBe('alice');
});

test('a write is two round trips when the hints are warm: lock, commit (no resolution read)', async () => {
  await ns.mkdirs(root, '/warm/dir', 0o755, true);
  await ns.getFileInfo(root, '/warm/dir');
  const before = db.roundTrips;
  const hinted = ns.runner.stats.hintedWrites;
  await ns.mkdirs(root, '/warm/dir/new', 0o755, false);
  expect(db.roundTrips - before).toBe(2);
  expect(ns.runner.stats.hintedWrites).toBe(hinted + 1);
});

test('a write whose hints do not cover its path asks the hint cache once, then resolves it', async () => {
  await ns.mkdirs(root, '/cold/x/y', 0o755, true);
  ns.cache.invalidate(['/cold/x', '/cold/x/y']);
  const { hits, misses } = ns.cache.stats;
  const hinted = ns.runner.stats.hintedWrites;
  await ns.mkdirs(root, '/cold/x/y/z', 0o755, false);
  // One lookup of the three ancestors' hints (/cold hit, /cold/x and /cold/x/y missed), not one for the hinted try and another for the resolution.
  expect(ns.cache.stats.hits - hits).toBe(1);
  expect(ns.cache.stats.misses - misses).toBe(2);
  expect(ns.runner.stats.hintedWrites).toBe(hinted);
  expect((await ns.getFileInfo(root, '/cold/x/y/z'))?.type).toBe('directory');
});

test('a write on a stale hint locks the wrong key, starts over resolved, and lands where the path is', async () => {
  await ns.mkdirs(root, '/stale/a', 0o755, true);
  await ns.mkdirs(root, '/stale/b', 0o755, true);
  const a = await ns.getFileInfo(root, '/stale/a');
  const b = await ns.getFileInfo(root, '/stale/b');
  // The hint says /stale/a is b's inode: the lock read finds a's row under that key, with another id.
  ns.cache.set('/stale/a', Number(b?.fileId), true);
  const stale = ns.runner.stats.staleResolutions;
  await ns.create(root, createReq('/stale/a/f'));
  expect(ns.runner.stats.staleResolutions).toBe(stale + 1);
  expect((await ns.getFileInfo(root, '/stale/a/f'))?.type).toBe('file');
  expect(await ns.getFileInfo(root, '/stale/b/f')).toBeUndefined();
  expect((await ns.getListing(root, '/stale/a', ''))?.entries.map((e) => e.name)).toEqual(['f']);
  expect(a?.fileId).not.toBe(b?.fileId);
});

test('a write whose ancestor a hint still names after it was deleted answers as the namespace is', async () => {
  await ns.mkdirs(root, '/gone/d', 0o755, true);
  await ns.getFileInfo(root, '/gone/d');
  const d = await ns.getFileInfo(root, '/gone/d');
  await ns.delete(root, '/gone/d', true);
  // delete forgets the path's own hint; put it back as another namenode's would still be.
  ns.cache.set('/gone/d', Number(d?.fileId), true);
  await expect(ns.create(root, createReq('/gone/d/f', { createParent: false }))).rejects.toMatchObject({ kind: 'FileNotFound' });
  expect(await ns.getFileInfo(root, '/gone/d')).toBeUndefined();
  // With parents asked for, the directory is made again under the same name (a new inode).
  expect((await ns.create(root, createReq('/gone/d/f')))?.type).toBe('file');
  expect((await ns.getFileInfo(root, '/gone/d'))?.fileId).not.toBe(d?.fileId);
});
