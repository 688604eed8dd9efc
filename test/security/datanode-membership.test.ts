import { randomBytes, randomUUID } from 'node:crypto';
import { hadoop } from '../../protocol/generated/hadoop';
import { IpcClient } from '../../protocol/ipc/client';
import { ExceptionClass } from '../../protocol/ipc/exception-classes';
import { RemoteError } from '../../protocol/ipc/ipc-errors';
import { CLIENT_PROTOCOL, DATANODE_PROTOCOL } from '../../protocol/ipc/wire-constants';
import { membershipUser } from '../../protocol/security/membership-proof';
import { namenodeFixture, type NamenodeFixture } from '../harness/namenode-fixture';
import { NamenodeClient, RpcCounter } from '../../protocol/client/namenode-client';

const D = hadoop.hdfs.datanode;
let nn: NamenodeFixture;
const clients: IpcClient[] = [];

beforeAll(async () => {
  nn = await namenodeFixture('dn_membership', { heartbeatIntervalMs: 500 });
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
  await nn?.close();
});

async function connect(user: string, protocolName = DATANODE_PROTOCOL, localAddress?: string): Promise<IpcClient> {
  const c = await IpcClient.connect({ host: '127.0.0.1', port: nn.namenode.rpcPort, user, protocolName, ...(localAddress ? { localAddress } : {}) });
  clients.push(c);
  return c;
}

const asDatanode = (uuid: string, secret = nn.db.membershipSecret, localAddress?: string) => connect(membershipUser(secret, uuid), DATANODE_PROTOCOL, localAddress);

function registration(uuid: string, ipAddr: string): hadoop.hdfs.datanode.IDatanodeRegistrationProto {
  return {
    datanodeID: { ipAddr, hostName: 'dn', datanodeUuid: uuid, xferPort: 50010, infoPort: 0, ipcPort: 0 },
    storageInfo: { layoutVersion: 0, namespceID: 0, clusterID: '', cTime: 0 },
    keys: { isBlockTokenEnabled: false, keyUpdateInterval: 0, tokenLifeTime: 0, currentKey: { keyId: 0, expiryDate: 0 }, allKeys: [] },
    softwareVersion: '3.3.6',
  };
}

const register = (c: IpcClient, uuid: string, ipAddr = '10.66.66.66') =>
  c.call('registerDatanode', D.RegisterDatanodeRequestProto, { registration: registration(uuid, ipAddr) }, D.RegisterDatanodeResponseProto);

const heartbeat = (c: IpcClient, uuid: string) =>
  c.call(
    'sendHeartbeat',
    D.HeartbeatRequestProto,
    { registration: registration(uuid, '10.66.66.66'), reports: [], xmitsInProgress: 0, xceiverCount: 0, failedVolumes: 0 },
    D.HeartbeatResponseProto,
  );

/** The attack list claims 1e12 blocks: refused before anything decodes it. */
const HOSTILE_BLOCKS = [1e12, 0];

const blockReport = async (c: IpcClient, uuid: string, blocks: number[] = HOSTILE_BLOCKS) =>
  c.call(
    'blockReport',
    D.BlockReportRequestProto,
    {
      registration: registration(uuid, '10.66.66.66'),
      blockPoolId: (await nn.namenode.namesystem.namespace()).blockPoolId,
      reports: [{ storage: { storageUuid: `DS-${uuid}` }, blocks }],
    },
    D.BlockReportResponseProto,
  );

const reportBadBlocks = (c: IpcClient, uuid: string) =>
  c.call(
    'reportBadBlocks',
    hadoop.hdfs.ReportBadBlocksRequestProto,
    { blocks: [{ b: { poolId: 'x', blockId: 1, generationStamp: 1 }, offset: 0, locs: [{ id: registration(uuid, '1.2.3.4').datanodeID }], corrupt: true, blockToken: { identifier: new Uint8Array(0), password: new Uint8Array(0), kind: '', service: '' } }] },
    hadoop.hdfs.ReportBadBlocksResponseProto,
  );

