import { hadoop } from '../../protocol/generated/hadoop';
import { protoHandler, type RpcHandler } from '../../protocol/ipc/rpc-handler';
import type { Namesystem } from '../namesystem';
import type { CallerResolver } from '../security/caller-resolver';
import { requireSuperuser } from '../security/superuser';
import { namespaceInfoProto } from './namespace-info-proto';

const H = hadoop.hdfs;
const N = hadoop.hdfs.namenode;

const NO_EDIT_LOG = 'the namespace lives in the metadata database: there is no edit log, checkpoint or subordinate namenode';
const BALANCER = 'the balancer and the mover are not implemented';
/** Why each NamenodeProtocol method nnfleet does not serve is left out (for withUnsupportedMethods). */
export const NAMENODE_PROTOCOL_UNSUPPORTED: Readonly<Record<string, string>> = {
  getBlocks: BALANCER,
  // The keys sign block tokens: datanodes get them over DatanodeProtocol
  // with the fleet's membership secret, never on a claimed user name alone.
  getBlockKeys: `${BALANCER}; block keys reach datanodes only through the authenticated DatanodeProtocol`,
  getTransactionId: NO_EDIT_LOG,
  getMostRecentCheckpointTxId: NO_EDIT_LOG,
  rollEditLog: NO_EDIT_LOG,
  errorReport: NO_EDIT_LOG,
  registerSubordinateNamenode: NO_EDIT_LOG,
  startCheckpoint: NO_EDIT_LOG,
  endCheckpoint: NO_EDIT_LOG,
  getEditLogManifest: NO_EDIT_LOG,
  getNextSPSPath: 'the storage policy satisfier is not implemented: every datanode storage is DISK',
};

/**
 * NamenodeProtocol (org.apache.hadoop.hdfs.server.protocol.NamenodeProtocol),
 * which HDFS serves to its trusted peers: the balancer, a standby, and
 * Hadoop's NNThroughputBenchmark, which reads the block pool id with
 * versionRequest before anything else. As NameNodeRpcServer: versionRequest
 * is open to every caller (the ids it gives are no secret: every block a
 * client locates names the block pool); the upgrade questions are the
 * superuser's (checkSuperuserPrivilege). A fleet has neither upgrade state
 * nor rolling upgrade. The served methods only: completed with
 * withUnsupportedMethods and NAMENODE_PROTOCOL_UNSUPPORTED, every other
 * method answers UnsupportedOperationException.
 */
export function namenodeProtocolHandlers(ns: Namesystem, callers: CallerResolver): Record<string, RpcHandler> {
  return {
    versionRequest: protoHandler(H.VersionRequestProto, H.VersionResponseProto, async () => ({ info: await namespaceInfoProto(ns) })),
    isUpgradeFinalized: protoHandler(N.IsUpgradeFinalizedRequestProto, N.IsUpgradeFinalizedResponseProto, async (ctx) => {
      requireSuperuser(callers.resolve(ctx));
      return { isUpgradeFinalized: true };
    }),
    isRollingUpgrade: protoHandler(N.IsRollingUpgradeRequestProto, N.IsRollingUpgradeResponseProto, async (ctx) => {
      requireSuperuser(callers.resolve(ctx));
      return { isRollingUpgrade: false };
    }),
  };
}
