import { isDirectory, type InodeRow } from '../dal/inode-row';
import { snapshotError } from '../errors';
import { parsePath } from '../path/hdfs-path';
import type { Caller } from '../security/caller';
import { checkAccess, FsAction } from '../security/permission-checker';
import type { OpContext } from '../tx/op-context';
import type { ReadContext } from '../tx/transaction-runner';
import type { QueryRunner } from '../tx/tx-contexts';
import { resolveTargetRows } from './resolve-target';
import { statesAt } from './snapshot-view';
import { xattrsAt, xattrShape } from './snapshot-xattrs';
import { FIRST_PAGE, pageOf, sortedPage, type DiffCursor } from './snapshot-diff-pages';
import { snapshottableRoot } from './snapshottable-target';
import type { DiffEntry, DiffListing } from '../domain/snapshot-diff';

/** The current tree, as a snapshot id later than every snapshot. */
const NOW = Number.MAX_SAFE_INTEGER;

/** What a snapshot diff compares of a row (HDFS's metadata and content; not access time nor snapshot bookkeeping). */
const shape = (x: InodeRow, isRoot: boolean) =>
  JSON.stringify([x.permission, x.owner, x.group, isRoot ? 0 : x.mtime, x.replication, x.length, x.storagePolicy, x.symlink, x.acl]);

/**
 * Each inode's path below the root in snapshot `s` (undefined: not beneath
 * it), walking parents one batched level at a time, as that snapshot saw them.
 */
async function pathsAt(r: QueryRunner, rootId: number, states: ReadonlyMap<number, InodeRow | undefined>, s: number): Promise<Map<number, string | undefined>> {
  const known = new Map<number, InodeRow | undefined>(states);
  const chains = new Map<number, string[]>();
  const heads = new Map<number, number>(); // inode -> the ancestor its walk has reached
  const out = new Map<number, string | undefined>();
  for (const [id, row] of states) {
    if (id === rootId) out.set(id, '');
    else if (!row) out.set(id, undefined);
    else {
      chains.set(id, [row.name]);
      heads.set(id, row.parentId);
    }
  }
  while (heads.size > 0) {
    const unknown = [...new Set([...heads.values()].filter((p) => p !== rootId && !known.has(p)))];
    for (const [id, row] of await statesAt(r, unknown, s, new Map())) known.set(id, row);
    for (const [id, head] of [...heads]) {
      if (head === rootId) {
        out.set(id, (chains.get(id) ?? []).reverse().join('/'));
        heads.delete(id);
        continue;
      }
      const parent = known.get(head);
      if (!parent || parent.id === parent.parentId) {
        out.set(id, undefined);
        heads.delete(id);
        continue;
      }
      chains.get(id)?.push(parent.name);
      heads.set(id, parent.parentId);
    }
  }
  return out;
}

const byPath = (p: { path: string }, q: { path: string }) => Buffer.compare(Buffer.from(p.path), Buffer.from(q.path));

/**
 * The changes between the earlier snapshot `a` and the later `b` (NOW: the
 * current tree), from the inodes with a version in `[a, b)` — the cost
 * follows the changes, not the tree (namenode/snapshot/README.md).
 */
async function diffBetween(r: QueryRunner, root: InodeRow, a: number, b: number): Promise<DiffListing> {
  const ids = await r.run(r.dal.inodeVersions.findInodeIdsBetween(a, b === NOW ? undefined : b));
  const [atA, atB] = await Promise.all([statesAt(r, [...new Set([...ids, root.id])], a, new Map()), statesAt(r, ids, b, new Map())]);
  const [pathA, pathB] = await Promise.all([pathsAt(r, root.id, atA, a), pathsAt(r, root.id, atB, b)]);
  // A created or deleted entry is reported once, at the top of what appeared or went: not beneath another such entry.
  const created = new Set(ids.filter((id) => pathA.get(id) === undefined && pathB.get(id) !== undefined));
  const deleted = new Set(ids.filter((id) => pathA.get(id) !== undefined && pathB.get(id) === undefined));
  // An xattr change is a modification (HDFS's XAttrFeature is part of the inode's snapshot copy).
  const kept = ids.filter((id) => atA.get(id) && atB.get(id));
  const [xattrsA, xattrsB] = [await xattrsAt(r, kept, a), await xattrsAt(r, kept, b === NOW ? undefined : b)];
  const out: DiffListing = { modified: [], created: [], deleted: [] };
  const changedDirs = new Map<number, string>(); // directories whose children changed, by id, at their earlier path
  const modified = new Set<number>();
  const dirPath = (dirId: number, path: string) => (dirId === root.id ? '' : path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '');
  for (const id of ids) {
    const [x, y, pa, pb] = [atA.get(id), atB.get(id), pathA.get(id), pathB.get(id)];
    if (created.has(id)) {
      if (!y || created.has(y.parentId)) continue;
      out.created.push({ dirId: y.parentId, fileId: id, path: pb ?? '', isReference: false });
      changedDirs.set(y.parentId, pathA.get(y.parentId) ?? dirPath(y.parentId, pb ?? ''));
    } else if (deleted.has(id)) {
      if (!x || deleted.has(x.parentId)) continue;
      out.deleted.push({ dirId: x.parentId, fileId: id, path: pa ?? '', isReference: false });
      changedDirs.set(x.parentId, dirPath(x.parentId, pa ?? ''));
    } else if (x && y && pa !== undefined && pb !== undefined) {
      const isRoot = id === root.id;
      const xattrsChanged = xattrShape(xattrsA.get(id)) !== xattrShape(xattrsB.get(id));
      if (shape(x, isRoot) !== shape(y, isRoot) || (isDirectory(x) && x.children !== y.children) || xattrsChanged) {
        modified.add(id);
        out.modified.push({ dirId: isDirectory(x) ? id : x.parentId, fileId: id, path: pa, isReference: isDirectory(x) });
      }
      if (pa !== pb) {
        out.deleted.push({ dirId: x.parentId, fileId: id, path: pa, isReference: true, target: pb });
        out.created.push({ dirId: y.parentId, fileId: id, path: pb, isReference: true });
        changedDirs.set(x.parentId, dirPath(x.parentId, pa));
        changedDirs.set(y.parentId, pathA.get(y.parentId) ?? dirPath(y.parentId, pb));
      }
    }
  }
  // A directory whose children changed is modified even when its own row was not copied (a rename keeps the count).
  for (const [dirId, path] of changedDirs) if (!modified.has(dirId)) out.modified.push({ dirId, fileId: dirId, path, isReference: true });
  for (const list of [out.modified, out.created, out.deleted]) list.sort(byPath);
  return out;
}

