import type { InodeKey, InodeRow, InodeType } from '../inode-row';
import type { SqlParam, SqlRow } from './sql-session';
import { decodeAcl, encodeAcl } from './acl-column';
import { bytes, nullableText, num, preparedLength, text } from './sql-values';
import { fileStatusOfRow } from '../../domain/file-status-of-row';
import { statusPartsOf, type StatusParts } from '../../wire/status-parts';

/** The inode columns every read of `inodes` selects, their decoder and the key's and row's parameters: written once. */
export const INODE_COLUMNS =
  'id, parent_id, name, type, permission, owner, group_name, mtime, atime, replication, block_size, length, storage_policy, symlink, uc_client, uc_machine, children, acl, subtree_lock_owner, has_quota, latest_snapshot, snap_epoch';

export const keyParams = (k: InodeKey): SqlParam[] => [k.parentId, bytes(k.name)];

/**
 * The parameters of a key list (parent id, name for each key), padded to a
 * prepared length when `prepare` and the list is short enough (the last
 * key again, its name's bytes shared; see preparedKeys): the keys the
 * statement text must hold, and whether it goes prepared.
 */
export function keyListParams(keys: readonly InodeKey[], prepare: boolean): { count: number; params: SqlParam[]; prepared: boolean } {
  const n = prepare ? preparedLength(keys.length) : undefined;
  const params: SqlParam[] = [];
  let name: Buffer | undefined;
  for (const k of keys) params.push(k.parentId, (name = bytes(k.name)));
  const last = keys[keys.length - 1];
  if (n === undefined || last === undefined) return { count: keys.length, params, prepared: false };
  for (let i = keys.length; i < n; i++) params.push(last.parentId, name as Buffer);
  return { count: n, params, prepared: true };
}

export const rowParams = (r: InodeRow): SqlParam[] => [
  r.parentId,
  bytes(r.name),
  r.id,
  r.type,
  r.permission,
  r.owner,
  r.group,
  r.mtime,
  r.atime,
  r.replication,
  r.blockSize,
  r.length,
  r.storagePolicy,
  r.symlink === null ? null : bytes(r.symlink),
  r.ucClient,
  r.ucMachine,
  r.children,
  encodeAcl(r.acl),
  r.snapEpoch ?? 0,
];

/** The status bytes a row's columns give (inodes.status_head / status_tail). */
export const statusBytesOf = (r: InodeRow): StatusParts => statusPartsOf(fileStatusOfRow(r, r.name));

/** rowParams and the row's status bytes (status_head, status_tail): what every write of an `inodes` row sets. */
export function inodeWriteParams(r: InodeRow): SqlParam[] {
  const parts = statusBytesOf(r);
  const p = rowParams(r);
  p.push(parts.head, parts.tail);
  return p;
}

export const toInodeRow = (r: SqlRow): InodeRow => ({
  id: num(r['id']),
  parentId: num(r['parent_id']),
  name: text(r['name']),
  type: num(r['type']) as InodeType,
  permission: num(r['permission']),
  owner: text(r['owner']),
  group: text(r['group_name']),
  mtime: num(r['mtime']),
  atime: num(r['atime']),
  replication: num(r['replication']),
  blockSize: num(r['block_size']),
  length: num(r['length']),
  storagePolicy: num(r['storage_policy']),
  symlink: nullableText(r['symlink']),
  ucClient: nullableText(r['uc_client']),
  ucMachine: nullableText(r['uc_machine']),
  children: num(r['children'] ?? 0),
  acl: decodeAcl(r['acl']),
  subtreeLockOwner: r['subtree_lock_owner'] === null || r['subtree_lock_owner'] === undefined ? null : num(r['subtree_lock_owner']),
  hasQuota: num(r['has_quota'] ?? 0) === 1,
  latestSnapshot: num(r['latest_snapshot'] ?? 0),
  snapEpoch: num(r['snap_epoch'] ?? 0),
});
