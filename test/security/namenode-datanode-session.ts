import { randomUUID } from 'node:crypto';
import { hadoop } from '../../protocol/generated/hadoop';
import { IpcClient } from '../../protocol/ipc/client';
import { membershipUser } from '../../protocol/security/membership-proof';
import { DATANODE_PROTOCOL } from '../../protocol/ipc/wire-constants';

const D = hadoop.hdfs.datanode;

export interface DatanodeSession {
  readonly client: IpcClient;
  readonly registration: hadoop.hdfs.datanode.IDatanodeRegistrationProto;
  readonly blockPoolId: string;
  close(): Promise<void>;
}

/**
 * A DatanodeProtocol connection made the way a registered datanode makes
 * it (the membership proof made with the fleet's secret, versionRequest,
 * registerDatanode), for tests that send hostile reports as a member gone bad.
 */
export async function registeredDatanode(port: number, membershipSecret: Buffer): Promise<DatanodeSession> {
  const uuid = randomUUID();
  const client = await IpcClient.connect({ host: '127.0.0.1', port, user: membershipUser(membershipSecret, uuid), protocolName: DATANODE_PROTOCOL });
  const version = await client.call('versionRequest', hadoop.hdfs.VersionRequestProto, {}, hadoop.hdfs.VersionResponseProto);
  const storage = version.info.storageInfo;
  const answer = await client.call(
    'registerDatanode',
    D.RegisterDatanodeRequestProto,
    {
      registration: {
        datanodeID: { ipAddr: '127.0.0.1', hostName: 'hostile', datanodeUuid: uuid, xferPort: 1, infoPort: 1, ipcPort: 1 },
        storageInfo: { layoutVersion: -57 >>> 0, namespceID: storage?.namespceID ?? 0, clusterID: storage?.clusterID ?? '', cTime: storage?.cTime ?? 0 },
        keys: { isBlockTokenEnabled: false, keyUpdateInterval: 0, tokenLifeTime: 0, currentKey: { keyId: 0, expiryDate: 0 }, allKeys: [] },
        softwareVersion: '3.3.6',
      },
    },
    D.RegisterDatanodeResponseProto,
  );
  return { client, registration: answer.registration, blockPoolId: version.info.blockPoolID, close: () => client.close() };
}
