import type { Candidate } from '../../../namenode/dal/datanode-repository';
import { chooseTargets, type PlacementRequest } from '../../../namenode/blocks/placement';
import { heartbeatRecordMs, staleIntervalMs, staleLast, staleToAvoid, type StaleAvoidance } from '../../../namenode/blocks/stale-datanodes';
import { BlockState, type LocatedBlock, type LocatedBlocks } from '../../../namenode/domain/located-blocks';
import { StorageType } from '../../../namenode/domain/storage';
import { DEFAULT_NAMESYSTEM_CONFIG } from '../../../namenode/namesystem-config';
import { datanode, location } from '../../fakes/row-fixtures';

const BLOCK = 1024;
/** Heartbeats at or before this are stale. */
const STALE_AT = 500_000;
const FRESH = 1_000_000;
const avoid: StaleAvoidance = { staleAt: STALE_AT, ratio: 0.5 };

const candidate = (uuid: string, lastHeartbeat: number, storageType: number = StorageType.Disk): Candidate => ({
  ...location(datanode(uuid, { lastHeartbeat })),
  storageType,
  storageRemaining: 10 * BLOCK,
});
const fresh = (uuid: string, type?: number) => candidate(uuid, FRESH, type);
const stale = (uuid: string, type?: number) => candidate(uuid, STALE_AT, type);
const request = (more: Partial<PlacementRequest> = {}): PlacementRequest => ({ count: 3, blockSize: BLOCK, exclude: new Set(), favored: [], avoidStale: avoid, ...more });
const uuids = (cs: readonly Candidate[]) => cs.map((c) => c.datanode.uuid);
/** Every placement over many shuffles: what can come out, not one lucky draw. */
const everyDraw = (candidates: readonly Candidate[], req: PlacementRequest): string[][] =>
  Array.from({ length: 50 }, (_, i) => uuids(chooseTargets(candidates, { ...req, random: ((x) => () => (x = (x * 16807) % 2147483647) / 2147483647)(i + 1) })));

describe('dfs.namenode.avoid.write.stale.datanode in placement', () => {
  test('stale datanodes (heartbeat at or before staleAt) are not chosen while the fresh ones are enough', () => {
    const nodes = [stale('dn1'), fresh('dn2'), stale('dn3'), fresh('dn4'), fresh('dn5')];
    for (const got of everyDraw(nodes, request())) expect(got.sort()).toEqual(['dn2', 'dn4', 'dn5']);
  });

  test('a stale favoured datanode or writer is passed over too', () => {
    const nodes = [stale('dn1'), fresh('dn2'), fresh('dn3'), fresh('dn4')];
    for (const got of everyDraw(nodes, request({ count: 2, favored: ['10.0.0.1:9866'], writer: '10.0.0.1' }))) expect(got).not.toContain('dn1');
  });

  test('when the fresh ones are too few, stale ones take the rest, after the fresh ones', () => {
    const nodes = [stale('dn1'), fresh('dn2'), stale('dn3'), fresh('dn4')];
    for (const got of everyDraw(nodes, request())) {
      expect(got.slice(0, 2).sort()).toEqual(['dn2', 'dn4']);
      expect(['dn1', 'dn3']).toContain(got[2]);
    }
  });

  test('ratio fallback: stale datanodes are avoided up to ratio × live (inclusive), not beyond', () => {
    const half = [stale('dn1'), stale('dn2'), fresh('dn3'), fresh('dn4')];
    expect(staleToAvoid(half, avoid)).toBe(STALE_AT);
    for (const got of everyDraw(half, request({ count: 1 }))) expect(['dn3', 'dn4']).toContain(got[0]);
    const most = [stale('dn1'), stale('dn2'), stale('dn3'), fresh('dn4')];
    expect(staleToAvoid(most, avoid)).toBeUndefined();
    const firsts = new Set(everyDraw(most, request({ count: 1 })).map((g) => g[0]));
    expect(firsts.size).toBeGreaterThan(1);
    expect(staleToAvoid(most, { ...avoid, ratio: 0.75 })).toBe(STALE_AT);
  });

  test('the ratio counts datanodes, not storages', () => {
    const manyDisks = [stale('dn1'), { ...stale('dn1'), storageId: 'DS-x' }, { ...stale('dn1'), storageId: 'DS-y' }, fresh('dn2')];
    expect(staleToAvoid(manyDisks, avoid)).toBe(STALE_AT);
  });

  test('without avoidStale, stale datanodes are chosen like any other', () => {
    const nodes = [stale('dn1'), fresh('dn2'), stale('dn3'), fresh('dn4'), fresh('dn5')];
    const { avoidStale: _, ...plain } = request({ count: 1 });
    const firsts = new Set(everyDraw(nodes, plain).map((g) => g[0]));
    expect([...firsts].some((u) => u === 'dn1' || u === 'dn3')).toBe(true);
  });

  test('a stale datanode of the wanted storage kind comes before the other kind', () => {
    const nodes = [stale('dn1'), fresh('gw1', StorageType.Provided), fresh('gw2', StorageType.Provided), fresh('dn2')];
    for (const got of everyDraw(nodes, request({ count: 2, shared: false }))) expect(got).toEqual(['dn2', 'dn1']);
  });
});

describe('the stale interval in force', () => {
  test('never below the heartbeat rows\' granularity plus three heartbeats', () => {
    expect(heartbeatRecordMs(DEFAULT_NAMESYSTEM_CONFIG)).toBe(30_000);
    expect(staleIntervalMs(DEFAULT_NAMESYSTEM_CONFIG)).toBe(DEFAULT_NAMESYSTEM_CONFIG.staleDatanodeIntervalMs);
    expect(staleIntervalMs(DEFAULT_NAMESYSTEM_CONFIG)).toBeGreaterThan(heartbeatRecordMs(DEFAULT_NAMESYSTEM_CONFIG) + DEFAULT_NAMESYSTEM_CONFIG.heartbeatIntervalMs);
    expect(staleIntervalMs({ heartbeatIntervalMs: 500, heartbeatExpiryMs: 600_000, staleDatanodeIntervalMs: 1000 })).toBe(5000 + 1500);
    expect(staleIntervalMs({ heartbeatIntervalMs: 500, heartbeatExpiryMs: 600_000, staleDatanodeIntervalMs: 20_000 })).toBe(20_000);
  });
});

describe('dfs.namenode.avoid.read.stale.datanode: staleLast', () => {
  const block = { inodeId: 7, index: 0, blockId: 1, genStamp: 1, numBytes: 10, state: BlockState.Complete };
  const lb = (...cs: Candidate[]): LocatedBlock => ({ block, offset: 0, locations: cs.map(({ storageRemaining: _, ...l }) => l), corrupt: false });
  const names = (l: LocatedBlock | undefined) => (l?.locations ?? []).map((x) => x.datanode.uuid);

  test('stale locations go after the fresh ones, each group in its order; the last block too', () => {
    const last = lb(stale('dn1'), fresh('dn2'), stale('dn3'), fresh('dn4'));
    const input: LocatedBlocks = { fileLength: 20, blocks: [lb(fresh('dn5')), last], underConstruction: false, lastBlock: last, isLastBlockComplete: true };
    const out = staleLast(input, STALE_AT);
    expect(names(out.blocks[1])).toEqual(['dn2', 'dn4', 'dn1', 'dn3']);
    expect(names(out.lastBlock)).toEqual(['dn2', 'dn4', 'dn1', 'dn3']);
    expect(out.blocks[0]).toBe(input.blocks[0]);
  });
});
