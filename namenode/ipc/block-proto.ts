import { hadoop } from '../../protocol/generated/hadoop';
import type { DatanodeInfo } from '../domain/datanode-info';
import type { BlockRef, LocatedBlock, LocatedBlocks, Location } from '../domain/located-blocks';
import { int64ToNumber } from '../../protocol/long-values';
import { EMPTY_TOKEN, type TokenSigner } from './block-tokens';

type DatanodeInfoProto = hadoop.hdfs.DatanodeInfoProto.$Properties;
type LocatedBlockProto = hadoop.hdfs.LocatedBlockProto.$Properties;


const ADMIN_STATE = [0, 1, 2, 0] as const;

export function datanodeInfoProto(d: DatanodeInfo): DatanodeInfoProto {
  return {
    id: { ipAddr: d.ipAddr, hostName: d.hostName, datanodeUuid: d.uuid, xferPort: d.xferPort, infoPort: d.infoPort, ipcPort: d.ipcPort },
    capacity: d.capacity,
    dfsUsed: d.dfsUsed,
    remaining: d.remaining,
    blockPoolUsed: d.blockPoolUsed,
    nonDfsUsed: d.nonDfsUsed,
    lastUpdate: d.lastHeartbeat,
    xceiverCount: d.xceiverCount,
    location: '/default-rack',
    adminState: ADMIN_STATE[d.state as 0 | 1 | 2 | 3] ?? 0,
  };
}

export function locatedBlockProto(lb: LocatedBlock, poolId: string, sign?: TokenSigner): LocatedBlockProto {
  return {
    b: { poolId, blockId: lb.block.blockId, generationStamp: lb.block.genStamp, numBytes: lb.block.numBytes },
    offset: Math.max(lb.offset, 0),
    locs: lb.locations.map((l) => datanodeInfoProto(l.datanode)),
    corrupt: lb.corrupt,
    blockToken: sign ? sign(lb.block.blockId) : EMPTY_TOKEN,
    isCached: lb.locations.map(() => false),
    storageTypes: lb.locations.map((l) => l.storageType as hadoop.hdfs.StorageTypeProto),
    storageIDs: lb.locations.map((l: Location) => l.storageId),
  };
}

export function locatedBlocksProto(lbs: LocatedBlocks, poolId: string, sign?: TokenSigner): hadoop.hdfs.LocatedBlocksProto.$Properties {
  return {
    fileLength: lbs.fileLength,
    blocks: lbs.blocks.map((b) => locatedBlockProto(b, poolId, sign)),
    underConstruction: lbs.underConstruction,
    lastBlock: lbs.lastBlock ? locatedBlockProto(lbs.lastBlock, poolId, sign) : null,
    isLastBlockComplete: lbs.isLastBlockComplete,
  };
}

export function clientBlock(b: hadoop.hdfs.ExtendedBlockProto.$Properties): BlockRef {
  return { blockId: int64ToNumber(b.blockId), genStamp: int64ToNumber(b.generationStamp), numBytes: int64ToNumber(b.numBytes ?? 0) };
}