async function refusedWith(p: Promise<unknown>, className: string): Promise<void> {
  const err = await p.then(
    () => new Error('expected a refusal, but the call succeeded'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RemoteError);
  expect((err as RemoteError).className).toBe(className);
}

async function reportedAddress(uuid: string): Promise<string | undefined> {
  return (await nn.namenode.namesystem.getDatanodeReport('all')).find((d) => d.uuid === uuid)?.ipAddr;
}

describe('datanode membership', () => {
  test('an impostor without the key cannot register, heartbeat, report or take commands', async () => {
    const victim = randomUUID();
    const legit = await asDatanode(victim);
    await register(legit, victim);
    for (const user of ['mallory', membershipUser(randomBytes(32), victim)]) {
      const impostor = await connect(user);
      await refusedWith(impostor.call('versionRequest', hadoop.hdfs.VersionRequestProto, {}, hadoop.hdfs.VersionResponseProto), ExceptionClass.AccessControl);
      await refusedWith(register(impostor, victim, '6.6.6.6'), ExceptionClass.AccessControl);
      await refusedWith(heartbeat(impostor, victim), ExceptionClass.AccessControl);
      await refusedWith(blockReport(impostor, victim), ExceptionClass.AccessControl);
      await refusedWith(reportBadBlocks(impostor, victim), ExceptionClass.AccessControl);
    }
    // The victim's registration is untouched and it keeps working on its own connection.
    expect(await reportedAddress(victim)).toBe('127.0.0.1');
    expect((await heartbeat(legit, victim)).cmds.map((c) => c.cmdType)).not.toContain(D.DatanodeCommandProto.Type.RegisterCommand);
  });

  test("a proof is good for one connection: replaying it on another is refused", async () => {
    const uuid = randomUUID();
    const user = membershipUser(nn.db.membershipSecret, uuid);
    await register(await connect(user), uuid);
    await refusedWith(register(await connect(user), uuid), ExceptionClass.AccessControl);
  });

  test("an authenticated datanode cannot act for another datanode's uuid", async () => {
    const a = randomUUID();
    const b = randomUUID();
    await register(await asDatanode(a), a);
    const other = await asDatanode(b);
    await register(other, b);
    await refusedWith(register(other, a, '6.6.6.6'), ExceptionClass.AccessControl);
    await refusedWith(heartbeat(other, a), ExceptionClass.AccessControl);
    await refusedWith(blockReport(other, a), ExceptionClass.AccessControl);
    await refusedWith(reportBadBlocks(other, a), ExceptionClass.AccessControl);
    expect(await reportedAddress(a)).toBe('127.0.0.1');
  });

  test('an unregistered (authenticated) datanode is told to register', async () => {
    const uuid = randomUUID();
    const c = await asDatanode(uuid);
    await refusedWith(blockReport(c, uuid, []), ExceptionClass.UnregisteredNode);
    await refusedWith(reportBadBlocks(c, uuid), ExceptionClass.UnregisteredNode);
  });

  test('a datanode re-registering gets its address from the connection, not from the message', async () => {
    const uuid = randomUUID();
    const first = await register(await asDatanode(uuid), uuid, '10.1.1.1');
    expect(first.registration.datanodeID.ipAddr).toBe('127.0.0.1');
    const again = await register(await asDatanode(uuid), uuid, '10.2.2.2');
    expect(again.registration.datanodeID.ipAddr).toBe('127.0.0.1');
    expect(await reportedAddress(uuid)).toBe('127.0.0.1');
    // The registration answer carries the block keys the datanode verifies tokens with.
    expect(again.registration.keys.isBlockTokenEnabled).toBe(true);
    expect(again.registration.keys.allKeys?.length ?? 0).toBeGreaterThan(0);
  });

  test('a datanode re-registering from another host address is reported, and handed to clients, at that address', async () => {
    const uuid = randomUUID();
    const storageUuid = `DS-${uuid}`;
    expect((await register(await asDatanode(uuid, nn.db.membershipSecret, '127.0.0.1'), uuid, '10.1.1.1')).registration.datanodeID.ipAddr).toBe('127.0.0.1');
    expect(await reportedAddress(uuid)).toBe('127.0.0.1');

    const moved = await asDatanode(uuid, nn.db.membershipSecret, '127.0.0.2');
    const again = await register(moved, uuid, '10.9.8.7');
    expect(again.registration.datanodeID.ipAddr).toBe('127.0.0.2');
    const admin = await connect(nn.superuser, CLIENT_PROTOCOL);
    const report = await admin.call('getDatanodeReport', hadoop.hdfs.GetDatanodeReportRequestProto, { type: hadoop.hdfs.DatanodeReportTypeProto.ALL }, hadoop.hdfs.GetDatanodeReportResponseProto);
    expect(report.di.find((d) => d.id.datanodeUuid === uuid)?.id.ipAddr).toBe('127.0.0.2');

    // The only datanode with space: a writer's addBlock names it, and readers find the replica it reports there.
    const gib = 1 << 30;
    await moved.call(
      'sendHeartbeat',
      D.HeartbeatRequestProto,
      {
        registration: again.registration,
        reports: [{ storageUuid, storage: { storageUuid }, capacity: gib, remaining: gib, dfsUsed: 0, blockPoolUsed: 0 }],
        xmitsInProgress: 0,
        xceiverCount: 0,
        failedVolumes: 0,
      },
      D.HeartbeatResponseProto,
    );
    const writer = new NamenodeClient(admin, nn.address, 'DFSClient_moved', new RpcCounter());
    await writer.create('/moved', { replication: 1, blockSize: 1 << 20 });
    const located = await writer.addBlock('/moved', undefined);
    expect((located.locs ?? []).map((l) => [l.id.datanodeUuid, l.id.ipAddr])).toEqual([[uuid, '127.0.0.2']]);
    const blockPoolId = (await nn.namenode.namesystem.namespace()).blockPoolId;
    const block = { ...located.b, numBytes: 100 };
    await moved.call(
      'blockReceivedAndDeleted',
      D.BlockReceivedAndDeletedRequestProto,
      {
        registration: again.registration,
        blockPoolId,
        blocks: [{ storageUuid, storage: { storageUuid }, blocks: [{ block: { blockId: block.blockId, genStamp: block.generationStamp, numBytes: 100 }, status: D.ReceivedDeletedBlockInfoProto.BlockStatus.RECEIVED }] }],
      },
      D.BlockReceivedAndDeletedResponseProto,
    );
    expect(await writer.complete('/moved', block)).toBe(true);
    const read = await writer.getBlockLocations('/moved', 0, 100);
    expect((read?.blocks ?? []).map((b) => (b.locs ?? []).map((l) => [l.id.datanodeUuid, l.id.ipAddr]))).toEqual([[[uuid, '127.0.0.2']]]);
  });

  test('getDatanodeReport is for the superuser only', async () => {
    const request = { type: hadoop.hdfs.DatanodeReportTypeProto.ALL };
    const report = (c: IpcClient) => c.call('getDatanodeReport', hadoop.hdfs.GetDatanodeReportRequestProto, request, hadoop.hdfs.GetDatanodeReportResponseProto);
    await refusedWith(report(await connect('bob', CLIENT_PROTOCOL)), ExceptionClass.AccessControl);
    expect((await report(await connect(nn.superuser, CLIENT_PROTOCOL))).di.length).toBeGreaterThan(0);
  });
});
