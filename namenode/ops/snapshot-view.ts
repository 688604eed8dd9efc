import { isDirectory, isSnapshottable, type InodeRow } from '../dal/inode-row';
import type { SnapshotRow } from '../dal/snapshot-repository';
import { DOT_SNAPSHOT } from '../path/dot-snapshot';
import { parsePath, type HdfsPath } from '../path/hdfs-path';
import type { Caller } from '../security/caller';
import { checkAccess, FsAction } from '../security/permission-checker';
import type { ReadContext } from '../tx/transaction-runner';
import type { QueryRunner } from '../tx/tx-contexts';
import { resolveTargetRows } from './resolve-target';

/**
 * Where a path through `.snapshot` lands (namenode/snapshot/README.md):
 * the `.snapshot` directory of a snapshottable directory itself, or a path
 * inside one of its snapshots — that inode's row as the snapshot saw it
 * (undefined: it was not there).
 */
export type SnapshotTarget =
  | { readonly kind: 'snapshots'; readonly dir: InodeRow; readonly snapshots: readonly SnapshotRow[] }
  | { readonly kind: 'inSnapshot'; readonly snapshot: SnapshotRow; readonly target: InodeRow | undefined };

/**
 * Each inode's state in snapshot `s`, by the one rule: its version with the
 * smallest snapshot id at or after `s` (a tombstone: absent), else its
 * current row (`current`, or read by id).
 */
export async function statesAt(r: QueryRunner, ids: readonly number[], s: number, current: ReadonlyMap<number, InodeRow>): Promise<Map<number, InodeRow | undefined>> {
  const out = new Map<number, InodeRow | undefined>();
  if (ids.length === 0) return out;
  for (const v of await r.run(r.dal.inodeVersions.findByInodesFrom(ids, s))) if (!out.has(v.inodeId)) out.set(v.inodeId, v.row);
  const unread = ids.filter((id) => !out.has(id) && !current.has(id));
  const rows = unread.length === 0 ? [] : await r.run(r.dal.inodes.findByIdBatched(unread, 'none'));
  const byId = new Map([...current, ...rows.map((row) => [row.id, row] as const)]);
  for (const id of ids) if (!out.has(id)) out.set(id, byId.get(id));
  return out;
}

/** The child `name` of directory `parentId` in snapshot `s`. */
async function childAt(r: QueryRunner, parentId: number, name: string, s: number): Promise<InodeRow | undefined> {
  const [now, moved] = await r.runAll([r.dal.inodes.findByPkBatched([{ parentId, name }], 'none'), r.dal.inodeVersions.findInodeIdsByParentFrom(parentId, name, s)]);
  const states = await statesAt(r, [...new Set([...now.map((x) => x.id), ...moved])], s, new Map(now.map((x) => [x.id, x])));
  return [...states.values()].find((x) => x !== undefined && x.parentId === parentId && x.name === name);
}

/** The children of directory `parentId` in snapshot `s`, by name bytes (HDFS's listing order). */
export async function childrenAt(r: QueryRunner, parentId: number, s: number, limit: number): Promise<InodeRow[]> {
  const [now, moved] = await r.runAll([r.dal.inodes.findChildrenByParent(parentId, '', limit), r.dal.inodeVersions.findInodeIdsByParentFrom(parentId, undefined, s)]);
  const states = await statesAt(r, [...new Set([...now.map((x) => x.id), ...moved])], s, new Map(now.map((x) => [x.id, x])));
  return [...states.values()]
    .filter((x): x is InodeRow => x !== undefined && x.parentId === parentId)
    .sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
}

/**
 * Resolves a path through `.snapshot` under a snapshottable directory;
 * undefined when the path has no such component there (it is then an
 * ordinary path). Checks traverse on the way as an ordinary read does.
 */
export async function locateInSnapshot(r: ReadContext, caller: Caller, path: HdfsPath): Promise<SnapshotTarget | undefined> {
  const at = path.components.indexOf(DOT_SNAPSHOT);
  if (at < 0) return undefined;
  const dirPath = parsePath(`/${path.components.slice(0, at).join('/')}`);
  const { target: dir } = await resolveTargetRows(r, caller, dirPath);
  if (!dir || !isDirectory(dir) || !isSnapshottable(dir)) return undefined;
  const snapshots = await r.run(r.dal.snapshots.findSnapshotsByDirsBatched([dir.id], 'none'));
  const name = path.components[at + 1];
  if (name === undefined) return { kind: 'snapshots', dir, snapshots };
  const snapshot = snapshots.find((x) => x.name === name);
  if (!snapshot) return { kind: 'inSnapshot', snapshot: { dirId: dir.id, name, snapshotId: 0, createdAt: 0 }, target: undefined };
  const s = snapshot.snapshotId;
  // The snapshot's root is the directory as it was, named for the snapshot and timed when it was taken.
  const rootState = (await statesAt(r, [dir.id], s, new Map([[dir.id, dir]]))).get(dir.id) ?? dir;
  let node: InodeRow | undefined = { ...rootState, name, mtime: snapshot.createdAt };
  for (const component of path.components.slice(at + 2)) {
    if (!node || !isDirectory(node)) return { kind: 'inSnapshot', snapshot, target: undefined };
    checkAccess(caller, node, FsAction.EXECUTE, path.text);
    node = await childAt(r, node.id, component, s);
  }
  return { kind: 'inSnapshot', snapshot, target: node };
}

/**
 * The row a read of `path` answers from (getXAttrs, getAclStatus): as its
 * snapshot saw it for a path through `.snapshot` (the `.snapshot` directory
 * itself answers as its directory), else the current row.
 */
export async function resolveReadTarget(r: ReadContext, caller: Caller, path: HdfsPath): Promise<InodeRow | undefined> {
  return (await resolveReadTargetAt(r, caller, path)).target;
}

/**
 * resolveReadTarget, and the snapshot it was read in (undefined: the current
 * tree) — what getXAttrs reads the xattrs at; in the current tree also the
 * rows the path resolved to (root first), for a read that must check them
 * again in its own statement.
 */
export async function resolveReadTargetAt(
  r: ReadContext,
  caller: Caller,
  path: HdfsPath,
): Promise<{ target: InodeRow | undefined; snapshotId: number | undefined; rows?: readonly InodeRow[] }> {
  const at = path.components.includes(DOT_SNAPSHOT) ? await locateInSnapshot(r, caller, path) : undefined;
  if (!at) {
    const { target, rows } = await resolveTargetRows(r, caller, path);
    return { target, snapshotId: undefined, rows };
  }
  return at.kind === 'snapshots' ? { target: at.dir, snapshotId: undefined } : { target: at.target, snapshotId: at.snapshot.snapshotId };
}
