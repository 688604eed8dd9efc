import { dataComparisons, dataNotes, type NnfleetData } from '../../../cli/bench/peer-data-rows';
import type { PeerDataFigures } from '../../../cli/bench/peer-data';
import { peerCpuTableText, peerRow, type PeerComparison } from '../../../cli/bench/peer-table';
import { cpuServerTotal, type CpuPerOp } from '../../../cli/bench/cpu-split';
import type { DataThroughputRow } from '../../../loadgen/data-throughput';
import type { SmallFilesResult } from '../../../loadgen/small-files';
import { throughputRow } from '../../harness/data-throughput-row';

const big = throughputRow;
const latency = (p50Ms: number, meanMs: number) => ({ meanMs, p50Ms, p90Ms: p50Ms, p99Ms: p50Ms, maxMs: p50Ms, percentiles: [] });
const small = (filesPerSecond: number, p50Ms: number, meanMs: number, complete: number): SmallFilesResult => ({
  files: 2000,
  threads: 16,
  bytes: 4096,
  replication: 3,
  seconds: 2000 / filesPerSecond,
  filesPerSecond,
  latency: latency(p50Ms, meanMs),
  steps: [],
  rpcsPerFile: { addBlock: 1, complete, create: 1 },
});

const nnfleet: NnfleetData = {
  mib: 256,
  throughput: [big(1, 400, 900), big(3, 220, 810)],
  smallFiles: {
    result: small(280, 55, 57, 1),
    statementsPerFile: 13,
    commitsPerFile: 1.4,
    namenodeCpuMicrosPerFile: 1650,
    datanodeCpuMicrosPerFile: 2380,
    datanodeSystemMicrosPerFile: 655,
    databaseCpuMicrosPerFile: 1880,
    databaseSystemMicrosPerFile: 325,
    clientCpuMicrosPerFile: 617,
    othersCpuMicrosPerFile: 13,
    stealMicrosPerFile: 5,
    interruptMicrosPerFile: 300,
    busiestOthers: [],
  },
};
const hdfs: PeerDataFigures = {
  throughput: [big(1, 420, 640), big(3, 150, 540)],
  smallFiles: { result: small(187, 6.6, 84.5, 1.19), serverCpuMicrosPerFile: 5785, clientCpuMicrosPerFile: 790 },
};

describe("the data section's figures beside HDFS's", () => {
  it('compares the replication-3 write and read rates and the small files, each side its own figure', () => {
    const rows = dataComparisons(nnfleet, hdfs).map(peerRow);
    expect(rows.map((r) => [r.op, r.nnfleetOpsPerSec, r.hdfsOpsPerSec, r.ratio])).toEqual([
      ['data: write MiB/s (256 MiB, replication 3)', 220, 150, 1.467],
      ['data: read MiB/s (256 MiB, replication 3)', 810, 540, 1.5],
      ['small files: files/s (4096 B, replication 3, 16 writers)', 280, 187, 1.497],
    ]);
    expect(rows[2]).toMatchObject({ nnfleetP50Ms: 55, hdfsP50Ms: 6.6 });
  });

  it("splits a small file's CPU by process on each side, for the CPU table (serving leaves the writers' client out)", () => {
    const row = peerRow(dataComparisons(nnfleet, hdfs)[2] as PeerComparison);
    expect(row.nnfleetCpu).toEqual({
      processes: [
        { name: 'namenode', micros: 1650 },
        { name: 'datanodes', micros: 2380 },
        { name: 'MariaDB', micros: 1880 },
        { name: 'load generator', micros: 617 },
      ],
      others: 8,
    });
    expect(row.hdfsCpu).toEqual({ processes: [{ name: 'HDFS JVM', micros: 5785 }, { name: 'load generator', micros: 790 }], others: null });
    expect(cpuServerTotal(row.nnfleetCpu as CpuPerOp)).toBe(1650 + 2380 + 1880);
    expect(peerCpuTableText([row])).toContain('namenode 1650 + datanodes 2380 + MariaDB 1880 + load generator 617 + others 8 = 6535');
    // The big file's rows have no CPU per operation: they stay out of the CPU table.
    expect(dataComparisons(nnfleet, hdfs).slice(0, 2).map((c) => peerRow(c).nnfleetCpu)).toEqual([null, null]);
  });

  it("gives HDFS's reason on every row when it has no figures, and nnfleet's when its data section failed", () => {
    const rows = dataComparisons({ mib: 256, throughput: [] }, 'not measured: connection refused').map(peerRow);
    expect(rows.map((r) => r.ratio)).toEqual([null, null, null]);
    expect(rows.every((r) => r.notes.includes('HDFS: not measured: connection refused'))).toBe(true);
    expect(rows.every((r) => r.notes.includes('nnfleet: data section failed'))).toBe(true);
  });

  it('says what a small file costs each side in CPU and how often complete was asked', () => {
    const notes = dataNotes(nnfleet, hdfs);
    expect(notes).toContain('small files, CPU µs per file: nnfleet 6527 (namenode 1650, datanodes 2380, MariaDB 1880, client 617); HDFS 6575 (its JVM: NameNode and DataNodes 5785, client 790)');
    expect(notes.find((n) => n.startsWith('small files, complete calls'))).toMatch(/nnfleet 1\.00, HDFS 1\.19 .* mean ms per file nnfleet 57\.0, HDFS 84\.5$/);
    expect(dataNotes(nnfleet, undefined)).toHaveLength(1);
  });

  it("puts each side's CPU per MiB of the replication-3 file beside the rates, when both were sampled", () => {
    expect(dataNotes(nnfleet, hdfs).some((n) => n.startsWith('data at replication 3'))).toBe(false);
    const cpu = (client: number, datanodes: number) => ({ client, datanodes, others: 0 });
    const withCpu = (r: DataThroughputRow, w: number, rd: number): DataThroughputRow => ({ ...r, writeCpu: cpu(1.5, w), readCpu: cpu(2, rd) });
    const notes = dataNotes({ ...nnfleet, throughput: [withCpu(big(3, 220, 810), 9.5, 1)] }, { ...hdfs, throughput: [withCpu(big(3, 150, 540), 11.17, 0.7)] });
    expect(notes.find((n) => n.startsWith('data at replication 3'))).toMatch(
      /^data at replication 3, CPU ms per MiB written \/ read: nnfleet client 1\.50 \/ 2\.00, datanodes 9\.50 \/ 1\.00; HDFS client 1\.50 \/ 2\.00, its JVM 11\.17 \/ 0\.70 /,
    );
  });
});
