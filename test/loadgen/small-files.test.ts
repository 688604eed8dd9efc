import { DtpFileDataClient } from '../../loadgen/data/dtp-file-data-client';
import { patternBytes } from '../../loadgen/data/file-pattern';
import { SMALL_FILE_STEPS, smallFilesText, writeSmallFiles } from '../../loadgen/small-files';
import { readBlockRange } from '../../protocol/client/block-reader';
import { NamenodeClient, RpcCounter } from '../../protocol/client/namenode-client';
import { dataFleet, type DataFleet } from '../harness/data-fleet';
import { eventually } from '../harness/eventually';

jest.setTimeout(120_000);

let f: DataFleet;
const clients: NamenodeClient[] = [];

beforeAll(async () => {
  f = await dataFleet('small_files', 3, { blockSize: 1024 * 1024, replication: 3 });
  for (let i = 0; i < 3; i++) clients.push(await NamenodeClient.connect(f.address, f.superuser, `small-files-${i}`, new RpcCounter()));
  await clients[0]?.mkdirs('/small');
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await f?.close();
});

test('small files are written closed, with their bytes on every datanode of the pipeline, each step timed', async () => {
  const r = await writeSmallFiles({ clients, files: 12, threads: 4, bytes: 4096, replication: 3, dir: '/small' });
  expect(r.files).toBe(12);
  expect(r.latency.p50Ms).toBeGreaterThan(0);
  expect(r.steps.map((s) => s.step)).toEqual([...SMALL_FILE_STEPS]);
  expect(r.rpcsPerFile['create']).toBe(1);
  expect(r.rpcsPerFile['addBlock']).toBe(1);
  expect(r.rpcsPerFile['complete']).toBeGreaterThanOrEqual(1);
  expect(smallFilesText(r)).toContain('12 files of 4096 bytes, replication 3, 4 threads');

  const listing = await clients[0]!.getListing('/small');
  expect((listing?.partialListing ?? []).map((s) => Number(s.length))).toEqual(Array(12).fill(4096));
  expect(await new DtpFileDataClient({ blockSize: 1024 * 1024, replication: 3 }).readFile(clients[0]!, '/small/f7')).toBe(4096);
  // Every replica, not only the one a read picks, holds the file's bytes (the datanodes report all three).
  const located = await eventually('three reported replicas of /small/f3', async () => {
    const l = await clients[0]!.getBlockLocations('/small/f3');
    return l?.blocks?.[0]?.locs?.length === 3 ? l.blocks[0] : undefined;
  }, 30_000, 50);
  expect(located.locs).toHaveLength(3);
  for (const loc of located.locs ?? []) {
    const chunks: Buffer[] = [];
    const read = { located: { ...located, locs: [loc] }, clientName: 'small-files-check', connectTimeoutMs: 10_000, socketTimeoutMs: 30_000 };
    expect(await readBlockRange(read, 0, 4096, (b) => void chunks.push(b))).toBe(4096);
    expect(Buffer.concat(chunks).equals(patternBytes(0, 4096))).toBe(true);
  }
});
