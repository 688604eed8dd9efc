import { machineBusyMicros, processCpuMicros } from './process-cpu';
import { DtpFileDataClient } from './data/dtp-file-data-client';
import type { NamenodeClient } from '../protocol/client/namenode-client';

export interface DataThroughputRow {
  readonly replication: number;
  readonly bytes: number;
  readonly blockSize: number;
  readonly writeSeconds: number;
  readonly readSeconds: number;
  readonly writeMiBps: number;
  readonly readMiBps: number;
  /** CPU per MiB moved while writing and while reading, when the caller gave a CPU sampler. */
  readonly writeCpu?: CpuPerMiB;
  readonly readCpu?: CpuPerMiB;
  /** When the row is the median of several rounds (`medianRounds`): each round's rates, in the order run. */
  readonly rounds?: readonly { readonly writeMiBps: number; readonly readMiBps: number }[];
}

/** CPU used so far, in µs: the client (the process moving the bytes), the datanodes summed, and the whole machine. */
export interface CpuSample {
  readonly client: number;
  readonly datanodes: number;
  readonly machine: number;
}

/**
 * CPU ms per MiB moved over one phase: the client, the datanodes, and
 * everything else the machine ran meanwhile (the namenode, MariaDB, any
 * other process on a shared box): machine busy − client − datanodes.
 */
export interface CpuPerMiB {
  readonly client: number;
  readonly datanodes: number;
  readonly others: number;
}

const MiB = 1024 * 1024;

/** A CPU sampler for `measureDataThroughput`: this process as the client, the given datanode processes, the machine. */
export function dataCpuSampler(datanodePids: readonly number[]): () => CpuSample {
  return () => {
    const own = process.cpuUsage();
    return { client: own.user + own.system, datanodes: datanodePids.reduce((a, pid) => a + processCpuMicros(pid), 0), machine: machineBusyMicros() };
  };
}

function cpuPerMiB(from: CpuSample, to: CpuSample, bytes: number): CpuPerMiB {
  const ms = (micros: number): number => micros / 1000 / (bytes / MiB);
  const client = to.client - from.client;
  const datanodes = to.datanodes - from.datanodes;
  return { client: ms(client), datanodes: ms(datanodes), others: ms(Math.max(0, to.machine - from.machine - client - datanodes)) };
}

/**
 * One big file written then read back through the real data client, per
 * replication factor: a single client stream, as `hdfs dfs -put`/`-cat`
 * would drive it. The file is deleted after, so the next run starts on
 * the same free space.
 */
export async function measureDataThroughput(
  client: NamenodeClient,
  o: {
    bytes: number;
    blockSize: number;
    replications: readonly number[];
    dir: string;
    /** Called as the write starts, as it ends (the read starts) and as the read ends: a profiler's or CPU counter's marks. */
    onMark?: (mark: 'start' | 'written' | 'read') => void;
    /** CPU used so far; with it each row carries the CPU per MiB of its write and its read. */
    cpu?: () => CpuSample;
  },
): Promise<DataThroughputRow[]> {
  const rows: DataThroughputRow[] = [];
  for (const replication of o.replications) {
    const data = new DtpFileDataClient({ blockSize: o.blockSize, replication });
    const path = `${o.dir}/big-r${replication}`;
    o.onMark?.('start');
    const c0 = o.cpu?.();
    const t0 = performance.now();
    await data.writeFile(client, path, o.bytes);
    const t1 = performance.now();
    const c1 = o.cpu?.();
    o.onMark?.('written');
    const read = await data.readFile(client, path);
    const t2 = performance.now();
    const c2 = o.cpu?.();
    o.onMark?.('read');
    if (read !== o.bytes) throw new Error(`read ${read} of ${o.bytes} bytes of ${path}`);
    await client.delete(path, false);
    const writeSeconds = (t1 - t0) / 1000;
    const readSeconds = (t2 - t1) / 1000;
    rows.push({
      replication,
      bytes: o.bytes,
      blockSize: o.blockSize,
      writeSeconds,
      readSeconds,
      writeMiBps: o.bytes / MiB / writeSeconds,
      readMiBps: o.bytes / MiB / readSeconds,
      ...(c0 && c1 && c2 ? { writeCpu: cpuPerMiB(c0, c1, o.bytes), readCpu: cpuPerMiB(c1, c2, o.bytes) } : {}),
    });
  }
  return rows;
}

const median = (xs: readonly number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

/**
 * One row per replication factor from several rounds of
 * `measureDataThroughput`: the median write and the median read (each on
 * its own; an odd count picks a measured round, an even one the upper
 * middle), with every round's rates kept beside them. A single stream on
 * a shared 2-core box moves by 2x between consecutive rounds, so one
 * round says little.
 */
export function medianRounds(rows: readonly DataThroughputRow[]): DataThroughputRow[] {
  const replications = [...new Set(rows.map((r) => r.replication))];
  return replications.map((replication) => {
    const mine = rows.filter((r) => r.replication === replication);
    const first = mine[0] as DataThroughputRow;
    const writeSeconds = median(mine.map((r) => r.writeSeconds));
    const readSeconds = median(mine.map((r) => r.readSeconds));
    return {
      replication,
      bytes: first.bytes,
      blockSize: first.blockSize,
      writeSeconds,
      readSeconds,
      writeMiBps: median(mine.map((r) => r.writeMiBps)),
      readMiBps: median(mine.map((r) => r.readMiBps)),
      ...medianCpu(mine),
      rounds: mine.map((r) => ({ writeMiBps: r.writeMiBps, readMiBps: r.readMiBps })),
    };
  });
}

/** Each CPU figure's median over the rounds, when every round has them. */
function medianCpu(rows: readonly DataThroughputRow[]): Pick<DataThroughputRow, 'writeCpu' | 'readCpu'> {
  const of = (pick: (r: DataThroughputRow) => CpuPerMiB | undefined): CpuPerMiB | undefined => {
    const all = rows.map(pick);
    if (all.some((c) => c === undefined)) return undefined;
    const cs = all as CpuPerMiB[];
    return { client: median(cs.map((c) => c.client)), datanodes: median(cs.map((c) => c.datanodes)), others: median(cs.map((c) => c.others)) };
  };
  const writeCpu = of((r) => r.writeCpu);
  const readCpu = of((r) => r.readCpu);
  return { ...(writeCpu ? { writeCpu } : {}), ...(readCpu ? { readCpu } : {}) };
}
