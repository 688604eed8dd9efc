import type { Candidate } from '../../../namenode/dal/datanode-repository';
import { chooseTargets, type PlacementRequest } from '../../../namenode/blocks/placement';
import { datanode, location } from '../../fakes/row-fixtures';

const MB = 1024 * 1024;
const BLOCK = 128 * MB;

const candidate = (uuid: string, storageId: string, remaining: number): Candidate => ({ ...location(datanode(uuid), storageId), storageRemaining: remaining });

/** mulberry32: a seeded generator, so a placement can be replayed. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const request = (more: Partial<PlacementRequest> = {}): PlacementRequest => ({ count: 3, blockSize: BLOCK, exclude: new Set(), favored: [], random: seeded(1), ...more });
const uuids = (cs: readonly Candidate[]) => cs.map((c) => c.datanode.uuid);

const five = ['dn1', 'dn2', 'dn3', 'dn4', 'dn5'].map((u) => candidate(u, `DS-${u}`, 10 * BLOCK));

test('excluded datanodes are skipped, named by uuid, by ip:port or by host:port', () => {
  const exclude = new Set(['dn1', '10.0.0.2:9866', 'host-dn3:9866']);
  const chosen = chooseTargets(five, request({ exclude, count: 5 }));
  expect(uuids(chosen).sort()).toEqual(['dn4', 'dn5']);
});

test('at most one storage per datanode: the one with the most room', () => {
  const chosen = chooseTargets(
    [candidate('dn1', 'DS-a', 2 * BLOCK), candidate('dn1', 'DS-b', 9 * BLOCK), candidate('dn1', 'DS-c', 5 * BLOCK), candidate('dn2', 'DS-d', 2 * BLOCK)],
    request(),
  );
  expect(chosen).toHaveLength(2);
  expect(chosen.find((c) => c.datanode.uuid === 'dn1')?.storageId).toBe('DS-b');
});

test('a storage without room for a whole block is not a candidate', () => {
  const chosen = chooseTargets([candidate('dn1', 'DS-1', BLOCK - 1), candidate('dn2', 'DS-2', BLOCK), candidate('dn3', 'DS-3', 0)], request());
  expect(uuids(chosen)).toEqual(['dn2']);
});

test('no more targets than asked for', () => {
  expect(chooseTargets(five, request({ count: 2 }))).toHaveLength(2);
  expect(chooseTargets([], request())).toEqual([]);
});

test('favoured nodes come first in the order asked, then the writer\'s own datanode, then the rest', () => {
  for (let seed = 1; seed <= 20; seed++) {
    const chosen = chooseTargets(five, request({ count: 5, favored: ['host-dn4:9866', '10.0.0.2:9866'], writer: '10.0.0.5', random: seeded(seed) }));
    expect(uuids(chosen).slice(0, 3)).toEqual(['dn4', 'dn2', 'dn5']);
    expect(uuids(chosen).slice(3).sort()).toEqual(['dn1', 'dn3']);
  }
});

test('the writer\'s datanode takes the first replica', () => {
  for (let seed = 1; seed <= 20; seed++) expect(uuids(chooseTargets(five, request({ writer: '10.0.0.3', random: seeded(seed) })))[0]).toBe('dn3');
});

test('the rest is shuffled by the random source: one seed replays, other seeds spread', () => {
  const pick = (seed: number) => uuids(chooseTargets(five, request({ count: 5, random: seeded(seed) }))).join(',');
  expect(pick(7)).toBe(pick(7));
  const firsts = new Set(Array.from({ length: 40 }, (_, i) => pick(i + 1).split(',')[0]));
  expect(firsts.size).toBeGreaterThan(2);
});
