import { CLIENT_PROTOCOL_METHODS } from '../../protocol/ipc/client-protocol-methods';
import type { RpcHandler } from '../../protocol/ipc/rpc-handler';
import { NamesystemError } from '../errors';

const ERASURE_CODING = 'erasure coding is not implemented: every file is replicated';
const CACHING = 'centralized cache management is not implemented: datanodes cache no blocks';
const ENCRYPTION = 'encryption zones are not implemented: no file is encrypted';
const NO_EDIT_LOG = 'the namespace lives in the metadata database: there is no fsimage or edit log';
const TOKENS = 'the namenode authenticates callers with SIMPLE authentication and issues no delegation tokens';

/** Why a family of ClientProtocol methods is left out, for the message a client sees. */
const REASONS: Readonly<Record<string, string>> = {
  setErasureCodingPolicy: ERASURE_CODING,
  unsetErasureCodingPolicy: ERASURE_CODING,
  getErasureCodingPolicies: ERASURE_CODING,
  addErasureCodingPolicies: ERASURE_CODING,
  removeErasureCodingPolicy: ERASURE_CODING,
  enableErasureCodingPolicy: ERASURE_CODING,
  disableErasureCodingPolicy: ERASURE_CODING,
  getErasureCodingPolicy: ERASURE_CODING,
  getErasureCodingCodecs: ERASURE_CODING,
  getECTopologyResultForPolicies: ERASURE_CODING,
  addCacheDirective: CACHING,
  modifyCacheDirective: CACHING,
  removeCacheDirective: CACHING,
  listCacheDirectives: CACHING,
  addCachePool: CACHING,
  modifyCachePool: CACHING,
  removeCachePool: CACHING,
  listCachePools: CACHING,
  createEncryptionZone: ENCRYPTION,
  reencryptEncryptionZone: ENCRYPTION,
  listReencryptionStatus: ENCRYPTION,
  saveNamespace: NO_EDIT_LOG,
  rollEdits: NO_EDIT_LOG,
  restoreFailedStorage: NO_EDIT_LOG,
  finalizeUpgrade: NO_EDIT_LOG,
  upgradeStatus: NO_EDIT_LOG,
  rollingUpgrade: NO_EDIT_LOG,
  renewDelegationToken: TOKENS,
  cancelDelegationToken: TOKENS,
  metaSave: 'there is no in-memory block map to dump: `nnfleet fsck` checks the namespace and its blocks',
  listCorruptFileBlocks: 'use fsck (`hdfs fsck /`), which reads the block rows',
  setBalancerBandwidth: 'the balancer is not implemented',
  satisfyStoragePolicy: 'the storage policy satisfier is not implemented: every datanode storage is DISK',
};

const unsupported =
  (method: string, reasons: Readonly<Record<string, string>>): RpcHandler =>
  async () => {
    throw new NamesystemError('Unsupported', `${method} is not supported by nnfleet: ${reasons[method] ?? 'not implemented'}`);
  };

/**
 * The handlers of a ClientProtocol server (or of another protocol, given
 * its `methods` and `reasons`), completed so that every method of the
 * protocol that nnfleet does not serve answers
 * java.lang.UnsupportedOperationException with the reason, rather than
 * RpcNoSuchMethodException (which tells a client the server is not a
 * namenode at all). A name outside the protocol still gets
 * RpcNoSuchMethodException. Served methods override the answer.
 */
export function withUnsupportedMethods(
  served: Readonly<Record<string, RpcHandler>>,
  methods: readonly string[] = CLIENT_PROTOCOL_METHODS,
  reasons: Readonly<Record<string, string>> = REASONS,
): Record<string, RpcHandler> {
  const all: Record<string, RpcHandler> = {};
  for (const method of methods) all[method] = unsupported(method, reasons);
  return { ...all, ...served };
}
