import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hadoop } from '../../protocol/generated/hadoop';
import { DEFAULT_BYTES_PER_CHECKSUM } from '../../protocol/datatransfer/checksum';
import { NamenodeClient, RpcCounter } from '../../protocol/client/namenode-client';
import { makeCaller } from '../../namenode/security/caller';
import { DatanodeProcesses } from '../harness/datanode-process';
import { hdfs } from '../harness/go-hdfs';
import { namenodeFixture, type NamenodeFixture } from '../harness/namenode-fixture';
import { eventually } from '../harness/replica-files';
import { SyncedBlockWrite } from '../harness/synced-block-write';
import { payload } from '../harness/payload';

const { Status } = hadoop.hdfs;
/** Not a multiple of the chunk size: the last hsync ends mid-chunk. */
const HSYNCED = 20 * DEFAULT_BYTES_PER_CHECKSUM * 8 + 333;
const PACKET = 8 * DEFAULT_BYTES_PER_CHECKSUM;

/**
 * Issue 9, durability: bytes a writer was told are hsynced survive kill -9
 * of the only datanode holding them. End to end: a real addBlock and token,
 * the datanode a real process restarted on its directory, the writer gone,
 * lease recovery through ClientProtocol, and the Go client reading back.
 */
describe('hsync survives kill -9 of the datanode, end to end', () => {
  let nn: NamenodeFixture;
  let work: string;
  let datanodes: DatanodeProcesses;

  beforeAll(async () => {
    nn = await namenodeFixture('hsynckill', { minBlockSize: 0, replication: 1, heartbeatIntervalMs: 500, housekeepingIntervalMs: 300 });
    work = mkdtempSync(join(tmpdir(), 'nnhsync-'));
    datanodes = new DatanodeProcesses(work, nn.address, nn.db.membershipSecret);
  }, 60_000);

  afterAll(async () => {
    await datanodes?.stopAll();
    await nn?.close();
    rmSync(work, { recursive: true, force: true });
  });

  test('the hsynced bytes read back byte-exact after the restart and lease recovery', async () => {
    const ns = nn.namenode.namesystem;
    const dn = await datanodes.start('dn0');
    await eventually('the datanode live', async () => ((await ns.getFsStats()).liveDatanodes === 1 ? true : undefined));

    const writer = await NamenodeClient.connect(nn.address, nn.superuser, 'DFSClient_hsync_writer', new RpcCounter());
    await writer.create('/hsynced', { replication: 1, blockSize: 1 << 20 });
    const located = await writer.addBlock('/hsynced', undefined);
    expect(located.locs?.[0]?.id.datanodeUuid).toBe(dn.uuid);
    const w = await SyncedBlockWrite.open(located, writer.clientName);
    expect(w.response.status).toBe(Status.SUCCESS);
    const data = payload(HSYNCED, 7);
    for (let offset = 0; offset < data.length; offset += PACKET) {
      const ack = await w.packet(offset, data.subarray(offset, Math.min(offset + PACKET, data.length)), { sync: true });
      expect(ack.reply).toEqual([Status.SUCCESS]);
    }

    // Every packet acknowledged after its hsync: the datanode dies, and so does the writer.
    await datanodes.kill(dn);
    w.close();
    await writer.ipc.close();
    const again = await datanodes.start('dn0');
    expect(again.uuid).toBe(dn.uuid);

    const recoverer = await NamenodeClient.connect(nn.address, nn.superuser, 'DFSClient_recoverer', new RpcCounter());
    await eventually(
      'lease recovery to close the file',
      async () => {
        const r = await recoverer.ipc.call('recoverLease', hadoop.hdfs.RecoverLeaseRequestProto, { src: '/hsynced', clientName: recoverer.clientName }, hadoop.hdfs.RecoverLeaseResponseProto);
        return r.result ? true : undefined;
      },
      60_000,
    );
    await recoverer.ipc.close();
    const closed = await ns.getFileInfo(makeCaller(nn.superuser, [], ns.config), '/hsynced');
    expect(closed?.underConstruction).toBe(false);
    expect(closed?.length).toBeGreaterThanOrEqual(HSYNCED);

    const out = join(work, 'hsynced-out');
    const got = await hdfs(nn.address, nn.superuser, ['get', '/hsynced', out]);
    expect(got).toMatchObject({ code: 0 });
    const back = readFileSync(out);
    expect(back.length).toBeGreaterThanOrEqual(HSYNCED);
    expect(back.subarray(0, HSYNCED).equals(data)).toBe(true);
    process.stdout.write(`hsync kill -9: ${HSYNCED} bytes hsynced, file closed by lease recovery at ${String(closed?.length)} bytes, read back byte-exact\n`);
  }, 120_000);
});
