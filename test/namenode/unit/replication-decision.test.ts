import { decideReplication } from '../../../namenode/blocks/replication-decision';
import { chooseTargets } from '../../../namenode/blocks/placement';
import { assembleFileBlocks } from '../../../namenode/blocks/file-blocks';
import type { Candidate } from '../../../namenode/dal/datanode-repository';
import { ReplicaState, type ReplicaLocation } from '../../../namenode/dal/replica-repository';
import { DatanodeState, type DatanodeInfo } from '../../../namenode/domain/datanode-info';
import { BlockState, type Block, type Location } from '../../../namenode/domain/located-blocks';
import { StorageType } from '../../../namenode/domain/storage';

const NOW = 1_000_000;
const datanode = (uuid: string): DatanodeInfo => ({
  uuid,
  ipAddr: '127.0.0.1',
  hostName: uuid,
  xferPort: 9000 + Number(uuid.replace(/\D/g, '') || 0),
  infoPort: 0,
  ipcPort: 0,
  capacity: 1 << 30,
  dfsUsed: 0,
  remaining: 1 << 30,
  blockPoolUsed: 0,
  nonDfsUsed: 0,
  xceiverCount: 0,
  lastHeartbeat: NOW,
  state: DatanodeState.Normal,
});
const location = (uuid: string, storageType = StorageType.Disk): Location => ({ datanode: datanode(uuid), storageId: `DS-${uuid}`, storageType });
const candidate = (uuid: string, storageType = StorageType.Disk): Candidate => ({ ...location(uuid, storageType), storageRemaining: 1 << 30 });
const block: Block = { inodeId: 1, index: 0, blockId: 77, genStamp: 1001, numBytes: 512, state: BlockState.Complete };
const copy = (l: Location, state = ReplicaState.Finalized, numBytes = 512): ReplicaLocation => ({ blockId: 77, genStamp: 1001, numBytes, state, location: l });
const fileBlocks = (copies: ReplicaLocation[]) => assembleFileBlocks({ blocks: [block], replicas: copies, pipeline: [] }, NOW - 1000);
const first = () => 0;

const retiring = (uuid: string, state = DatanodeState.Decommissioning): Location => ({ ...location(uuid), datanode: { ...datanode(uuid), state } });

describe('decideReplication', () => {
  test("a decommissioning datanode's copy counts for nothing but is a source; it is never deleted as excess", () => {
    // Replication 2: one in-service copy and one on a retiring datanode is short.
    const d = decideReplication(block, fileBlocks([copy(location('dn1')), copy(retiring('dn2'))]), 2, [candidate('dn1'), candidate('dn3')], () => 0.99);
    expect(d.kind).toBe('transfer');
    if (d.kind !== 'transfer') return;
    expect(d.source.datanode.uuid).toBe('dn2');
    expect(d.targets.map((t) => t.datanode.uuid)).toEqual(['dn3']);
    // Its only copies on retiring datanodes: still copied, not missing.
    const only = decideReplication(block, fileBlocks([copy(retiring('dn2', DatanodeState.Decommissioned))]), 1, [candidate('dn1')], first);
    expect(only).toMatchObject({ kind: 'transfer', source: { datanode: { uuid: 'dn2' } } });
    // Whole on the in-service datanodes: the retiring copy is not invalidated.
    const whole = decideReplication(block, fileBlocks([copy(location('dn1')), copy(location('dn3')), copy(retiring('dn2'))]), 2, [candidate('dn1'), candidate('dn3')], first);
    expect(whole).toEqual({ kind: 'whole', invalidate: [] });
  });

  test('a short block is copied from a good replica to datanodes that hold none', () => {
    const d = decideReplication(block, fileBlocks([copy(location('dn1'))]), 3, ['dn1', 'dn2', 'dn3', 'dn4'].map((u) => candidate(u)), first);
    expect(d.kind).toBe('transfer');
    if (d.kind !== 'transfer') return;
    expect(d.source.datanode.uuid).toBe('dn1');
    expect(d.targets).toHaveLength(2);
    expect(d.targets.map((t) => t.datanode.uuid)).not.toContain('dn1');
  });

  test('a whole block sheds corrupt and excess copies', () => {
    const d = decideReplication(block, fileBlocks([copy(location('dn1')), copy(location('dn2')), copy(location('dn3'), ReplicaState.Corrupt)]), 1, [], first);
    expect(d).toEqual({ kind: 'whole', invalidate: [location('dn3'), location('dn2')] });
  });

  test('a copy of the wrong length counts as bad, not as a source', () => {
    const d = decideReplication(block, fileBlocks([copy(location('dn1'), ReplicaState.Finalized, 100)]), 2, [candidate('dn2')], first);
    expect(d).toEqual({ kind: 'missing' });
  });

  test('when every other datanode holds a bad copy, the bad copies go so they can take a good one', () => {
    const d = decideReplication(block, fileBlocks([copy(location('dn1')), copy(location('dn2'), ReplicaState.Corrupt)]), 3, [candidate('dn1'), candidate('dn2'), candidate('dn3')], first);
    expect(d.kind).toBe('transfer');
    const blocked = decideReplication(block, fileBlocks([copy(location('dn1')), copy(location('dn2'), ReplicaState.Corrupt)]), 3, [candidate('dn1'), candidate('dn2')], first);
    expect(blocked).toEqual({ kind: 'clear', invalidate: [location('dn2')] });
  });

  test('one good copy on shared storage is a whole block: never copied across datanodes', () => {
    const shared = location('gw1', StorageType.Provided);
    const d = decideReplication(block, fileBlocks([copy(shared), copy(location('dn2'), ReplicaState.Corrupt)]), 3, ['gw1', 'dn2', 'dn3'].map((u) => candidate(u)), first);
    expect(d).toEqual({ kind: 'whole', invalidate: [location('dn2')] });
  });

  test('a block on local disks is never topped up onto shared storage (its policy chose local disks)', () => {
    const gateways = ['gw1', 'gw2'].map((u) => candidate(u, StorageType.Provided));
    expect(decideReplication(block, fileBlocks([copy(location('dn1'))]), 3, [candidate('dn1'), ...gateways], first)).toEqual({ kind: 'whole', invalidate: [] });
    const d = decideReplication(block, fileBlocks([copy(location('dn1'))]), 3, [candidate('dn1'), ...gateways, candidate('dn2')], first);
    expect(d.kind === 'transfer' && d.targets.map((t) => t.datanode.uuid)).toEqual(['dn2']);
  });

  test('blocks still being written or recovered are left to their writer', () => {
    expect(decideReplication({ ...block, state: BlockState.UnderConstruction }, fileBlocks([]), 3, [], first)).toEqual({ kind: 'forget' });
    expect(decideReplication({ ...block, state: BlockState.UnderRecovery }, fileBlocks([]), 3, [], first)).toEqual({ kind: 'forget' });
  });
});

describe('placement on shared storage', () => {
  test('a shared storage among the chosen takes the block alone', () => {
    const chosen = chooseTargets([candidate('dn1'), candidate('gw1', StorageType.Provided), candidate('dn2')], { count: 3, blockSize: 1024, exclude: new Set(), favored: [], random: first });
    expect(chosen.map((c) => c.datanode.uuid)).toEqual(['gw1']);
  });

  test('local disks only: as many datanodes as the replication', () => {
    const chosen = chooseTargets([candidate('dn1'), candidate('dn2'), candidate('dn3')], { count: 2, blockSize: 1024, exclude: new Set(), favored: [], random: first });
    expect(chosen).toHaveLength(2);
  });
});
