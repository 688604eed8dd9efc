import { hadoop } from '../../protocol/generated/hadoop';
import type { DatanodeIdentity } from '../identity';
import type { BlockStore } from '../store/block-store';

/** Hadoop 3.x datanodes register with this layout version (DataNodeLayoutVersion). */
const DATANODE_LAYOUT_VERSION = -57;
export const SOFTWARE_VERSION = '3.3.6';

export interface DatanodeAddress {
  readonly host: string;
  readonly hostName: string;
  readonly xferPort: number;
  readonly infoPort: number;
  readonly ipcPort: number;
}

/** DatanodeRegistrationProto for `registerDatanode`, from what `versionRequest` told us. */
export function buildRegistration(
  identity: DatanodeIdentity,
  address: DatanodeAddress,
  namespace: hadoop.hdfs.INamespaceInfoProto,
): hadoop.hdfs.datanode.IDatanodeRegistrationProto {
  const storage = namespace.storageInfo;
  return {
    datanodeID: {
      ipAddr: address.host,
      hostName: address.hostName,
      datanodeUuid: identity.datanodeUuid,
      xferPort: address.xferPort,
      infoPort: address.infoPort,
      ipcPort: address.ipcPort,
    },
    storageInfo: {
      layoutVersion: DATANODE_LAYOUT_VERSION >>> 0,
      namespceID: storage?.namespceID ?? 0,
      clusterID: storage?.clusterID ?? '',
      cTime: storage?.cTime ?? 0,
    },
    // Block tokens are off in nnfleet: an empty key set, as Hadoop sends then.
    keys: { isBlockTokenEnabled: false, keyUpdateInterval: 0, tokenLifeTime: 0, currentKey: { keyId: 0, expiryDate: 0 }, allKeys: [] },
    softwareVersion: SOFTWARE_VERSION,
  };
}

/**
 * The datanode's one storage. A store shared by many datanodes (every one
 * of them can serve every block in it, as with object storage) is reported
 * as PROVIDED, HDFS's storage type for external storage that datanodes
 * share (HDFS-9806): nnfleet's block manager then counts its copy once and
 * does not re-replicate it across datanodes. A local disk is DISK.
 */
export function datanodeStorage(identity: DatanodeIdentity, store: Pick<BlockStore, 'shared'>): hadoop.hdfs.IDatanodeStorageProto {
  return {
    storageUuid: identity.storageUuid,
    state: hadoop.hdfs.DatanodeStorageProto.StorageState.NORMAL,
    storageType: store.shared ? hadoop.hdfs.StorageTypeProto.PROVIDED : hadoop.hdfs.StorageTypeProto.DISK,
  };
}

/** The store's own capacity and usage. */
export async function storageReport(identity: DatanodeIdentity, store: BlockStore): Promise<hadoop.hdfs.IStorageReportProto> {
  const { capacity, remaining, used: dfsUsed } = await store.usage();
  return {
    storageUuid: identity.storageUuid,
    failed: false,
    capacity,
    dfsUsed,
    remaining,
    blockPoolUsed: dfsUsed,
    nonDfsUsed: Math.max(0, capacity - remaining - dfsUsed),
    storage: datanodeStorage(identity, store),
  };
}
