import { finalizedCount, isEmptyUnreported, settle } from '../../../namenode/blocks/block-ops-support';
import { assembleFileBlocks, locate, locatedBlocks, type FileBlockRows } from '../../../namenode/blocks/file-blocks';
import { ReplicaState, type ReplicaLocation } from '../../../namenode/dal/replica-repository';
import { DatanodeState, type DatanodeInfo } from '../../../namenode/domain/datanode-info';
import { BlockState, type Block } from '../../../namenode/domain/located-blocks';
import { memoryNamesystem } from '../../fakes/memory-namesystem';
import { datanode, fileRow, location } from '../../fakes/row-fixtures';

const HEARTBEAT_AFTER = 500_000;
const dn1 = datanode('dn1');
const dn2 = datanode('dn2');
const dn3 = datanode('dn3');

const block = (index: number, blockId: number, numBytes: number, state: BlockState, genStamp = 1005): Block => ({ inodeId: 7, index, blockId, genStamp, numBytes, state });

const replica = (blockId: number, d: DatanodeInfo, numBytes: number, state = ReplicaState.Finalized, genStamp = 1005): ReplicaLocation => ({
  blockId,
  genStamp,
  numBytes,
  state,
  location: location(d),
});

const assemble = (rows: Partial<FileBlockRows>) => assembleFileBlocks({ blocks: [], replicas: [], pipeline: [], ...rows }, HEARTBEAT_AFTER);
const holders = (locs: readonly { datanode: DatanodeInfo }[] | undefined) => (locs ?? []).map((l) => l.datanode.uuid);

describe('assembleFileBlocks: which copies count', () => {
  test('a copy older than the block is bad', () => {
    const b = block(0, 1, 100, BlockState.Complete);
    const fb = assemble({ blocks: [b], replicas: [replica(1, dn1, 100), replica(1, dn2, 100, ReplicaState.Finalized, 1004)] });
    expect(holders(fb.replicas.get(1))).toEqual(['dn1']);
    expect(holders(fb.corrupt.get(1))).toEqual(['dn2']);
  });

  test('once committed or complete, a finalized copy of another length is bad; before, any length is fine', () => {
    for (const state of [BlockState.Committed, BlockState.Complete]) {
      const fb = assemble({ blocks: [block(0, 1, 100, state)], replicas: [replica(1, dn1, 100), replica(1, dn2, 90)] });
      expect(holders(fb.replicas.get(1))).toEqual(['dn1']);
      expect(holders(fb.corrupt.get(1))).toEqual(['dn2']);
    }
    const open = assemble({ blocks: [block(0, 1, 100, BlockState.UnderConstruction)], replicas: [replica(1, dn1, 90)] });
    expect(holders(open.replicas.get(1))).toEqual(['dn1']);
    expect(open.corrupt.size).toBe(0);
  });

  test('a copy still being written of a complete block is bad; of an open block it is neither good nor bad', () => {
    const complete = assemble({ blocks: [block(0, 1, 100, BlockState.Complete)], replicas: [replica(1, dn1, 100, ReplicaState.BeingWritten)] });
    expect(holders(complete.corrupt.get(1))).toEqual(['dn1']);
    expect(complete.replicas.size).toBe(0);
    const open = assemble({ blocks: [block(0, 1, 100, BlockState.UnderConstruction)], replicas: [replica(1, dn1, 50, ReplicaState.BeingWritten)] });
    expect(open.replicas.size + open.corrupt.size).toBe(0);
  });

  test('copies on dead or silent datanodes are left out, even corrupt ones', () => {
    const dead = datanode('dead', { state: DatanodeState.Dead, lastHeartbeat: 9_999_999 });
    const silent = datanode('silent', { lastHeartbeat: HEARTBEAT_AFTER });
    const fb = assemble({
      blocks: [block(0, 1, 100, BlockState.Complete)],
      replicas: [replica(1, dead, 100), replica(1, silent, 100), replica(1, silent, 100, ReplicaState.Corrupt), replica(1, dn1, 100)],
    });
    expect(holders(fb.replicas.get(1))).toEqual(['dn1']);
    expect(fb.corrupt.size).toBe(0);
  });

  test('a copy reported corrupt is corrupt whatever its stamp and length; good copies record their length', () => {
    const fb = assemble({ blocks: [block(0, 1, 100, BlockState.Complete)], replicas: [replica(1, dn1, 100, ReplicaState.Corrupt), replica(1, dn2, 100)] });
    expect(holders(fb.corrupt.get(1))).toEqual(['dn1']);
    expect(fb.copyBytes.get('1/DS-dn2')).toBe(100);
    expect(fb.copyBytes.has('1/DS-dn1')).toBe(false);
  });
});

