import { join } from 'node:path';
import { runDataClient } from '../../cli/bench/data-client-main';
import { NamenodeClient, RpcCounter } from '../../protocol/client/namenode-client';
import { dataFleet, type DataFleet } from '../harness/data-fleet';

jest.setTimeout(120_000);

/** The built client: tests run after `npm run build` (pretest). */
const SCRIPT = join(__dirname, '../../dist/cli/bench/data-client-main.js');
const MiB = 1024 * 1024;

let f: DataFleet;
let probe: NamenodeClient;

beforeAll(async () => {
  f = await dataFleet('bench_data_client', 2);
  await f.waitForDatanodes(2);
  probe = await NamenodeClient.connect(f.address, f.superuser, 'bench-data-client-probe', new RpcCounter());
  await probe.mkdirs('/benchdata');
});

afterAll(async () => {
  await probe?.close();
  await f?.close();
});

describe("the bench data section's client in a process of its own", () => {
  it('writes and reads the file per replication factor and round, returns the measured rounds with their CPU, and leaves no file behind', async () => {
    const rounds = await runDataClient({
      address: f.address,
      user: f.superuser,
      bytes: 3 * MiB,
      blockSize: MiB,
      replications: [1, 2],
      warmup: 1,
      rounds: 2,
      dir: '/benchdata',
      datanodePids: [process.pid],
      script: SCRIPT,
    });
    expect(rounds.map((r) => r.replication)).toEqual([1, 2, 1, 2]);
    for (const r of rounds) {
      expect(r).toMatchObject({ bytes: 3 * MiB, blockSize: MiB });
      expect(r.readMiBps).toBeGreaterThan(0);
      expect(r.writeMiBps).toBeGreaterThan(0);
      for (const c of [r.writeCpu, r.readCpu]) {
        expect(c).toBeDefined();
        expect(c!.client).toBeGreaterThanOrEqual(0);
        expect(c!.datanodes).toBeGreaterThanOrEqual(0);
        expect(c!.others).toBeGreaterThanOrEqual(0);
      }
    }
    expect((await probe.getListing('/benchdata'))?.partialListing ?? []).toEqual([]);
  });

  it('rejects with what the client process said when it cannot reach the namenode', async () => {
    const refused = runDataClient({
      address: '127.0.0.1:1',
      user: f.superuser,
      bytes: MiB,
      blockSize: MiB,
      replications: [1],
      warmup: 0,
      rounds: 1,
      dir: '/benchdata',
      datanodePids: [],
      script: SCRIPT,
    });
    await expect(refused).rejects.toThrow(/^data client: .*ECONNREFUSED/s);
  });
});
