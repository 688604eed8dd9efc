import { randomUUID } from 'node:crypto';
import { ReplicaEvent } from '../../namenode/domain/datanode-messages';
import type { LocatedBlock } from '../../namenode/domain/located-blocks';
import { registerLiveDatanodes, storageOf } from '../harness/live-datanodes';
import { namesystemFixture, type NamesystemFixture } from '../harness/namesystem-fixture';

/**
 * A replica report locks the file of each block before it reads the block.
 * For a block this namenode allocated, the file comes from its memory
 * (BlockOwners) and is locked in the round trip that reads the block; a
 * concat since moved the block to another file, which the read reveals:
 * that file is locked then, and the copy recorded there.
 */
let f: NamesystemFixture;
const dns: string[] = Array.from({ length: 3 }, () => randomUUID());
const received = (uuid: string, b: LocatedBlock['block']) =>
  f.ns.datanodes.replicasChanged(uuid, [{ blockId: b.blockId, genStamp: b.genStamp, numBytes: 4096, finalized: true, storageId: storageOf(uuid), event: ReplicaEvent.Received }]);

beforeAll(async () => {
  f = await namesystemFixture('reporthint');
  await registerLiveDatanodes(f, dns, '10.2.0');
}, 60_000);
afterAll(() => f.close());

/** A closed one-block file whose block has one copy, on dns[0]. */
async function writeOne(src: string, client: string): Promise<LocatedBlock> {
  await f.ns.create(f.root, { src, masked: 0o644, clientName: client, clientMachine: 'm', flags: 1, createParent: true, replication: 3, blockSize: 1 << 27 });
  const lb = await f.ns.addBlock(f.root, { src, clientName: client, previous: undefined, exclude: [], favored: [], writer: '' });
  await received(dns[0] as string, lb.block);
  expect(await f.ns.complete(f.root, src, client, { ...lb.block, numBytes: 4096 })).toBe(true);
  return lb;
}

const copies = async (blockId: number) => {
  const [rows] = await f.pool.query('SELECT datanode_uuid, inode_id FROM replicas WHERE block_id = ? AND state = 1', [blockId]);
  return (rows as { datanode_uuid: string; inode_id: number | string }[]).map((r) => [r.datanode_uuid, Number(r.inode_id)]).sort();
};

test('a copy of a block a concat moved after its addBlock here is recorded under the file that has it now', async () => {
  const a = await writeOne('/hint/a', 'writer-a');
  await writeOne('/hint/b', 'writer-b');
  const target = (await f.ns.getFileInfo(f.root, '/hint/b'))?.fileId;
  expect(target).toBeDefined();
  expect(target).not.toBe(a.block.inodeId);
  await f.ns.concat(f.root, '/hint/b', ['/hint/a']);
  await received(dns[1] as string, a.block);
  expect(await copies(a.block.blockId)).toEqual([
    [dns[0], target],
    [dns[1], target],
  ].sort());
  const located = await f.ns.getBlockLocations(f.root, '/hint/b', 0, 1 << 30);
  expect(located.blocks.find((b) => b.block.blockId === a.block.blockId)?.locations.map((l) => l.datanode.uuid).sort()).toEqual([dns[0], dns[1]].sort());
});

test('a copy of a block deleted after its addBlock here is not recorded, and its datanode is told to drop it', async () => {
  const c = await writeOne('/hint/c', 'writer-c');
  await f.ns.delete(f.root, '/hint/c', false);
  await received(dns[2] as string, c.block);
  expect(await copies(c.block.blockId)).toEqual([]);
  const [rows] = await f.pool.query('SELECT datanode_uuid FROM datanode_commands WHERE block_id = ? AND kind = 2', [c.block.blockId]);
  expect((rows as { datanode_uuid: string }[]).map((r) => r.datanode_uuid)).toContain(dns[2]);
});