describe('locate', () => {
  test('a block with only corrupt copies is reported corrupt, at those copies', () => {
    const b = block(0, 1, 100, BlockState.Complete);
    const fb = assemble({ blocks: [b], replicas: [replica(1, dn1, 100, ReplicaState.Corrupt), replica(1, dn2, 90)] });
    const lb = locate(fb, b, 0);
    expect(lb.corrupt).toBe(true);
    expect(holders(lb.locations).sort()).toEqual(['dn1', 'dn2']);
  });

  test('good copies hide the corrupt ones', () => {
    const b = block(0, 1, 100, BlockState.Complete);
    const lb = locate(assemble({ blocks: [b], replicas: [replica(1, dn1, 100, ReplicaState.Corrupt), replica(1, dn2, 100)] }), b, 0);
    expect(lb.corrupt).toBe(false);
    expect(holders(lb.locations)).toEqual(['dn2']);
  });

  test('a block under construction, or committed without a finalized copy, is read from its pipeline', () => {
    for (const state of [BlockState.UnderConstruction, BlockState.UnderRecovery, BlockState.Committed]) {
      const b = block(0, 1, 100, state);
      const fb = assemble({ blocks: [b], pipeline: [{ blockId: 1, location: location(dn3) }, { blockId: 1, location: location(dn2) }] });
      expect(holders(locate(fb, b, 0).locations)).toEqual(['dn3', 'dn2']);
    }
  });

  test('a complete block with no copy at all has no location and is not corrupt', () => {
    const b = block(0, 1, 100, BlockState.Complete);
    expect(locate(assemble({ blocks: [b] }), b, 0)).toEqual({ block: b, offset: 0, locations: [], corrupt: false });
  });
});

describe('locatedBlocks', () => {
  const b0 = block(0, 1, 100, BlockState.Complete);
  const replicas = [replica(1, dn1, 100), replica(2, dn1, 100), replica(3, dn1, 40)];

  test('a closed file: its length is every block, and only the blocks overlapping the range are located', () => {
    const blocks = [b0, block(1, 2, 100, BlockState.Complete), block(2, 3, 40, BlockState.Complete)];
    const lbs = locatedBlocks(fileRow(7, 1, 'f'), assemble({ blocks, replicas }), 150, 20);
    expect(lbs.fileLength).toBe(240);
    expect(lbs.blocks.map((b) => [b.block.blockId, b.offset])).toEqual([[2, 100]]);
    expect(lbs.lastBlock?.block.blockId).toBe(3);
    expect(lbs.lastBlock?.offset).toBe(200);
    expect(lbs.underConstruction).toBe(false);
    expect(lbs.isLastBlockComplete).toBe(true);
  });

  test('a file being written: its length leaves out the last block while it is under construction', () => {
    const file = fileRow(7, 1, 'f', { ucClient: 'DFSClient_1', ucMachine: 'm' });
    const open = locatedBlocks(file, assemble({ blocks: [b0, block(1, 2, 60, BlockState.UnderConstruction)], replicas }), 0, 1000);
    expect(open.fileLength).toBe(100);
    expect(open.underConstruction).toBe(true);
    expect(open.isLastBlockComplete).toBe(false);
    expect(open.lastBlock?.block.blockId).toBe(2);
    const committed = locatedBlocks(file, assemble({ blocks: [b0, block(1, 2, 60, BlockState.Committed)], replicas }), 0, 1000);
    expect(committed.fileLength).toBe(160);
    expect(committed.isLastBlockComplete).toBe(true);
  });

  test('an empty block at the end of the range is located', () => {
    const blocks = [b0, block(1, 2, 0, BlockState.UnderConstruction)];
    const lbs = locatedBlocks(fileRow(7, 1, 'f', { ucClient: 'c' }), assemble({ blocks, replicas }), 0, 100);
    expect(lbs.blocks.map((b) => b.block.blockId)).toEqual([1, 2]);
  });
});

describe('finalizedCount, settle, isEmptyUnreported', () => {
  const { ns } = memoryNamesystem({ minReplication: 2 });
  const ctx = ns.context;

  test('a committed block counts only copies of exactly its length; an open one counts every finalized copy', () => {
    const replicas = [replica(1, dn1, 100), replica(1, dn2, 100), replica(1, dn3, 90)];
    const committed = block(0, 1, 100, BlockState.Committed);
    // dn3's short copy is bad once committed: assembled as corrupt, and not counted.
    expect(finalizedCount(assemble({ blocks: [committed], replicas }), committed)).toBe(2);
    const open = block(0, 1, 100, BlockState.UnderConstruction);
    const readWhileOpen = assemble({ blocks: [open], replicas });
    expect(finalizedCount(readWhileOpen, open)).toBe(3);
    // The same copies, read while open, once the client commits the length (complete, in one transaction).
    expect(finalizedCount(readWhileOpen, { ...open, state: BlockState.Committed })).toBe(2);
  });

  test('a committed block becomes complete with minReplication good copies, not before', () => {
    const b = block(0, 1, 100, BlockState.Committed);
    expect(settle(ctx, assemble({ blocks: [b], replicas: [replica(1, dn1, 100)] }), b).state).toBe(BlockState.Committed);
    expect(settle(ctx, assemble({ blocks: [b], replicas: [replica(1, dn1, 100), replica(1, dn2, 100)] }), b).state).toBe(BlockState.Complete);
    const open = block(0, 1, 100, BlockState.UnderConstruction);
    expect(settle(ctx, assemble({ blocks: [open], replicas: [replica(1, dn1, 100), replica(1, dn2, 100)] }), open)).toBe(open);
  });

  test('only a zero-length, not complete block without a finalized copy is empty', () => {
    const empty = block(0, 1, 0, BlockState.UnderConstruction);
    expect(isEmptyUnreported(assemble({ blocks: [empty] }), empty)).toBe(true);
    expect(isEmptyUnreported(assemble({ blocks: [empty], replicas: [replica(1, dn1, 0)] }), empty)).toBe(false);
    const complete = block(0, 1, 0, BlockState.Complete);
    expect(isEmptyUnreported(assemble({ blocks: [complete] }), complete)).toBe(false);
    const written = block(0, 1, 10, BlockState.UnderConstruction);
    expect(isEmptyUnreported(assemble({ blocks: [written] }), written)).toBe(false);
  });
});
