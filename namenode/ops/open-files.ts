import type { OpenFilesBatch, OpenFilesType, OpenFile } from '../domain/open-file';
import { illegalArgument } from '../errors';
import { parsePath } from '../path/hdfs-path';
import type { Caller } from '../security/caller';
import { requireSuperuser } from '../security/superuser';
import type { OpContext } from '../tx/op-context';
import { placeInodes } from './inode-paths';

/** dfs.namenode.list.openfiles.num.responses' default: entries per batch. */
export const OPEN_FILES_PER_BATCH = 1000;

/**
 * FSNamesystem.listOpenFiles for the superuser: the files held open with
 * an inode id above `prevId`, in id order, a batch at a time, keeping those
 * at or under `path`. The lease rows give the ids, one batched lookup per
 * directory level turns them into full paths. Reads without locks: a file
 * closed meanwhile may still be listed, as in HDFS between batches.
 */
export async function listOpenFiles(ctx: OpContext, caller: Caller, prevId: number, types: readonly OpenFilesType[], path: string, limit = OPEN_FILES_PER_BATCH): Promise<OpenFilesBatch> {
  requireSuperuser(caller);
  const filter = parsePath(path);
  if (types.length > 0 && !types.includes('all')) {
    if (types.includes('blockingDecommission')) return { entries: [], hasMore: false };
    throw illegalArgument(`Unknown OpenFileType: ${types.join(',')}`);
  }
  const reads = ctx.runner.autocommitReads('listOpenFiles');
  const under = filter.text === '/' ? '' : filter.text;
  const entries: OpenFile[] = [];
  for (let after = prevId; ; ) {
    const page = await reads.run(ctx.dal.leases.findPathsAfter(after, limit));
    const files = await placeInodes(reads, page.map((p) => p.inodeId));
    for (const [i, p] of page.entries()) {
      const file = files.get(p.inodeId);
      if (file === undefined || file.row.ucClient === null) continue;
      if (under !== '' && file.path !== under && !file.path.startsWith(`${under}/`)) continue;
      entries.push({ id: p.inodeId, path: file.path, clientName: file.row.ucClient, clientMachine: file.row.ucMachine ?? '' });
      if (entries.length === limit) return { entries, hasMore: i + 1 < page.length || (await reads.run(ctx.dal.leases.findPathsAfter(p.inodeId, 1))).length > 0 };
    }
    if (page.length < limit) return { entries, hasMore: false };
    after = page[page.length - 1]?.inodeId ?? after;
  }
}
