import type { DataThroughputRow } from '../../loadgen/data-throughput';
import { LOAD_GENERATOR, type CpuPerOp } from './cpu-split';
import { fmt } from '../../loadgen/text-table';
import { DATANODES, SMALL_FILE_BYTES, SMALL_FILE_WRITERS } from './data-shape';
import type { PeerDataFigures } from './peer-data';
import type { PeerCell, PeerComparison } from './peer-table';
import type { SmallFilesFigures } from './small-files-section';

/** The data section's figures on nnfleet, beside which HDFS's are measured. */
export interface NnfleetData {
  /** Size of the big file, MiB. */
  readonly mib: number;
  readonly throughput: readonly DataThroughputRow[];
  readonly smallFiles?: SmallFilesFigures;
}

const bigFileOp = (mib: number, what: 'write' | 'read'): string => `data: ${what} MiB/s (${mib} MiB, replication ${DATANODES})`;
export const SMALL_FILES_OP = `small files: files/s (${SMALL_FILE_BYTES} B, replication ${DATANODES}, ${SMALL_FILE_WRITERS} writers)`;
/** The big file's row the targets name: replication 3. */
const bigFileRow = (rows: readonly DataThroughputRow[]): DataThroughputRow | undefined => rows.find((r) => r.replication === DATANODES);

/**
 * The big file's write and read rate at replication 3 and the small files'
 * rate on each side, as peer rows (the rate in the ops/s columns); `hdfs`
 * a string says why HDFS has no figures.
 */
export function dataComparisons(nnfleet: NnfleetData, hdfs: PeerDataFigures | string): PeerComparison[] {
  const side = (rows: readonly DataThroughputRow[] | string, pick: (r: DataThroughputRow) => number): PeerCell => {
    if (typeof rows === 'string') return { missing: rows };
    const r = bigFileRow(rows);
    return r ? { opsPerSec: pick(r) } : { missing: `no replication ${DATANODES} row` };
  };
  const hdfsRows = typeof hdfs === 'string' ? hdfs : hdfs.throughput;
  const nnfleetRows = nnfleet.throughput.length > 0 ? nnfleet.throughput : 'data section failed';
  const small = (r: { readonly filesPerSecond: number; readonly latency: { readonly p50Ms: number } }, cpu: CpuPerOp): PeerCell => ({
    opsPerSec: r.filesPerSecond,
    p50Ms: r.latency.p50Ms,
    cpu,
  });
  return [
    { op: bigFileOp(nnfleet.mib, 'write'), nnfleet: side(nnfleetRows, (r) => r.writeMiBps), hdfs: side(hdfsRows, (r) => r.writeMiBps) },
    { op: bigFileOp(nnfleet.mib, 'read'), nnfleet: side(nnfleetRows, (r) => r.readMiBps), hdfs: side(hdfsRows, (r) => r.readMiBps) },
    {
      op: SMALL_FILES_OP,
      nnfleet: nnfleet.smallFiles ? small(nnfleet.smallFiles.result, nnfleetSmallFileCpu(nnfleet.smallFiles)) : { missing: 'data section failed' },
      hdfs: typeof hdfs === 'string' ? { missing: hdfs } : small(hdfs.smallFiles.result, hdfsSmallFileCpu(hdfs)),
    },
  ];
}

/** A small file's CPU by process on nnfleet, as the side-by-side CPU table splits an operation's (the writers' client as the load generator). */
export function nnfleetSmallFileCpu(f: SmallFilesFigures): CpuPerOp {
  return {
    processes: [
      { name: 'namenode', micros: f.namenodeCpuMicrosPerFile },
      { name: 'datanodes', micros: f.datanodeCpuMicrosPerFile },
      ...(f.databaseCpuMicrosPerFile === undefined ? [] : [{ name: 'MariaDB', micros: f.databaseCpuMicrosPerFile }]),
      { name: LOAD_GENERATOR, micros: f.clientCpuMicrosPerFile },
    ],
    others: Math.max(0, f.othersCpuMicrosPerFile - f.stealMicrosPerFile),
  };
}

/** The same on HDFS: its JVM (NameNode and DataNodes) and the writers' client. */
const hdfsSmallFileCpu = (h: PeerDataFigures): CpuPerOp => ({
  processes: [
    { name: 'HDFS JVM', micros: h.smallFiles.serverCpuMicrosPerFile },
    { name: LOAD_GENERATOR, micros: h.smallFiles.clientCpuMicrosPerFile },
  ],
  others: null,
});

/** Where a small file's CPU and time go on each side, under the table. */
export function dataNotes(nnfleet: NnfleetData, hdfs: PeerDataFigures | undefined): string[] {
  const notes = [
    'data and small-file rows: the data section\'s own client processes (ours, not Hadoop\'s) write and read both sides, the same shape and warm-up; the big file\'s rates are MiB/s in the ops/s columns, medians of its rounds',
  ];
  const nBig = bigFileRow(nnfleet.throughput);
  const hBig = hdfs && bigFileRow(hdfs.throughput);
  if (nBig?.writeCpu && hBig?.writeCpu) {
    const ms = (x: number): string => fmt(x, 2);
    notes.push(
      `data at replication ${DATANODES}, CPU ms per MiB written / read: nnfleet client ${ms(nBig.writeCpu.client)} / ${ms(nBig.readCpu?.client ?? 0)}, datanodes ${ms(nBig.writeCpu.datanodes)} / ${ms(nBig.readCpu?.datanodes ?? 0)}; ` +
        `HDFS client ${ms(hBig.writeCpu.client)} / ${ms(hBig.readCpu?.client ?? 0)}, its JVM ${ms(hBig.writeCpu.datanodes)} / ${ms(hBig.readCpu?.datanodes ?? 0)} ` +
        '(on this VM a page of memory new to the guest costs ~14x one it reused, bench/README.md stop 47: the write rates move with it; these costs less so)',
    );
  }
  const n = nnfleet.smallFiles;
  if (!n || !hdfs) return notes;
  const h = hdfs.smallFiles;
  const nnfleetCpu = n.namenodeCpuMicrosPerFile + n.datanodeCpuMicrosPerFile + (n.databaseCpuMicrosPerFile ?? 0) + n.clientCpuMicrosPerFile;
  const hdfsCpu = h.serverCpuMicrosPerFile + h.clientCpuMicrosPerFile;
  const calls = (r: { readonly rpcsPerFile: Readonly<Record<string, number>> }): string => fmt(r.rpcsPerFile['complete'] ?? 0, 2);
  notes.push(
    `small files, CPU µs per file: nnfleet ${fmt(nnfleetCpu, 0)} (namenode ${fmt(n.namenodeCpuMicrosPerFile, 0)}, datanodes ${fmt(n.datanodeCpuMicrosPerFile, 0)}` +
      (n.databaseCpuMicrosPerFile === undefined ? '' : `, MariaDB ${fmt(n.databaseCpuMicrosPerFile, 0)}`) +
      `, client ${fmt(n.clientCpuMicrosPerFile, 0)}); HDFS ${fmt(hdfsCpu, 0)} (its JVM: NameNode and DataNodes ${fmt(h.serverCpuMicrosPerFile, 0)}, client ${fmt(h.clientCpuMicrosPerFile, 0)})`,
    `small files, complete calls per file: nnfleet ${calls(n.result)}, HDFS ${calls(h.result)} (a complete that answers false, its block's copy not yet reported, is asked again after the Hadoop client's backoff, 400 ms doubling); mean ms per file nnfleet ${fmt(n.result.latency.meanMs, 1)}, HDFS ${fmt(h.result.latency.meanMs, 1)}`,
  );
  return notes;
}
