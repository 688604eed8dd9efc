import type { FileStatus } from './file-status';
import type { LocatedBlocks } from './located-blocks';

/** One page of a directory with each file's block locations (HDFS's HdfsLocatedFileStatus entries). */
export interface LocatedDirectoryListing {
  readonly entries: readonly { readonly status: FileStatus; readonly locations: LocatedBlocks | undefined }[];
  /** Entries after this page. */
  readonly remaining: number;
}
