import { hadoop } from '../../protocol/generated/hadoop';
import { IpcClient } from '../../protocol/ipc/client';
import { DATANODE_PROTOCOL } from '../../protocol/ipc/wire-constants';
import { membershipUser } from '../../protocol/security/membership-proof';
import { encodeBlockBuffer, type SimBlock } from './block-list-buffer';

const D = hadoop.hdfs.datanode;
const H = hadoop.hdfs;
const CAPACITY = 4 * 2 ** 40;
const CALL = { timeoutMs: 600_000 };

/**
 * One emulated datanode, as NNThroughputBenchmark's TinyDatanode: a real
 * DatanodeProtocol connection (authenticated with the fleet's membership
 * secret, as a datanode process does) and nothing behind it — no store, no
 * data port. It registers, heartbeats, and reports the blocks it is told it
 * holds.
 */
export class SimDatanode {
  readonly uuid: string;
  readonly storageUuid: string;
  readonly #client: IpcClient;
  readonly #xferPort: number;
  #registration: hadoop.hdfs.datanode.IDatanodeRegistrationProto | undefined;
  #poolId = '';

  private constructor(client: IpcClient, uuid: string, xferPort: number) {
    this.#client = client;
    this.uuid = uuid;
    this.storageUuid = `DS-${uuid}`;
    this.#xferPort = xferPort;
  }

  static async connect(address: string, secret: Buffer, uuid: string, xferPort: number): Promise<SimDatanode> {
    const at = address.lastIndexOf(':');
    const host = address.slice(0, at).replace(/^\[|\]$/g, '');
    const client = await IpcClient.connect({ host, port: Number(address.slice(at + 1)), user: membershipUser(secret, uuid), protocolName: DATANODE_PROTOCOL });
    return new SimDatanode(client, uuid, xferPort);
  }

  /** versionRequest, then registerDatanode. */
  async register(): Promise<void> {
    const { info } = await this.#client.call('versionRequest', H.VersionRequestProto, {}, H.VersionResponseProto, CALL);
    const registration: hadoop.hdfs.datanode.IDatanodeRegistrationProto = {
      datanodeID: { ipAddr: '127.0.0.1', hostName: `dnsim-${this.#xferPort}`, datanodeUuid: this.uuid, xferPort: this.#xferPort, infoPort: 0, ipcPort: 0 },
      storageInfo: { layoutVersion: -57 >>> 0, namespceID: info.storageInfo?.namespceID ?? 0, clusterID: info.storageInfo?.clusterID ?? '', cTime: 0 },
      keys: { isBlockTokenEnabled: false, keyUpdateInterval: 0, tokenLifeTime: 0, currentKey: { keyId: 0, expiryDate: 0 }, allKeys: [] },
      softwareVersion: '3.3.6',
    };
    const answer = await this.#client.call('registerDatanode', D.RegisterDatanodeRequestProto, { registration }, D.RegisterDatanodeResponseProto, CALL);
    this.#registration = answer.registration;
    this.#poolId = info.blockPoolID;
  }

  /** One heartbeat; answers the commands it brought back. */
  async heartbeat(used: number): Promise<hadoop.hdfs.datanode.IDatanodeCommandProto[]> {
    const report = {
      storageUuid: this.storageUuid,
      failed: false,
      capacity: CAPACITY,
      dfsUsed: used,
      remaining: CAPACITY - used,
      blockPoolUsed: used,
      nonDfsUsed: 0,
      storage: this.#storage(),
    };
    const res = await this.#client.call(
      'sendHeartbeat',
      D.HeartbeatRequestProto,
      { registration: this.#registered(), reports: [report], xmitsInProgress: 0, xceiverCount: 0, failedVolumes: 0 },
      D.HeartbeatResponseProto,
      CALL,
    );
    return res.cmds;
  }

  /** blockReceivedAndDeleted: these copies arrived (RECEIVED), or are gone (DELETED). */
  async incremental(blocks: readonly SimBlock[], status: 'received' | 'deleted'): Promise<void> {
    const S = D.ReceivedDeletedBlockInfoProto.BlockStatus;
    await this.#client.call(
      'blockReceivedAndDeleted',
      D.BlockReceivedAndDeletedRequestProto,
      {
        registration: this.#registered(),
        blockPoolId: this.#poolId,
        blocks: [
          {
            storageUuid: this.storageUuid,
            storage: this.#storage(),
            blocks: blocks.map((b) => ({ block: { blockId: b.blockId, genStamp: b.genStamp, numBytes: b.numBytes }, status: status === 'received' ? S.RECEIVED : S.DELETED })),
          },
        ],
      },
      D.BlockReceivedAndDeletedResponseProto,
      CALL,
    );
  }

  /** A full block report of one storage holding exactly `blocks`, finalized. */
  async fullReport(blocks: readonly SimBlock[]): Promise<void> {
    await this.#client.call(
      'blockReport',
      D.BlockReportRequestProto,
      {
        registration: this.#registered(),
        blockPoolId: this.#poolId,
        reports: [{ storage: this.#storage(), blocks: [], numberOfBlocks: blocks.length, blocksBuffers: [encodeBlockBuffer(blocks)] }],
        context: { totalRpcs: 1, curRpc: 0, id: 1, leaseId: 0, sorted: false },
      },
      D.BlockReportResponseProto,
      CALL,
    );
  }

  close(): Promise<void> {
    return this.#client.close();
  }

  #storage(): hadoop.hdfs.IDatanodeStorageProto {
    return { storageUuid: this.storageUuid, state: H.DatanodeStorageProto.StorageState.NORMAL, storageType: H.StorageTypeProto.DISK };
  }

  #registered(): hadoop.hdfs.datanode.IDatanodeRegistrationProto {
    if (!this.#registration) throw new Error(`simulated datanode ${this.uuid} is not registered`);
    return this.#registration;
  }
}
