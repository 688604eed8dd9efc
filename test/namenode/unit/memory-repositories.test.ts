import { DatanodeState } from '../../../namenode/domain/datanode-info';
import { BlockState } from '../../../namenode/domain/located-blocks';
import { ReplicaState } from '../../../namenode/dal/replica-repository';
import { CommandKind } from '../../../namenode/dal/command-repository';
import { IdAllocator } from '../../../namenode/tx/id-allocator';
import { COUNTER_INODE_ID } from '../../../schema/counters';
import { formatMemoryNamespace, memoryDatabase } from '../../fakes/memory-database';
import { datanode } from '../../fakes/row-fixtures';

/** Where the fakes mirror a SQL behaviour the namenode depends on. */
function formatted() {
  const mem = memoryDatabase();
  formatMemoryNamespace(mem.db);
  return mem;
}

test('counters answer the top of the reserved range (LAST_INSERT_ID), and generation stamps never go back', async () => {
  const { db, dal } = formatted();
  expect(await db.run(dal.counters.reserveRange(COUNTER_INODE_ID, 10))).toBe(16395);
  expect(await db.run(dal.counters.nextGenerationStamp(0))).toBe(1001);
  expect(await db.run(dal.counters.nextGenerationStamp(5000))).toBe(5001);
  expect(await db.run(dal.counters.nextGenerationStamp(0))).toBe(5002);
  await expect(db.run(dal.counters.reserveRange('nope', 1))).rejects.toThrow('counter nope is missing');
  const ids = new IdAllocator(db, dal.counters, COUNTER_INODE_ID, 5);
  expect([await ids.next(), await ids.next()]).toEqual([16396, 16397]);
});

test('upserts count as mysql2 reports them: 1 inserted, 2 changed, 1 unchanged', async () => {
  const { db, dal } = formatted();
  const d = datanode('dn1');
  expect(await db.mutate([dal.datanodes.upsert(d, 10), dal.datanodes.upsert(d, 20), dal.datanodes.upsert(d, 20)])).toEqual([1, 2, 1]);
});

test('a heartbeat of a datanode declared dead changes nothing: it must register again', async () => {
  const { db, dal } = formatted();
  const d = datanode('dn1');
  await db.mutate([dal.datanodes.upsert(d, 10)]);
  expect(await db.mutate([dal.datanodes.markDead('dn1', 5)])).toEqual([0]);
  expect(await db.mutate([dal.datanodes.markDead('dn1', 11)])).toEqual([1]);
  expect(await db.mutate([dal.datanodes.updateHeartbeatsBatched([{ uuid: 'dn1', stats: d }], 30)])).toEqual([0]);
  await db.mutate([dal.datanodes.upsert(d, 40)]);
  expect((await db.run(dal.datanodes.findByPk('dn1')))?.state).toBe(DatanodeState.Normal);
});

test('forgetting a dead datanode queues its blocks and drops its replicas and commands', async () => {
  const { db, dal } = formatted();
  await db.mutate([
    dal.replicas.upsertBatched([{ inodeId: 7, blockId: 70, storageId: 'DS-1', datanodeUuid: 'dn1', genStamp: 1001, numBytes: 5, state: ReplicaState.Finalized }]),
    dal.replicas.upsertBatched([{ inodeId: 7, blockId: 70, storageId: 'DS-2', datanodeUuid: 'dn2', genStamp: 1001, numBytes: 5, state: ReplicaState.Finalized }]),
    ...dal.commands.insert({ datanodeUuid: 'dn1', blockId: 70, kind: CommandKind.Invalidate, genStamp: 1001, numBytes: 5, targets: [] }, 1),
  ]);
  await db.mutate(dal.datanodes.forgetDead('dn1', 99));
  expect(await db.run(dal.replicationQueue.findDue(10, 100, 100))).toEqual([{ blockId: 70, inodeId: 7 }]);
  expect(db.tables.replicas.rows().map((r) => r.datanodeUuid)).toEqual(['dn2']);
  expect(db.tables.commands.size).toBe(0);
});

test('a lease holder is dropped only once it holds no path and was last renewed before the bound', async () => {
  const { db, dal } = formatted();
  await db.mutate([dal.leases.upsert('h', 1), dal.leases.insertPath(1, 'h'), dal.leases.insertPath(2, 'h'), dal.leases.upsert('fresh', 50)]);
  await db.mutate([dal.leases.deletePathsByInodesBatched([1])]);
  expect(await db.run(dal.leases.findEmpty(10, 100))).toEqual([]);
  expect(await db.mutate([dal.leases.deleteEmpty(['h'], 10)])).toEqual([0]);
  await db.mutate([dal.leases.deletePathsByInodesBatched([2])]);
  expect(await db.run(dal.leases.findEmpty(10, 100))).toEqual(['h']);
  expect(await db.run(dal.leases.findEmpty(100, 100))).toEqual(['h', 'fresh']);
  // Renewed (a create) after it was found: spared.
  await db.mutate([dal.leases.upsert('h', 20)]);
  expect(await db.mutate([dal.leases.deleteEmpty(['h'], 10)])).toEqual([0]);
  expect(await db.mutate([dal.leases.deleteEmpty(['h', 'fresh'], 30)])).toEqual([1]);
  expect(await db.run(dal.leases.findEmpty(100, 100))).toEqual(['fresh']);
});

test('an empty IN list fails as the SQL would', async () => {
  const { db, dal } = formatted();
  await expect(db.run(dal.blocks.findByIdBatched([]))).rejects.toThrow(/empty IN list/);
});

test("concat's moves: a file's blocks go to another after its own, replicas and queue entries with them", async () => {
  const { db, dal } = formatted();
  const block = (inodeId: number, index: number, blockId: number) => dal.blocks.insert({ inodeId, index, blockId, genStamp: 1001, numBytes: 5, state: BlockState.Complete });
  await db.mutate([
    block(1, 0, 10),
    block(2, 0, 20),
    block(2, 1, 21),
    dal.replicas.upsertBatched([{ inodeId: 2, blockId: 21, storageId: 'DS-1', datanodeUuid: 'dn1', genStamp: 1001, numBytes: 5, state: ReplicaState.Finalized }]),
    dal.replicationQueue.enqueue(20, 2, 1),
  ]);
  expect(await db.mutate([dal.blocks.moveToInode(2, 1, 1), dal.replicas.moveToInode(2, 1), dal.replicationQueue.moveToInode(2, 1)])).toEqual([2, 1, 1]);
  expect((await db.run(dal.blocks.findByInode(1))).map((b) => [b.index, b.blockId])).toEqual([[0, 10], [1, 20], [2, 21]]);
  expect(await db.run(dal.blocks.findByInode(2))).toEqual([]);
  expect((await db.run(dal.replicas.findByInodesBatched([1]))).map((r) => r.blockId)).toEqual([21]);
  expect(await db.run(dal.replicationQueue.findDue(10, 100, 100))).toEqual([{ blockId: 20, inodeId: 1 }]);
});
