import { sqlRepositories } from '../../namenode/dal/sql/sql-repositories';
import type { InodeKey } from '../../namenode/dal/inode-row';
import { CreateFlag } from '../../namenode/ops/create';
import { ROOT_INODE_ID } from '../../schema/tables';
import { ReplicaEvent } from '../../namenode/domain/datanode-messages';
import { registerLiveDatanodes, storageOf } from '../harness/live-datanodes';
import { namesystemFixture, type NamesystemFixture } from '../harness/namesystem-fixture';

/**
 * Plain lookups (getFileInfo, path resolution) and getBlockLocations'
 * lookups share one batcher (namenode/tx/lookup-batcher.ts): one SELECT for
 * both, the blocks joined for getBlockLocations' keys alone
 * (findByPkWithBlocksBatched's `blockKeys`), against the real database.
 */
let f: NamesystemFixture;
let dirId: number;
const clientName = 'DFSClient_lookups';
beforeAll(async () => {
  f = await namesystemFixture('lkblocks');
  await registerLiveDatanodes(f, ['lwb-1'], '10.9.0');
  dirId = (await f.ns.mkdirs(f.root, '/lwb', 0o755, true)) ? ((await f.ns.getFileInfo(f.root, '/lwb'))?.fileId as number) : 0;
  for (const name of ['big', 'empty']) {
    await f.ns.create(f.root, { src: `/lwb/${name}`, masked: 0o644, clientName, clientMachine: '127.0.0.1', flags: CreateFlag.CREATE, createParent: false, replication: 1, blockSize: 1 << 20 });
  }
  // `big`: one block, its replica reported, the file closed; `empty`: none, closed.
  const { block } = await f.ns.addBlock(f.root, { src: '/lwb/big', clientName, previous: undefined, exclude: [], favored: [], writer: '' });
  await f.ns.datanodes.replicasChanged('lwb-1', [{ blockId: block.blockId, genStamp: block.genStamp, numBytes: 4096, finalized: true, storageId: storageOf('lwb-1'), event: ReplicaEvent.Received }]);
  expect(await f.ns.complete(f.root, '/lwb/big', clientName, { ...block, numBytes: 4096 })).toBe(true);
  expect(await f.ns.complete(f.root, '/lwb/empty', clientName)).toBe(true);
});
afterAll(() => f?.close());

const key = (parentId: number, name: string): InodeKey => ({ parentId, name });

test('with blockKeys, the rows of every key come back and the blocks of those keys alone', async () => {
  const dir = key(ROOT_INODE_ID, 'lwb');
  const big = key(dirId, 'big');
  const empty = key(dirId, 'empty');
  const idOf = async (name: string) => (await f.ns.getFileInfo(f.root, `/lwb/${name}`))?.fileId as number;
  const [bigId, emptyId] = [await idOf('big'), await idOf('empty')];

  const onlyBig = await f.sqlDb.run(sqlRepositories.inodes.findByPkWithBlocksBatched([dir, big, empty], [big]));
  expect(onlyBig.rows.map((r) => r.name).sort()).toEqual(['big', 'empty', 'lwb']);
  expect([...onlyBig.files.keys()]).toEqual([bigId]);
  expect(onlyBig.files.get(bigId)?.blocks).toHaveLength(1);

  // A key read without its blocks has no entry, not an empty one: nothing says it has no blocks.
  const onlyEmpty = await f.sqlDb.run(sqlRepositories.inodes.findByPkWithBlocksBatched([big, empty], [empty]));
  expect(onlyEmpty.rows.map((r) => r.name).sort()).toEqual(['big', 'empty']);
  expect([...onlyEmpty.files.keys()]).toEqual([emptyId]);
  expect(onlyEmpty.files.get(emptyId)?.blocks).toEqual([]);

  // Without blockKeys, every row's blocks, as before.
  const all = await f.sqlDb.run(sqlRepositories.inodes.findByPkWithBlocksBatched([dir, big, empty]));
  expect([...all.files.keys()].sort()).toEqual([dirId, bigId, emptyId].sort());
  expect(all.files.get(bigId)?.blocks.map((b) => b.index)).toEqual([0]);
});

test('a getFileInfo and a getBlockLocations in the same tick go in one SELECT, each with its own answer', async () => {
  // Warm: both paths resolved once (the hint cache knows the directory).
  await f.ns.getFileInfo(f.root, '/lwb/empty');
  const before = f.sqlDb.roundTrips;
  const [status, located] = await Promise.all([f.ns.getFileInfo(f.root, '/lwb/empty'), f.ns.getBlockLocations(f.root, '/lwb/big', 0, 1 << 20)]);
  expect(f.sqlDb.roundTrips - before).toBe(1);
  expect(status?.type).toBe('file');
  expect(status?.length).toBe(0);
  expect(located.blocks.map((b) => [b.block.numBytes, b.locations.map((l) => l.storageId)])).toEqual([[4096, [storageOf('lwb-1')]]]);
});
