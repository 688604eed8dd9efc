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
  /** When the row is the median of several rounds (`medianRounds`): each round's rates, in the order run. */
  readonly rounds?: readonly { readonly writeMiBps: number; readonly readMiBps: number }[];
}

const MiB = 1024 * 1024;

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
  },
): Promise<DataThroughputRow[]> {
  const rows: DataThroughputRow[] = [];
  for (const replication of o.replications) {
    const data = new DtpFileDataClient({ blockSize: o.blockSize, replication });
    const path = `${o.dir}/big-r${replication}`;
    o.onMark?.('start');
    const t0 = performance.now();
    await data.writeFile(client, path, o.bytes);
    const t1 = performance.now();
    o.onMark?.('written');
    const read = await data.readFile(client, path);
    const t2 = performance.now();
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
      rounds: mine.map((r) => ({ writeMiBps: r.writeMiBps, readMiBps: r.readMiBps })),
    };
  });
}
