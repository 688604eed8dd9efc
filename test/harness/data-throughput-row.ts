import type { DataThroughputRow } from '../../loadgen/data-throughput';

const MiB = 1024 * 1024;

/** A 256 MiB file's round (128 MiB blocks) at these rates, for tests of what is made of data rows. */
export const throughputRow = (replication: number, writeMiBps: number, readMiBps: number): DataThroughputRow => ({
  replication,
  bytes: 256 * MiB,
  blockSize: 128 * MiB,
  writeSeconds: 256 / writeMiBps,
  readSeconds: 256 / readMiBps,
  writeMiBps,
  readMiBps,
});
