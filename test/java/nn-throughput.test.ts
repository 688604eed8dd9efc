import { hadoop } from '../../protocol/generated/hadoop';
import { IpcClient } from '../../protocol/ipc/client';
import { CLIENT_PROTOCOL } from '../../protocol/ipc/wire-constants';
import { runJavaTimed } from '../../cli/bench/hdfs-peer-java';
import { NN_THROUGHPUT_MAIN, runNnThroughput, type NnThroughputOp } from '../../cli/bench/nn-throughput';
import type { RunningNamenode } from '../../namenode/namenode-process';
import { adminClasspath } from '../harness/java-hadoop';
import { namenodeFixture, type NamenodeFixture } from '../harness/namenode-fixture';

const H = hadoop.hdfs;
const BASE = '/nnThroughputBenchmark';

/**
 * Hadoop's own NNThroughputBenchmark (hadoop-hdfs's tests jar, on the admin
 * tools' classpath of scripts/install-java-deps.sh) in remote mode,
 * `-fs hdfs://…`, against two namenodes of one fleet, run and read as
 * `npm run bench` does (cli/bench/nn-throughput.ts): it asks
 * NamenodeProtocol.versionRequest for the block pool, leaves safe mode, then
 * drives ClientProtocol from its own threads. It spins forever when a call
 * fails, so each run is under coreutils `timeout`; a run that completes
 * prints its "--- op stats ---" block, which the bench's parser reads.
 */
describe('NNThroughputBenchmark -fs hdfs://… against nnfleet', () => {
  let f: NamenodeFixture;
  let second: RunningNamenode;
  let classpath: string;
  let client: IpcClient;

  beforeAll(async () => {
    classpath = adminClasspath();
    f = await namenodeFixture('nn_throughput');
    second = await f.another();
    client = await IpcClient.connect({ host: '127.0.0.1', port: second.rpcPort, user: f.superuser, protocolName: CLIENT_PROTOCOL });
  }, 60_000);
  afterAll(async () => {
    await client?.close();
    await f?.close();
  });

  const listing = async (src: string) =>
    ((await client.call('getListing', H.GetListingRequestProto, { src, startAfter: new Uint8Array(0), needLocation: false }, H.GetListingResponseProto)).dirList?.partialListing ?? []).map((s) =>
      Buffer.from(s.path).toString(),
    );

  const run = async (op: NnThroughputOp, port: number, files: number) => {
    const r = await runNnThroughput(classpath, `127.0.0.1:${port}`, op, { threads: 2, files, perDir: 10, timeoutSeconds: 120 });
    return { op, ...r };
  };

  test('create -threads 2 -files 50 -close completes all 50 and removes its directory afterwards', async () => {
    const r = await run('create', f.namenode.rpcPort, 50);
    expect(r).toMatchObject({ op: 'create', ok: true, operations: 50 });
    expect(r.ok && r.opsPerSec).toBeGreaterThan(0);
    // Its clean-up is a recursive delete of its base directory, through our namenode.
    expect(await listing(BASE)).toEqual([]);
  }, 180_000);

  test('fileStatus, open, delete, rename (each creates its files, renames the directory, then works on them) and mkdirs complete on either namenode', async () => {
    const results = [
      await run('fileStatus', second.rpcPort, 50),
      await run('open', f.namenode.rpcPort, 50),
      await run('mkdirs', second.rpcPort, 50),
      await run('delete', f.namenode.rpcPort, 50),
      await run('rename', second.rpcPort, 50),
    ];
    for (const r of results) expect(r).toMatchObject({ ok: true, operations: 50 });
    expect(await listing(BASE)).toEqual([]);
  }, 600_000);

  test('blockReport stops at registerDatanode: its emulated datanodes cannot prove membership, and none is registered', async () => {
    const r = await runJavaTimed(classpath, NN_THROUGHPUT_MAIN, ['-fs', `hdfs://127.0.0.1:${f.namenode.rpcPort}`, '-op', 'blockReport', '-datanodes', '2', '-reports', '2', '-blocksPerReport', '10', '-blocksPerFile', '2'], 120);
    expect(r.timedOut).toBe(false);
    expect(r.code).not.toBe(0);
    expect(r.output).toMatch(/RemoteException\(org\.apache\.hadoop\.security\.AccessControlException\): registerDatanode from .*did not authenticate as a datanode/);
    const report = await client.call('getDatanodeReport', H.GetDatanodeReportRequestProto, { type: H.DatanodeReportTypeProto.ALL }, H.GetDatanodeReportResponseProto);
    expect(report.di ?? []).toEqual([]);
  }, 180_000);
});
