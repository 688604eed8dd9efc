import { hadoop } from '../../protocol/generated/hadoop';
import { IpcClient } from '../../protocol/ipc/client';
import { NAMENODE_PROTOCOL_METHODS, REFRESH_USER_MAPPINGS_METHODS } from '../../protocol/ipc/client-protocol-methods';
import { NAMENODE_PROTOCOL, REFRESH_USER_MAPPINGS_PROTOCOL } from '../../protocol/ipc/wire-constants';
import { int64ToNumber } from '../../protocol/long-values';
import type { RunningNamenode } from '../../namenode/namenode-process';
import { namenodeFixture, type NamenodeFixture } from '../harness/namenode-fixture';

const H = hadoop.hdfs;
const N = hadoop.hdfs.namenode;
const C = hadoop.common;
const UNSUPPORTED = 'java.lang.UnsupportedOperationException';
const ACCESS_DENIED = 'org.apache.hadoop.security.AccessControlException';
const NO_SUCH_METHOD = 'org.apache.hadoop.ipc.RpcNoSuchMethodException';

let f: NamenodeFixture;
let second: RunningNamenode;
const clients: IpcClient[] = [];

const connect = async (port: number, user: string, protocolName = NAMENODE_PROTOCOL): Promise<IpcClient> => {
  const c = await IpcClient.connect({ host: '127.0.0.1', port, user, protocolName });
  clients.push(c);
  return c;
};
const versionRequest = async (c: IpcClient) => (await c.call('versionRequest', H.VersionRequestProto, {}, H.VersionResponseProto)).info;

beforeAll(async () => {
  f = await namenodeFixture('nn_protocol');
  second = await f.another();
}, 60_000);
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await f?.close();
});

describe('NamenodeProtocol', () => {
  test('versionRequest answers any caller with the fleet\'s NamespaceInfo as HDFS fills it, the same from every namenode', async () => {
    const id = await f.namenode.namesystem.namespace();
    const infos = [await versionRequest(await connect(f.namenode.rpcPort, 'nobody')), await versionRequest(await connect(second.rpcPort, f.superuser))];
    for (const info of infos) {
      expect(info.blockPoolID).toBe(id.blockPoolId);
      expect(info.blockPoolID).toMatch(/^BP-/);
      expect(info.storageInfo.namespceID).toBe(id.namespaceId);
      expect(info.storageInfo.clusterID).toBe(id.clusterId);
      // A signed int32 sent as uint32, as Hadoop's PBHelper does: NameNodeLayoutVersion -66.
      expect(info.storageInfo.layoutVersion | 0).toBe(-66);
      expect(int64ToNumber(info.storageInfo.cTime)).toBe(0);
      expect(info.softwareVersion).toMatch(/^3\.\d+\.\d+$/);
      expect(info.buildVersion).toBeTruthy();
      expect(int64ToNumber(info.capabilities ?? 0)).toBe(0);
      expect(info.state).toBe(H.NNHAStatusHeartbeatProto.State.ACTIVE);
    }
  });

  test('isUpgradeFinalized and isRollingUpgrade are the superuser\'s (checkSuperuserPrivilege); a fleet is finalized and never rolling', async () => {
    const alice = await connect(f.namenode.rpcPort, 'alice');
    const su = await connect(f.namenode.rpcPort, f.superuser);
    await expect(alice.call('isUpgradeFinalized', N.IsUpgradeFinalizedRequestProto, {}, N.IsUpgradeFinalizedResponseProto)).rejects.toMatchObject({
      className: ACCESS_DENIED,
      message: expect.stringContaining('Superuser privilege is required'),
    });
    await expect(alice.call('isRollingUpgrade', N.IsRollingUpgradeRequestProto, {}, N.IsRollingUpgradeResponseProto)).rejects.toMatchObject({ className: ACCESS_DENIED });
    expect((await su.call('isUpgradeFinalized', N.IsUpgradeFinalizedRequestProto, {}, N.IsUpgradeFinalizedResponseProto)).isUpgradeFinalized).toBe(true);
    expect((await su.call('isRollingUpgrade', N.IsRollingUpgradeRequestProto, {}, N.IsRollingUpgradeResponseProto)).isRollingUpgrade).toBe(false);
  });

  test('the other methods answer UnsupportedOperationException with the reason, the superuser included: block keys never leave by this door', async () => {
    const su = await connect(f.namenode.rpcPort, f.superuser);
    await expect(su.call('getBlockKeys', N.GetBlockKeysRequestProto, {}, N.GetBlockKeysResponseProto)).rejects.toMatchObject({
      className: UNSUPPORTED,
      message: expect.stringMatching(/^getBlockKeys is not supported by nnfleet: .*DatanodeProtocol/),
    });
    await expect(su.call('rollEditLog', N.RollEditLogRequestProto, {}, N.RollEditLogResponseProto)).rejects.toMatchObject({
      className: UNSUPPORTED,
      message: expect.stringContaining('no edit log'),
    });
    await expect(su.call('getBlocks', N.GetBlocksRequestProto, { datanode: { ipAddr: '127.0.0.1', hostName: 'h', datanodeUuid: 'u', xferPort: 1, infoPort: 2, ipcPort: 3 }, size: 1 }, N.GetBlocksResponseProto)).rejects.toMatchObject({
      className: UNSUPPORTED,
      message: expect.stringContaining('balancer'),
    });
    await expect(su.callRaw('noSuchMethod', new Uint8Array(0))).rejects.toMatchObject({ className: NO_SUCH_METHOD });
    // Hadoop 3.4's whole service is known: no method answers RpcNoSuchMethodException.
    expect(NAMENODE_PROTOCOL_METHODS).toHaveLength(14);
    for (const method of NAMENODE_PROTOCOL_METHODS) {
      const err = await su.callRaw(method, new Uint8Array(0)).then(
        () => undefined,
        (e: { className?: string }) => e,
      );
      expect({ method, className: err?.className }).not.toEqual({ method, className: NO_SUCH_METHOD });
    }
    expect((await versionRequest(su)).blockPoolID).toMatch(/^BP-/);
  });
});

describe('RefreshUserMappingsProtocol', () => {
  test('refreshUserToGroupsMappings is the superuser\'s; refreshSuperUserGroupsConfiguration answers why it cannot', async () => {
    expect(REFRESH_USER_MAPPINGS_METHODS).toEqual(['refreshUserToGroupsMappings', 'refreshSuperUserGroupsConfiguration']);
    const bob = await connect(f.namenode.rpcPort, 'bob', REFRESH_USER_MAPPINGS_PROTOCOL);
    const su = await connect(f.namenode.rpcPort, f.superuser, REFRESH_USER_MAPPINGS_PROTOCOL);
    const refresh = (c: IpcClient) => c.call('refreshUserToGroupsMappings', C.RefreshUserToGroupsMappingsRequestProto, {}, C.RefreshUserToGroupsMappingsResponseProto);
    await expect(refresh(bob)).rejects.toMatchObject({ className: ACCESS_DENIED, message: expect.stringContaining('Superuser privilege is required') });
    await expect(refresh(su)).resolves.toEqual({});
    await expect(
      su.call('refreshSuperUserGroupsConfiguration', C.RefreshSuperUserGroupsConfigurationRequestProto, {}, C.RefreshSuperUserGroupsConfigurationResponseProto),
    ).rejects.toMatchObject({ className: UNSUPPORTED, message: expect.stringContaining('restart') });
  });
});
