import type { Candidate } from '../../../namenode/dal/datanode-repository';
import { chooseTargets, type PlacementRequest } from '../../../namenode/blocks/placement';
import { prefersSharedStorage, storagePolicyByName, STORAGE_POLICY_UNSPECIFIED } from '../../../namenode/domain/storage-policies';
import { StorageType } from '../../../namenode/domain/storage';
import { datanode, location } from '../../fakes/row-fixtures';

/** Which storage a new block goes to in a fleet mixing Swift gateways (PROVIDED) and local disks. */

const candidate = (uuid: string, storageType = StorageType.Disk): Candidate => ({ ...location(datanode(uuid)), storageType, storageRemaining: 1 << 30 });
const request = (more: Partial<PlacementRequest> = {}): PlacementRequest => ({ count: 3, blockSize: 1024, exclude: new Set(), favored: [], random: () => 0, ...more });
const uuids = (cs: readonly Candidate[]) => cs.map((c) => c.datanode.uuid).sort();
const mixed = [candidate('dn1'), candidate('gw1', StorageType.Provided), candidate('dn2'), candidate('gw2', StorageType.Provided), candidate('dn3')];

test('only the PROVIDED policy sends new blocks to shared storage; the default and every other policy keep them on local disks', () => {
  const id = (name: string) => storagePolicyByName(name)?.id ?? -1;
  expect(prefersSharedStorage(id('PROVIDED'))).toBe(true);
  for (const name of ['HOT', 'COLD', 'WARM', 'ONE_SSD', 'ALL_SSD', 'ALL_NVDIMM', 'LAZY_PERSIST']) expect(prefersSharedStorage(id(name))).toBe(false);
  expect(prefersSharedStorage(STORAGE_POLICY_UNSPECIFIED)).toBe(false);
});

test('a mixed fleet: a local-disk file gets only local datanodes, a shared one a single gateway', () => {
  for (let i = 0; i < 5; i++) {
    const rotate = [...mixed.slice(i), ...mixed.slice(0, i)];
    expect(uuids(chooseTargets(rotate, request({ shared: false })))).toEqual(['dn1', 'dn2', 'dn3']);
    const onShared = chooseTargets(rotate, request({ shared: true }));
    expect(onShared).toHaveLength(1);
    expect(onShared[0]?.storageType).toBe(StorageType.Provided);
  }
});

test('the other kind only when none of the wanted kind can take the block', () => {
  // Every local datanode excluded by the client, or a fleet of gateways alone: the block goes to Swift.
  const chosen = chooseTargets(mixed, request({ shared: false, exclude: new Set(['dn1', 'dn2', 'dn3']) }));
  expect(chosen.map((c) => c.storageType)).toEqual([StorageType.Provided]);
  // No live gateway: a PROVIDED directory falls back to local disks (the policy's creationFallbacks name DISK).
  expect(uuids(chooseTargets(mixed, request({ shared: true, exclude: new Set(['gw1', 'gw2']) })))).toEqual(['dn1', 'dn2', 'dn3']);
  // A wanted storage that is full does not count: the others are used.
  const full = [candidate('dn1'), { ...candidate('gw1', StorageType.Provided), storageRemaining: 0 }];
  expect(uuids(chooseTargets(full, request({ shared: true })))).toEqual(['dn1']);
});
