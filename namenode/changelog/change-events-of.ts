import { InodeType, isFile, keyOf, type InodeRow } from '../dal/inode-row';
import { TYPE_OF } from '../domain/file-status-of-row';
import type { LockedPath } from '../tx/lock-plan';
import type { InodeChanges } from '../tx/change-set';
import { ChangeKind, MetadataKind, type ChangeEvent } from '../domain/change-event';

const join = (dir: string, name: string): string => (dir === '/' ? `/${name}` : `${dir}/${name}`);

/** Every locked row's path: rows[i] of a locked path is its prefix of i + 1 components (rows[0] is the root). */
function pathBook(locked: readonly LockedPath[]): Map<number, string> {
  const book = new Map<number, string>();
  for (const lp of locked) {
    lp.rows.forEach((row, i) => {
      book.set(row.id, i === 0 ? '/' : `/${lp.path.components.slice(0, i).join('/')}`);
    });
  }
  return book;
}

const sameAcl = (a: InodeRow, b: InodeRow): boolean => JSON.stringify(a.acl) === JSON.stringify(b.acl);

/**
 * The events of one transaction, as HDFS's inotify reports them, derived
 * from the inode rows it changes (so no operation writes its own events):
 * an inserted row is a CREATE (with `overwrite` when it replaces a deleted
 * row of the same name); a deleted row an UNLINK, once for the top of a
 * deleted subtree; a row that moves a RENAME; a file that stops being
 * under construction a CLOSE, one that starts an APPEND, one that shrinks
 * a TRUNCATE; changed permission, owner, replication, ACL or times a
 * METADATA. Times count only in a transaction that adds, moves or removes
 * nothing, since those touch their directories' times implicitly (HDFS
 * logs no event for that). A row whose path the transaction cannot name
 * (below a subtree it deletes in batches) has no event: its subtree's root does.
 */
export function changeEventsOf(changes: InodeChanges, locked: readonly LockedPath[]): ChangeEvent[] {
  const book = pathBook(locked);
  const inserted = new Map(changes.inserts.map((r) => [r.id, r]));
  const deletedIds = new Set(changes.deletes.map((r) => r.id));
  const dirPath = (id: number, depth = 0): string | undefined => {
    const known = book.get(id);
    if (known !== undefined) return known;
    const row = inserted.get(id);
    if (!row || depth > 1000) return undefined;
    const parent = dirPath(row.parentId, depth + 1);
    return parent === undefined ? undefined : join(parent, row.name);
  };
  const pathOf = (r: InodeRow): string | undefined => {
    const parent = dirPath(r.parentId);
    return parent === undefined ? undefined : join(parent, r.name);
  };
  const events: ChangeEvent[] = [];
  const insertedKeys = new Set(changes.inserts.map((r) => keyOf(r)));
  const overwritten = new Set<string>();
  for (const r of changes.deletes) {
    if (deletedIds.has(r.parentId)) continue;
    if (insertedKeys.has(keyOf(r))) {
      overwritten.add(keyOf(r));
      continue;
    }
    const path = pathOf(r);
    if (path !== undefined) events.push({ kind: ChangeKind.Unlink, path, detail: { timestamp: r.mtime } });
  }
  const structural = changes.inserts.length + changes.deletes.length > 0 || changes.updates.some((u) => keyOf(u.before) !== keyOf(u.after));
  for (const { before, after } of changes.updates) {
    if (keyOf(before) !== keyOf(after)) {
      const src = pathOf(before);
      const dst = pathOf(after);
      if (src !== undefined && dst !== undefined) events.push({ kind: ChangeKind.Rename, path: src, dstPath: dst, detail: { timestamp: after.mtime } });
      continue;
    }
    const path = pathOf(after);
    if (path === undefined) continue;
    events.push(...updateEvents(path, before, after, structural));
  }
  for (const r of changes.inserts) {
    const path = pathOf(r);
    if (path === undefined) continue;
    events.push({
      kind: ChangeKind.Create,
      path,
      detail: {
        inodeType: TYPE_OF[r.type],
        timestamp: r.mtime,
        replication: r.replication,
        owner: r.owner,
        group: r.group,
        permission: r.permission,
        blockSize: r.blockSize,
        overwrite: overwritten.has(keyOf(r)),
        ...(r.type === InodeType.Symlink && r.symlink !== null ? { symlinkTarget: r.symlink } : {}),
      },
    });
  }
  return [...events, ...changes.notes];
}

function updateEvents(path: string, before: InodeRow, after: InodeRow, structural: boolean): ChangeEvent[] {
  const out: ChangeEvent[] = [];
  const meta = (metadataKind: MetadataKind, extra: ChangeEvent['detail']) => out.push({ kind: ChangeKind.Metadata, path, detail: { metadataKind, inodeType: TYPE_OF[after.type], ...extra } });
  if (isFile(after) && before.ucClient === null && after.ucClient !== null) out.push({ kind: ChangeKind.Append, path, detail: {} });
  if (isFile(after) && before.ucClient !== null && after.ucClient === null) out.push({ kind: ChangeKind.Close, path, detail: { size: after.length, timestamp: after.mtime } });
  else if (isFile(after) && after.length < before.length) out.push({ kind: ChangeKind.Truncate, path, detail: { size: after.length, timestamp: after.mtime } });
  if (before.permission !== after.permission) meta(MetadataKind.Perms, { permission: after.permission });
  if (before.owner !== after.owner || before.group !== after.group) meta(MetadataKind.Owner, { owner: after.owner, group: after.group });
  if (before.replication !== after.replication && isFile(after)) meta(MetadataKind.Replication, { replication: after.replication });
  // The entries the row keeps (named and default ones; owner, mask and other are its permission bits); none once removed, as HDFS logs.
  if (!sameAcl(before, after)) meta(MetadataKind.Acls, { acl: after.acl ?? [] });
  const timesOnly = !structural && out.length === 0 && before.ucClient === after.ucClient && before.length === after.length;
  if (timesOnly && (before.mtime !== after.mtime || before.atime !== after.atime)) meta(MetadataKind.Times, { mtime: after.mtime, atime: after.atime });
  return out;
}
