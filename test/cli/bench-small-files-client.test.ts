import { join } from 'node:path';
import { SmallFilesClient } from '../../cli/bench/small-files-client-main';
import { SMALL_FILE_STEPS } from '../../loadgen/small-files';
import { NamenodeClient, RpcCounter } from '../../protocol/client/namenode-client';
import { dataFleet, type DataFleet } from '../harness/data-fleet';

jest.setTimeout(120_000);

/** The built client: tests run after `npm run build` (pretest). */
const SCRIPT = join(__dirname, '../../dist/cli/bench/small-files-client-main.js');

let f: DataFleet;
let probe: NamenodeClient;

beforeAll(async () => {
  f = await dataFleet('bench_small_client', 2, { blockSize: 1024 * 1024, replication: 2 });
  await f.waitForDatanodes(2);
  probe = await NamenodeClient.connect(f.address, f.superuser, 'bench-small-client-probe', new RpcCounter());
});

afterAll(async () => {
  await probe?.close();
  await f?.close();
});

const names = async (dir: string): Promise<string[]> =>
  ((await probe.getListing(dir))?.partialListing ?? []).map((s) => Buffer.from(s.path).toString()).sort();

describe("the bench small-files section's writers in a process of their own", () => {
  it('writes the warm-up files, waits for the word to write the measured ones, and deletes them only when told', async () => {
    const client = await SmallFilesClient.start({ address: f.address, user: f.superuser, files: 6, threads: 3, bytes: 4096, replication: 2, dir: '/small', warmupFiles: 4, script: SCRIPT });
    try {
      // Warm: its files are in, the measured ones not begun (the caller samples its counters now).
      expect(await names('/small/warmup')).toEqual(['f0', 'f1', 'f2', 'f3']);
      expect(await probe.getFileInfo('/small/measured')).toBeUndefined();

      const { result, cpuMicros } = await client.measure();
      expect(result).toMatchObject({ files: 6, threads: 3, bytes: 4096, replication: 2 });
      expect(result.steps.map((s) => s.step)).toEqual([...SMALL_FILE_STEPS]);
      expect(result.rpcsPerFile['create']).toBe(1);
      expect(cpuMicros).toBeGreaterThan(0);
      // Still there until the caller has read its counters again.
      const listing = (await probe.getListing('/small/measured'))?.partialListing ?? [];
      expect(listing.map((s) => Number(s.length))).toEqual(Array(6).fill(4096));

      await client.done();
      expect(await probe.getFileInfo('/small')).toBeUndefined();
    } finally {
      await client.kill();
    }
  });

  it('leaves its files when told to keep them (more rounds follow on the same fleet)', async () => {
    const client = await SmallFilesClient.start({ address: f.address, user: f.superuser, files: 2, threads: 2, bytes: 4096, replication: 2, dir: '/kept', warmupFiles: 0, script: SCRIPT });
    try {
      await client.measure();
      await client.done(true);
      expect(await names('/kept/measured')).toEqual(['f0', 'f1']);
    } finally {
      await client.kill();
    }
  });

  it('rejects with what the client process said when it cannot reach the namenode', async () => {
    const refused = SmallFilesClient.start({ address: '127.0.0.1:1', user: f.superuser, files: 1, threads: 1, bytes: 4096, replication: 1, dir: '/nowhere', warmupFiles: 0, script: SCRIPT });
    await expect(refused).rejects.toThrow(/^small-files client: .*ECONNREFUSED/s);
  });

  it('stops a client that is killed before its answer and says so', async () => {
    const client = await SmallFilesClient.start({ address: f.address, user: f.superuser, files: 1, threads: 1, bytes: 4096, replication: 2, dir: '/killed', warmupFiles: 0, script: SCRIPT });
    await client.kill();
    await expect(client.measure()).rejects.toThrow(/small-files client/);
    await probe.delete('/killed', true);
  });
});
