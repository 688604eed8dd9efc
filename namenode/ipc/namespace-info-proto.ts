import { hadoop } from '../../protocol/generated/hadoop';
import type { Namesystem } from '../namesystem';

/** NameNode layout version of Hadoop 3.3/3.4 (NameNodeLayoutVersion.CURRENT_LAYOUT_VERSION, -66), as uint32. */
const LAYOUT_VERSION = 2 ** 32 - 66;
/** The Hadoop release whose wire behaviour nnfleet follows (VersionInfo.getVersion on a NameNode). */
const SOFTWARE_VERSION = '3.3.6';
/** Where HDFS puts its build's source revision (VersionInfo.getRevision). */
const BUILD_VERSION = 'nnfleet';

/**
 * FSNamesystem.getNamespaceInfo as the versionRequest of DatanodeProtocol
 * and NamenodeProtocol answer it: one namespace and block pool for the whole
 * fleet, from its row. cTime is 0 as on a never-upgraded HDFS. Capabilities
 * stay 0 (HDFS advertises STORAGE_BLOCK_REPORT_BUFFERS = 2) so datanodes keep
 * sending the long-list report format; both are decoded. Every namenode of
 * the fleet is active.
 */
export async function namespaceInfoProto(ns: Namesystem): Promise<hadoop.hdfs.INamespaceInfoProto> {
  const id = await ns.namespace();
  return {
    buildVersion: BUILD_VERSION,
    unused: 0,
    blockPoolID: id.blockPoolId,
    storageInfo: { layoutVersion: LAYOUT_VERSION, namespceID: id.namespaceId, clusterID: id.clusterId, cTime: 0 },
    softwareVersion: SOFTWARE_VERSION,
    capabilities: 0,
    state: hadoop.hdfs.NNHAStatusHeartbeatProto.State.ACTIVE,
  };
}
