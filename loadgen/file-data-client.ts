import type { NamenodeClient } from '../protocol/client/namenode-client';

/**
 * Reading and writing whole files, the way a load generator's "read" and
 * "write" operations need them: real bytes through datanodes
 * (`data/dtp-file-data-client.ts`), or the namenode's part alone (below),
 * without the modes knowing which.
 */
export interface FileDataClient {
  /** One line for reports: what a read or a write really did. */
  readonly description: string;
  /** Open and read the whole file; resolves to the bytes read. */
  readFile(client: NamenodeClient, path: string): Promise<number>;
  /** Create, write `bytes` bytes, close. */
  writeFile(client: NamenodeClient, path: string, bytes: number): Promise<void>;
}

export const METADATA_ONLY_DESCRIPTION =
  'metadata only: a read is getBlockLocations (open), a write is create + complete of an empty file; ' +
  'no bytes move to or from datanodes';

/**
 * The namenode's part only: a read is getBlockLocations, exactly what
 * NNThroughputBenchmark's "open" measures; a write is create + complete
 * with no blocks. For metadata benchmarks, and fleets without datanodes.
 */
export class MetadataOnlyFileDataClient implements FileDataClient {
  readonly description = METADATA_ONLY_DESCRIPTION;

  async readFile(client: NamenodeClient, path: string): Promise<number> {
    await client.getBlockLocations(path);
    return 0;
  }

  async writeFile(client: NamenodeClient, path: string, _bytes: number): Promise<void> {
    await client.create(path, { overwrite: true });
    await client.complete(path);
  }
}
