import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DtpFileDataClient } from '../../loadgen/data/dtp-file-data-client';
import { writeSmallFiles } from '../../loadgen/small-files';
import { staleIntervalMs } from '../../namenode/blocks/stale-datanodes';
import { NamenodeClient, RpcCounter, type LocatedBlock } from '../../protocol/client/namenode-client';
import { DatanodeProcesses, type DatanodeProcess } from '../harness/datanode-process';
import { eventually } from '../harness/eventually';
import { namenodeFixture, type NamenodeFixture } from '../harness/namenode-fixture';

jest.setTimeout(120_000);

const BLOCK = 1024 * 1024;
const uuidsOf = (lb: LocatedBlock | undefined): string[] => (lb?.locs ?? []).map((l) => l.id.datanodeUuid);

/**
 * dfs.namenode.avoid.write.stale.datanode with real datanode processes:
 * datanodes killed -9 stay registered and live for the whole heartbeat
 * expiry (10 minutes here), but once their last heartbeat is older than
 * the stale interval, new blocks go to the others — while more than the
 * ratio of the live datanodes are not stale.
 */
describe('stale datanodes: registered, silent, not yet dead', () => {
  let nn: NamenodeFixture;
  let work: string;
  let datanodes: DatanodeProcesses;
  const started: DatanodeProcess[] = [];
  let client: NamenodeClient;

  // The interval in force: 1 s asked, raised to the heartbeat rows' granularity (5 s at 500 ms heartbeats) + 3 heartbeats.
  const config = { blockSize: BLOCK, minBlockSize: 0, replication: 2, heartbeatIntervalMs: 500, heartbeatExpiryMs: 600_000, staleDatanodeIntervalMs: 1000 };

  const waitStale = (victims: readonly DatanodeProcess[]) =>
    eventually(
      `${victims.length} killed datanode(s) stale and still live`,
      async () => {
        const live = await nn.namenode.namesystem.getDatanodeReport('live');
        const staleAt = Date.now() - staleIntervalMs(nn.namenode.namesystem.config);
        const rows = victims.map((v) => live.find((d) => d.uuid === v.uuid));
        return rows.every((d) => d !== undefined && d.lastHeartbeat <= staleAt) ? live.length : undefined;
      },
      30_000,
      200,
    );

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'nnstale-'));
    nn = await namenodeFixture('stale', config);
    datanodes = new DatanodeProcesses(work, nn.address, nn.db.membershipSecret);
    for (let i = 0; i < 5; i++) started.push(await datanodes.start(`dn${i}`));
    await eventually('5 live datanodes', async () => ((await nn.namenode.namesystem.getFsStats()).liveDatanodes === 5 ? true : undefined), 30_000);
    client = await NamenodeClient.connect(nn.address, nn.superuser, 'stale-test', new RpcCounter());
    await client.mkdirs('/small');
  }, 90_000);

  afterAll(async () => {
    await client?.close();
    await datanodes?.stopAll();
    await nn?.close();
    rmSync(work, { recursive: true, force: true });
  });

  test('with 2 of 5 stale, writes succeed without a failed pipeline, none on a stale datanode; reads list them last', async () => {
    // On all five while they are up: its locations name the two about to be killed.
    await new DtpFileDataClient({ blockSize: BLOCK, replication: 5 }).writeFile(client, '/wide', 1000);
    const [a, b] = started as [DatanodeProcess, DatanodeProcess];
    await eventually('5 reported replicas of /wide', async () => ((await client.getBlockLocations('/wide'))?.blocks?.[0]?.locs?.length === 5 ? true : undefined), 30_000);
    await datanodes.kill(a);
    await datanodes.kill(b);
    expect(await waitStale([a, b])).toBe(5);

    const gone = new Set([a.uuid, b.uuid]);
    const wide = uuidsOf((await client.getBlockLocations('/wide'))?.blocks?.[0]);
    expect(wide).toHaveLength(5);
    expect(new Set(wide.slice(3))).toEqual(gone);

    const r = await writeSmallFiles({ clients: [client], files: 12, threads: 3, bytes: 4096, replication: 2, dir: '/small' });
    // Each file's first pipeline worked: no datanode was excluded and asked around.
    expect(r.rpcsPerFile['addBlock']).toBe(1);
    expect(r.rpcsPerFile['abandonBlock']).toBeUndefined();
    for (let i = 0; i < 12; i++) {
      const targets = uuidsOf((await client.getBlockLocations(`/small/f${i}`))?.blocks?.[0]);
      expect(targets.filter((u) => gone.has(u))).toEqual([]);
    }
    // Still registered and live: only the expiry declares them dead.
    expect((await nn.namenode.namesystem.getFsStats()).liveDatanodes).toBe(5);
  });

  test('with 3 of 5 stale (more than dfs.namenode.write.stale.datanode.ratio 0.5), stale datanodes are chosen again', async () => {
    const c = started[2] as DatanodeProcess;
    await datanodes.kill(c);
    expect(await waitStale(started.slice(0, 3))).toBe(5);
    const gone = new Set(started.slice(0, 3).map((d) => d.uuid));
    const chosen: string[] = [];
    for (let i = 0; i < 10; i++) {
      const path = `/ratio/f${i}`;
      await client.create(path, { createParent: true, blockSize: BLOCK, replication: 2 });
      chosen.push(...uuidsOf(await client.addBlock(path, undefined)));
    }
    // Ten blocks of two targets drawn from five, three of them stale: none stale would be a 1 in 10^10 draw.
    expect(chosen.filter((u) => gone.has(u)).length).toBeGreaterThan(0);
  });
});
