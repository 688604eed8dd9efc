import { CreateFlag } from '../../../namenode/ops/create';
import { makeCaller } from '../../../namenode/security/caller';
import { memoryNamesystem } from '../../fakes/memory-namesystem';

/**
 * The subtree protocol on the in-memory repositories: a threshold of 10 and
 * batches of 3 make a 3 × 8 tree a subtree operation of many transactions.
 */
const { db, ns } = memoryNamesystem({ subtreeThreshold: 10, subtreeBatchSize: 3 });
const root = makeCaller('root', [], ns.config);
const alice = makeCaller('alice', ['staff'], ns.config);

async function tree(top: string, owner = root): Promise<void> {
  for (let d = 0; d < 3; d++) {
    for (let i = 0; i < 8; i++) {
      await ns.create(owner, { src: `${top}/d${d}/f${i}`, masked: 0o644, clientName: 'DFSClient_unit', clientMachine: '127.0.0.1', flags: CreateFlag.CREATE, createParent: true, replication: 1, blockSize: 1 << 27 });
      await ns.complete(owner, `${top}/d${d}/f${i}`, 'DFSClient_unit');
    }
  }
}

test('before joining the fleet, a namenode starts no subtree operation: RetriableException', async () => {
  await tree('/early');
  await expect(ns.delete(root, '/early', true)).rejects.toMatchObject({ kind: 'SubtreeLocked' });
  expect(db.tables.subtreeOps.rows()).toEqual([]);
  // A small subtree still goes in one transaction.
  expect(await ns.delete(root, '/early/d0/f0', false)).toBe(true);
});

describe('joined', () => {
  beforeAll(() => ns.attachMembership({ selfId: 7, isLive: (id) => id === 7 }));

  test('a big delete empties the tree bottom up and removes it; nothing of the operation is left', async () => {
    const before = db.tables.inodes.rows().length;
    await tree('/big');
    expect((await ns.getContentSummary(root, '/big')).fileCount).toBe(24);
    expect(await ns.delete(root, '/big', true)).toBe(true);
    expect(await ns.getFileInfo(root, '/big')).toBeUndefined();
    expect(db.tables.inodes.rows().length).toBe(before);
    expect(db.tables.subtreeOps.rows()).toEqual([]);
    expect(db.tables.leasePaths.rows()).toEqual([]);
  });

  test('a big rename moves the whole tree and releases its lock', async () => {
    await tree('/src');
    await ns.mkdirs(root, '/dst', 0o755, true);
    expect(await ns.rename(root, '/src', '/dst/moved')).toBe(true);
    expect((await ns.getContentSummary(root, '/dst/moved')).fileCount).toBe(24);
    expect(await ns.getFileInfo(root, '/src')).toBeUndefined();
    expect(db.tables.inodes.rows().filter((r) => r.subtreeLockOwner !== undefined)).toEqual([]);
    expect(db.tables.subtreeOps.rows()).toEqual([]);
  });

  test('a subdirectory without write permission stops a big delete before anything goes (AccessControlException), and the lock is released', async () => {
    await ns.mkdirs(root, '/shared', 0o777, false);
    await tree('/shared/t', alice);
    await ns.setPermission(alice, '/shared/t/d1', 0o555);
    await ns.setOwner(root, '/shared/t/d1', 'root', 'root');
    await expect(ns.delete(alice, '/shared/t', true)).rejects.toMatchObject({ kind: 'AccessDenied', message: expect.stringContaining('access=ALL') });
    expect((await ns.getContentSummary(root, '/shared/t')).fileCount).toBe(24);
    expect(db.tables.subtreeOps.rows()).toEqual([]);
    expect(await ns.delete(root, '/shared/t', true)).toBe(true);
  });

  test("a live namenode's lock refuses writes inside with RetriableException; a dead one's is ignored", async () => {
    await tree('/held');
    const [row] = db.tables.inodes.rows().filter((r) => r.name === 'held');
    db.tables.inodes.replace(`${row!.parentId}/held`, { ...row!, subtreeLockOwner: 8 });
    const mkdir = () => ns.mkdirs(root, '/held/d0/new', 0o755, false);
    ns.attachMembership({ selfId: 7, isLive: () => true });
    await expect(mkdir()).rejects.toMatchObject({ kind: 'SubtreeLocked' });
    expect(await ns.getFileInfo(root, '/held/d0/f0')).toBeDefined();
    ns.attachMembership({ selfId: 7, isLive: (id) => id === 7 });
    expect(await mkdir()).toBe(true);
    expect(await ns.delete(root, '/held', true)).toBe(true);
  });
});
