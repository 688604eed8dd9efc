import { isFile, type InodeRow } from '../dal/inode-row';
import type { LocatedBlocks } from '../domain/located-blocks';
import { parsePath } from '../path/hdfs-path';
import type { Caller } from '../security/caller';
import { liveAfter } from '../blocks/block-ops-support';
import { loadFileBlocks, locatedBlocks } from '../blocks/file-blocks';
import type { OpContext } from '../tx/op-context';
import { listingPage } from './status';

export interface LocatedListing {
  /** Each file with the locations of all its blocks; directories and symlinks without. */
  readonly entries: readonly { readonly row: InodeRow; readonly locations: LocatedBlocks | undefined }[];
  readonly remaining: number;
}

/**
 * getListing with needLocation (the client's listLocatedStatus, which
 * MapReduce's FileInputFormat splits by): one page of the directory and,
 * for every file on it, all its block locations, in the one read — as HDFS's
 * getListing answers HdfsLocatedFileStatus. Costs the blocks read per file,
 * so the server schedules it as an expensive call.
 */
export async function getLocatedListing(ctx: OpContext, caller: Caller, src: string, startAfter: string): Promise<LocatedListing | undefined> {
  const path = parsePath(src);
  return ctx.runner.read('getListing', async (r) => {
    const page = await listingPage(r, ctx, caller, path, startAfter);
    if (!page) return undefined;
    const heartbeatAfter = liveAfter(ctx, Date.now());
    const entries = await Promise.all(
      page.entries.map(async (row) => {
        if (!isFile(row)) return { row, locations: undefined };
        const fb = await loadFileBlocks(r, row.id, heartbeatAfter, row.ucClient !== null);
        return { row, locations: locatedBlocks(row, fb, 0, row.length) };
      }),
    );
    return { entries, remaining: page.remaining };
  });
}
