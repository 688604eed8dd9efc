import { ROOT_INODE_ID } from '../../schema/tables';
import type { InodeRow } from '../dal/inode-row';
import type { OpenFilesBatch, OpenFilesType, OpenFile } from '../domain/open-file';
import { illegalArgument } from '../errors';
import { parsePath } from '../path/hdfs-path';
import type { Caller } from '../security/caller';
import { requireSuperuser } from '../security/superuser';
import type { OpContext } from '../tx/op-context';
import type { QueryRunner } from '../tx/tx-contexts';

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
    const files = await fullPaths(reads, page.map((p) => p.inodeId));
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

/** Each inode with its full path, its ancestors read a level at a time for all of them together. */
async function fullPaths(reads: QueryRunner, ids: readonly number[]): Promise<Map<number, { row: InodeRow; path: string }>> {
  const rows = new Map<number, InodeRow>();
  for (let wanted = [...new Set(ids)]; wanted.length > 0; ) {
    const found = await reads.run(reads.dal.inodes.findByIdBatched(wanted, 'none'));
    for (const r of found) rows.set(r.id, r);
    wanted = [...new Set(found.filter((r) => r.id !== ROOT_INODE_ID).map((r) => r.parentId))].filter((id) => !rows.has(id));
  }
  // Undefined when the walk does not reach the root (a row deleted between two reads).
  const pathOf = (id: number): string | undefined => {
    const names: string[] = [];
    let r = rows.get(id);
    for (; r !== undefined && r.id !== ROOT_INODE_ID; r = rows.get(r.parentId)) names.unshift(r.name);
    return r === undefined ? undefined : `/${names.join('/')}`;
  };
  const out = new Map<number, { row: InodeRow; path: string }>();
  for (const id of ids) {
    const row = rows.get(id);
    const path = pathOf(id);
    if (row !== undefined && path !== undefined) out.set(id, { row, path });
  }
  return out;
}
