import { fileStatusOfRow } from '../domain/file-status-of-row';
import type { SnapshotStatus, SnapshottableDirectoryStatus } from '../domain/snapshot-status';
import { placeInodes } from './inode-paths';
import { resolveTargetRows } from './resolve-target';
import { parsePath } from '../path/hdfs-path';
import type { Caller } from '../security/caller';
import { checkAccess, FsAction } from '../security/permission-checker';
import type { OpContext } from '../tx/op-context';
import { snapshottableRoot } from './snapshottable-target';

const parentOfPath = (path: string): string => (path === '/' ? '' : path.slice(0, path.lastIndexOf('/')) || '/');

/** SnapshottableDirectoryStatus.COMPARATOR: by parent path, then name, as bytes. */
const byPlace = (a: SnapshottableDirectoryStatus, b: SnapshottableDirectoryStatus): number =>
  Buffer.compare(Buffer.from(a.parentFullPath), Buffer.from(b.parentFullPath)) || Buffer.compare(Buffer.from(a.dir.name), Buffer.from(b.dir.name));

/**
 * SnapshotManager.getSnapshottableDirListing: every snapshottable directory
 * for the superuser, the caller's own for anyone else; undefined when the
 * namespace has none (HDFS answers null).
 */
export async function getSnapshottableDirListing(ctx: OpContext, caller: Caller): Promise<SnapshottableDirectoryStatus[] | undefined> {
  return ctx.runner.read('getSnapshottableDirListing', async (r) => {
    const all = await r.run(r.dal.snapshots.findAllSnapshottable('none'));
    if (all.length === 0) return undefined;
    const ids = all.map((s) => s.dirId);
    const [placed, snapshots] = await Promise.all([placeInodes(r, ids), r.run(r.dal.snapshots.findSnapshotsByDirsBatched(ids, 'none'))]);
    const out: SnapshottableDirectoryStatus[] = [];
    for (const s of all) {
      const dir = placed.get(s.dirId);
      if (!dir || (!caller.isSuperuser && dir.row.owner !== caller.user)) continue;
      out.push({
        dir: { ...fileStatusOfRow(dir.row, dir.row.name), childrenNum: dir.row.children },
        snapshotNumber: snapshots.filter((x) => x.dirId === s.dirId).length,
        snapshotQuota: s.snapshotQuota,
        parentFullPath: parentOfPath(dir.path),
      });
    }
    return out.sort(byPlace);
  });
}

/** SnapshotManager.getSnapshotListing: the directory's snapshots by name, each as a directory named for it. */
export async function getSnapshotListing(ctx: OpContext, caller: Caller, root: string): Promise<SnapshotStatus[]> {
  const path = parsePath(root);
  return ctx.runner.read('getSnapshotListing', async (r) => {
    const resolved = await resolveTargetRows(r, caller, path);
    if (resolved.target) checkAccess(caller, resolved.target, FsAction.READ, path.text);
    const { dir, snapshots } = await snapshottableRoot(r, caller, resolved, path, 'none', false);
    return snapshots.map((s) => ({
      dir: { ...fileStatusOfRow(dir, s.name), mtime: s.createdAt, childrenNum: dir.children },
      snapshotId: s.snapshotId,
      parentFullPath: path.text,
      isDeleted: false,
    }));
  });
}
