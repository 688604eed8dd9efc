/**
 * What the data section moves, and what the HDFS peer is given the same of
 * (peer-data.ts): one big file per replication factor, then small files
 * from concurrent writers.
 */
export const BIG_FILE_BLOCK = 128 * 1024 * 1024;
export const SMALL_FILE_BYTES = 4096;
export const DATANODES = 3;
/** Rounds of the big file's write and read per replication factor; the table shows their medians. */
export const DATA_ROUNDS = 3;
/**
 * One unmeasured round first: the datanode processes are fresh, and their first round ran slowest
 * in every full run (r=3 writes 43 / 89 / 129 MiB/s, 124 / 139 / 206), as the nnbench rows'
 * unmeasured --warmup-seconds pass keeps their JIT's first seconds out too.
 */
export const DATA_WARMUP_ROUNDS = 1;
export const SMALL_FILE_WRITERS = 16;
/** Enough for a few seconds at the target rate; --small-files (300) is too few to time. */
export const SMALL_FILES_TIMED = 2000;
/**
 * Files written first, not counted: the namenode's JIT keeps compiling the block
 * path (addBlock, reports, complete) for thousands of files. Four rounds of 1,500
 * after 300 cost it 5,127, 4,187, 3,353 and 3,273 µs of CPU per file
 * (bench/README.md, *JIT warm-up of the write path*).
 */
export const SMALL_FILES_WARMUP = 3000;

/** The big file's rounds, as the data client takes them (runDataClient). */
export const bigFileRounds = (mib: number) =>
  ({ bytes: mib * 1024 * 1024, blockSize: BIG_FILE_BLOCK, replications: [1, DATANODES], warmup: DATA_WARMUP_ROUNDS, rounds: DATA_ROUNDS }) as const;

/** The small files, as the small-files client takes them (SmallFilesClient). */
export const SMALL_FILES_RUN = { files: SMALL_FILES_TIMED, threads: SMALL_FILE_WRITERS, bytes: SMALL_FILE_BYTES, replication: DATANODES, warmupFiles: SMALL_FILES_WARMUP } as const;
