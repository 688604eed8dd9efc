/** One file held open for writing, as ClientProtocol.listOpenFiles lists it (HDFS's OpenFileEntry). */
export interface OpenFile {
  /** The inode id: the cursor of the next batch. */
  readonly id: number;
  readonly path: string;
  readonly clientName: string;
  readonly clientMachine: string;
}

/** OpenFilesIterator.OpenFilesType. nnfleet does not decommission, so no file ever blocks a decommission. */
export type OpenFilesType = 'all' | 'blockingDecommission';

export interface OpenFilesBatch {
  readonly entries: readonly OpenFile[];
  readonly hasMore: boolean;
}
