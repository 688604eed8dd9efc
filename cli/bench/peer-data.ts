import { NamenodeClient, RpcCounter } from '../../protocol/client/namenode-client';
import { medianRounds, type DataThroughputRow } from '../../loadgen/data-throughput';
import { processCpuMicros } from '../../loadgen/process-cpu';
import type { SmallFilesResult } from '../../loadgen/small-files';
import { runDataClient } from './data-client-main';
import { bigFileRounds, SMALL_FILES_RUN } from './data-shape';
import { SmallFilesClient } from './small-files-client-main';

/** Apache HDFS's small files, as the same client process measured them. */
export interface PeerSmallFiles {
  readonly result: SmallFilesResult;
  /** HDFS's JVM (its NameNode and DataNodes together) per file. */
  readonly serverCpuMicrosPerFile: number;
  readonly clientCpuMicrosPerFile: number;
}

/** What the data section measured on nnfleet, measured on Apache HDFS. */
export interface PeerDataFigures {
  /** The big file per replication factor, medians of the measured rounds (datanodes' CPU: the whole JVM). */
  readonly throughput: readonly DataThroughputRow[];
  readonly smallFiles: PeerSmallFiles;
}

/**
 * The data section's shape (data-shape.ts) against Apache HDFS's NameNode
 * and DataNodes: the same client processes nnfleet's data section runs
 * (runDataClient, SmallFilesClient), so both sides are written and read by
 * one client and differ only in the servers. `pid` is the JVM's.
 */
export async function measurePeerData(peer: { readonly address: string; readonly pid: number }, user: string, mib: number): Promise<PeerDataFigures> {
  const nn = await NamenodeClient.connect(peer.address, user, `nnfleet_bench_peer_data_${process.pid}`, new RpcCounter());
  try {
    await nn.mkdirs('/benchdata');
  } finally {
    await nn.close();
  }
  const rounds = await runDataClient({
    address: peer.address,
    user,
    ...bigFileRounds(mib),
    dir: '/benchdata',
    datanodePids: [peer.pid],
  });
  const client = await SmallFilesClient.start({
    address: peer.address,
    user,
    ...SMALL_FILES_RUN,
    dir: '/benchdata/smallfiles',
  });
  try {
    const before = processCpuMicros(peer.pid);
    const { result, cpuMicros } = await client.measure();
    const server = processCpuMicros(peer.pid) - before;
    await client.done();
    return {
      throughput: medianRounds(rounds),
      smallFiles: { result, serverCpuMicrosPerFile: server / result.files, clientCpuMicrosPerFile: cpuMicros / result.files },
    };
  } finally {
    await client.kill();
  }
}