/**
 * SnapshotDiffReportGenerator: the flat report of a listing — each modified
 * entry, then under a modified directory its created children and its
 * deleted ones (a renamed child as R), labels turned round when the report
 * runs from the later snapshot to the earlier.
 */
export function reportOf(listing: DiffListing, isFromEarlier: boolean): DiffEntry[] {
  const renamed = new Map(listing.deleted.filter((e) => e.isReference).map((e) => [e.fileId, e]));
  const out: DiffEntry[] = [];
  for (const m of listing.modified) {
    out.push({ label: 'M', source: m.path });
    if (!m.isReference) continue;
    for (const c of listing.created) if (c.dirId === m.dirId && !renamed.has(c.fileId)) out.push({ label: isFromEarlier ? '+' : '-', source: c.path });
    for (const d of listing.deleted) {
      if (d.dirId !== m.dirId) continue;
      if (d.isReference && d.target !== undefined) out.push(isFromEarlier ? { label: 'R', source: d.path, target: d.target } : { label: 'R', source: d.target, target: d.path });
      else out.push({ label: isFromEarlier ? '-' : '+', source: d.path });
    }
  }
  return out;
}

/** Which snapshots a diff compares, earlier first, and whether the caller named them that way round; undefined: nothing to compare. */
async function diffRange(
  r: ReadContext,
  caller: Caller,
  root: string,
  from: string,
  to: string,
): Promise<{ dir: InodeRow; a: number; b: number; isFromEarlier: boolean } | undefined> {
  const path = parsePath(root);
  const resolved = await resolveTargetRows(r, caller, path);
  if (resolved.target) checkAccess(caller, resolved.target, FsAction.READ, path.text);
  const { dir, snapshots } = await snapshottableRoot(r, caller, resolved, path, 'none', false);
  if (!from && !to) return undefined;
  const idOf = (name: string) => {
    if (!name) return NOW;
    const s = snapshots.find((x) => x.name === name);
    if (!s) throw snapshotError(`Cannot find the snapshot of directory ${path.text} with name ${name}`);
    return s.snapshotId;
  };
  const [f, t] = [idOf(from), idOf(to)];
  return f === t ? undefined : { dir, a: Math.min(f, t), b: Math.max(f, t), isFromEarlier: f < t };
}

/**
 * FSDirSnapshotOp.getSnapshotDiffReportListing, the form DistCp and `hdfs
 * snapshotDiff` page through: the three lists from the earlier snapshot to
 * the later, at most dfs.namenode.snapshotdiff.listing.limit entries from
 * the cursor on, and the cursor of the next page (FIRST_PAGE: the last).
 * Each page computes the diff again (its cost follows the changes), as
 * HDFS walks its diff lists again from the cursor.
 */
export async function getSnapshotDiffReportListing(
  ctx: OpContext,
  caller: Caller,
  root: string,
  from: string,
  to: string,
  cursor: DiffCursor = FIRST_PAGE,
): Promise<DiffListing & { isFromEarlier: boolean; next: DiffCursor }> {
  return ctx.runner.read('getSnapshotDiffReportListing', async (r) => {
    const range = await diffRange(r, caller, root, from, to);
    if (!range) return { modified: [], created: [], deleted: [], isFromEarlier: true, next: FIRST_PAGE };
    const { page, next } = pageOf(await diffBetween(r, range.dir, range.a, range.b), cursor, ctx.config.snapshotDiffListingLimit);
    return { ...sortedPage(page), isFromEarlier: range.isFromEarlier, next };
  });
}

/**
 * FSDirSnapshotOp.getSnapshotDiffReport: the changes from snapshot `from`
 * to `to` of a snapshottable directory; an empty name is the current tree.
 */
export async function getSnapshotDiffReport(ctx: OpContext, caller: Caller, root: string, from: string, to: string): Promise<DiffEntry[]> {
  return ctx.runner.read('getSnapshotDiffReport', async (r) => {
    const range = await diffRange(r, caller, root, from, to);
    return range ? reportOf(await diffBetween(r, range.dir, range.a, range.b), range.isFromEarlier) : [];
  });
}
