import { hadoop } from '../../protocol/generated/hadoop';
import { NamenodeClient, RpcCounter } from '../../protocol/client/namenode-client';
import { IpcClient } from '../../protocol/ipc/client';
import { CLIENT_PROTOCOL } from '../../protocol/ipc/wire-constants';
import { createMysqlConnection } from '../../schema/mysql-config';
import { namenodeFixture, type NamenodeFixture } from '../harness/namenode-fixture';
import { registeredDatanode, type DatanodeSession } from '../security/namenode-datanode-session';

/**
 * DatanodeProtocol.errorReport as NameNodeRpcServer handles it: NOTIFY and
 * DISK_ERROR are logged and change nothing; FATAL_DISK_ERROR removes the
 * datanode at once (DatanodeManager.removeDatanode) — dead without waiting
 * for its heartbeats to expire, its replicas forgotten and its blocks
 * queued for re-replication. A datanode reports only for itself.
 */
const D = hadoop.hdfs.datanode;
const Code = D.ErrorReportRequestProto.ErrorCode;
let f: NamenodeFixture;
let dn: DatanodeSession;
let admin: IpcClient;
let writer: NamenodeClient;
let blockId: number;
const GIB = 1 << 30;

beforeAll(async () => {
  f = await namenodeFixture('errreport');
  dn = await registeredDatanode(f.namenode.rpcPort, f.db.membershipSecret);
  const storageUuid = `DS-${dn.registration.datanodeID.datanodeUuid}`;
  await dn.client.call(
    'sendHeartbeat',
    D.HeartbeatRequestProto,
    { registration: dn.registration, reports: [{ storageUuid, storage: { storageUuid }, capacity: GIB, remaining: GIB, dfsUsed: 0, blockPoolUsed: 0 }], xmitsInProgress: 0, xceiverCount: 0, failedVolumes: 0 },
    D.HeartbeatResponseProto,
  );
  // A file whose one replica is on that datanode.
  admin = await IpcClient.connect({ host: '127.0.0.1', port: f.namenode.rpcPort, user: f.superuser, protocolName: CLIENT_PROTOCOL });
  writer = new NamenodeClient(admin, f.address, 'DFSClient_errreport', new RpcCounter());
  await writer.create('/held', { replication: 1, blockSize: 1 << 20 });
  const located = await writer.addBlock('/held', undefined);
  blockId = Number(located.b.blockId);
  await dn.client.call(
    'blockReceivedAndDeleted',
    D.BlockReceivedAndDeletedRequestProto,
    {
      registration: dn.registration,
      blockPoolId: dn.blockPoolId,
      blocks: [{ storageUuid, storage: { storageUuid }, blocks: [{ block: { blockId: located.b.blockId, genStamp: located.b.generationStamp, numBytes: 100 }, status: D.ReceivedDeletedBlockInfoProto.BlockStatus.RECEIVED }] }],
    },
    D.BlockReceivedAndDeletedResponseProto,
  );
  expect(await writer.complete('/held', { ...located.b, numBytes: 100 })).toBe(true);
});
afterAll(async () => {
  await dn?.close();
  admin?.close();
  await f?.close();
});

const uuid = () => dn.registration.datanodeID.datanodeUuid;
const errorReport = (session: DatanodeSession, errorCode: number, msg: string, registration = session.registration) =>
  session.client.call('errorReport', D.ErrorReportRequestProto, { registartion: registration, errorCode, msg }, D.ErrorReportResponseProto);
const liveUuids = async () => (await f.namenode.namesystem.getDatanodeReport('live')).map((d) => d.uuid);
const deadUuids = async () => (await f.namenode.namesystem.getDatanodeReport('dead')).map((d) => d.uuid);
const holders = async () => ((await writer.getBlockLocations('/held'))?.blocks ?? []).flatMap((b) => (b.locs ?? []).map((l) => l.id.datanodeUuid));
async function queuedBlocks(): Promise<number[]> {
  const conn = await createMysqlConnection(f.db.config);
  try {
    const [rows] = await conn.query('SELECT block_id FROM under_replicated ORDER BY block_id');
    return (rows as { block_id: number }[]).map((r) => Number(r.block_id));
  } finally {
    await conn.end();
  }
}

test('NOTIFY and DISK_ERROR are accepted and change nothing', async () => {
  expect(await liveUuids()).toContain(uuid());
  await errorReport(dn, Code.NOTIFY, 'a notice');
  await errorReport(dn, Code.DISK_ERROR, 'one volume failed');
  expect(await liveUuids()).toContain(uuid());
  expect(await holders()).toEqual([uuid()]);
});

test("another datanode cannot report an error in this one's name", async () => {
  const other = await registeredDatanode(f.namenode.rpcPort, f.db.membershipSecret);
  try {
    const refused = await errorReport(other, Code.FATAL_DISK_ERROR, 'not mine to say', dn.registration).then(
      () => 'succeeded',
      (e: { className?: string }) => e.className,
    );
    expect(refused).toBe('org.apache.hadoop.security.AccessControlException');
    expect(await liveUuids()).toContain(uuid());
  } finally {
    await other.close();
  }
});

test('FATAL_DISK_ERROR removes the datanode at once: dead, its replica forgotten, its block queued for re-replication', async () => {
  await errorReport(dn, Code.FATAL_DISK_ERROR, 'all volumes failed');
  expect(await deadUuids()).toContain(uuid());
  expect(await liveUuids()).not.toContain(uuid());
  expect(await holders()).toEqual([]);
  expect(await queuedBlocks()).toContain(blockId);
});
