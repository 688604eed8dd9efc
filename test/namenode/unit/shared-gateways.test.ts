import { SHARED_GATEWAYS, withSharedGateways } from '../../../namenode/blocks/shared-gateways';
import { BlockState, type Block, type LocatedBlock, type LocatedBlocks, type Location } from '../../../namenode/domain/located-blocks';
import { StorageType } from '../../../namenode/domain/storage';
import { datanode, location } from '../../fakes/row-fixtures';

const shared = (uuid: string): Location => ({ ...location(datanode(uuid)), storageType: StorageType.Provided });
const disk = (uuid: string): Location => location(datanode(uuid));
const block = (blockId: number, state = BlockState.Complete): Block => ({ inodeId: 7, index: 0, blockId, genStamp: 1, numBytes: 10, state });
const lb = (b: Block, locations: Location[], corrupt = false): LocatedBlock => ({ block: b, offset: 0, locations, corrupt });
const lbs = (...blocks: LocatedBlock[]): LocatedBlocks => ({ fileLength: 10, blocks, underConstruction: false, lastBlock: blocks[blocks.length - 1], isLastBlockComplete: true });
const uuids = (l: LocatedBlock | undefined) => (l?.locations ?? []).map((x) => x.datanode.uuid);

const live = [shared('gw1'), shared('gw2'), shared('gw3'), shared('gw4'), disk('d1')];

describe('withSharedGateways: any live gateway serves a block on shared storage', () => {
  test('a block on shared storage gets other live gateways after its own copy, never a disk node, at most SHARED_GATEWAYS', () => {
    const out = withSharedGateways(lbs(lb(block(1), [shared('gw1')])), live);
    const got = uuids(out.blocks[0]);
    expect(got[0]).toBe('gw1');
    expect(got).toHaveLength(SHARED_GATEWAYS);
    expect(new Set(got).size).toBe(got.length);
    expect(got).not.toContain('d1');
    expect(uuids(out.lastBlock)).toHaveLength(SHARED_GATEWAYS);
  });

  test('a complete block with no live copy (its gateway died) is offered through live gateways', () => {
    expect(uuids(withSharedGateways(lbs(lb(block(1), [])), live).blocks[0])).toHaveLength(SHARED_GATEWAYS);
  });

  test('disk blocks, blocks being written and corrupt ones are left alone; no gateways, no change', () => {
    const input = lbs(lb(block(1), [disk('d1')]), lb(block(2, BlockState.UnderConstruction), [shared('gw1')]), lb(block(3), [disk('d2')], true));
    const out = withSharedGateways(input, live);
    expect(out.blocks.map(uuids)).toEqual([['d1'], ['gw1'], ['d2']]);
    const alone = lbs(lb(block(1), []));
    expect(withSharedGateways(alone, [disk('d1')])).toBe(alone);
  });
});
