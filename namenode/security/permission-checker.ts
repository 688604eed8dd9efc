import { InodeType, type InodeRow } from '../dal/inode-row';
import { accessDenied } from '../errors';
import type { Caller } from './caller';
import { AclScope, AclType, type AclEntry } from '../domain/acl';
import { hasAccessAcl } from './acl-storage';

/** Hadoop's FsAction: bit 4 read, 2 write, 1 execute. */
export enum FsAction {
  NONE = 0,
  EXECUTE = 1,
  WRITE = 2,
  WRITE_EXECUTE = 3,
  READ = 4,
  READ_EXECUTE = 5,
  READ_WRITE = 6,
  ALL = 7,
}

export const STICKY_BIT = 0o1000;

const SYMBOL = ['---', '--x', '-w-', '-wx', 'r--', 'r-x', 'rw-', 'rwx'];

/** `drwxr-xr-t` as in Hadoop's messages and `ls -l`. */
export function modeString(row: Pick<InodeRow, 'type' | 'permission'>): string {
  const p = row.permission;
  const other = SYMBOL[p & 7] as string;
  const sticky = (p & STICKY_BIT) !== 0;
  const otherShown = sticky ? other.slice(0, 2) + ((p & 1) !== 0 ? 't' : 'T') : other;
  const kind = row.type === InodeType.Directory ? 'd' : row.type === InodeType.Symlink ? 'l' : '-';
  return kind + SYMBOL[(p >> 6) & 7] + SYMBOL[(p >> 3) & 7] + otherShown;
}

const implies = (granted: number, action: FsAction): boolean => (granted & action) === action;

/** Without an access ACL: owner's bits, else group's, else other's. */
function permittedByBits(caller: Caller, row: InodeRow, action: FsAction): boolean {
  if (row.owner === caller.user) return implies((row.permission >> 6) & 7, action);
  if (caller.groups.includes(row.group)) return implies((row.permission >> 3) & 7, action);
  return implies(row.permission & 7, action);
}

/**
 * FSPermissionChecker.hasAclPermission: the owner's bits; else a named user
 * entry through the mask (the group bits); else any group entry (owning or
 * named) the caller is in, through the mask, one that grants being enough;
 * else, only if no entry matched, other's bits.
 */
function permittedByAcl(caller: Caller, row: InodeRow, acl: readonly AclEntry[], action: FsAction): boolean {
  const mask = (row.permission >> 3) & 7;
  if (row.owner === caller.user) return implies((row.permission >> 6) & 7, action);
  let matched = false;
  for (const e of acl) {
    if (e.scope !== AclScope.Access) break;
    if (e.type === AclType.User && e.name === caller.user) return implies(e.permission & mask, action);
    if (e.type === AclType.Group && caller.groups.includes(e.name ?? row.group)) {
      if (implies(e.permission & mask, action)) return true;
      matched = true;
    }
  }
  return !matched && implies(row.permission & 7, action);
}

/** HDFS marks a denial decided by an ACL with a `+` after the mode. */
export function denial(caller: Caller, action: FsAction, row: InodeRow, pathText: string): Error {
  return accessDenied(
    `Permission denied: user=${caller.user}, access=${FsAction[action]}, inode="${pathText}":${row.owner}:${row.group}:${modeString(row)}${hasAccessAcl(row) ? '+' : ''}`,
  );
}

export function hasAccess(caller: Caller, row: InodeRow, action: FsAction): boolean {
  if (caller.isSuperuser) return true;
  return row.acl !== null && hasAccessAcl(row) ? permittedByAcl(caller, row, row.acl, action) : permittedByBits(caller, row, action);
}

/** Throws AccessControlException unless `caller` may do `action` on `row`. */
export function checkAccess(caller: Caller, row: InodeRow, action: FsAction, pathText: string): void {
  if (!hasAccess(caller, row, action)) throw denial(caller, action, row, pathText);
}

/** EXECUTE on every directory above the target (rows[0..upTo)). */
export function checkTraverse(caller: Caller, rows: readonly InodeRow[], upTo: number, prefix: (d: number) => string): void {
  if (caller.isSuperuser) return;
  for (let d = 0; d < upTo && d < rows.length; d++) {
    const row = rows[d] as InodeRow;
    if (row.type === InodeType.Directory) checkAccess(caller, row, FsAction.EXECUTE, prefix(d));
  }
}

export function checkOwner(caller: Caller, row: InodeRow, pathText: string): void {
  if (caller.isSuperuser || row.owner === caller.user) return;
  throw accessDenied(`Permission denied. user=${caller.user} is not the owner of inode=${pathText}`);
}

/**
 * In a sticky directory only the owner of the entry, the owner of the
 * directory or the superuser may delete or rename the entry.
 */
export function checkStickyBit(caller: Caller, parent: InodeRow, child: InodeRow, childPath: string): void {
  if (caller.isSuperuser || (parent.permission & STICKY_BIT) === 0) return;
  if (parent.owner === caller.user || child.owner === caller.user) return;
  throw accessDenied(
    `Permission denied by sticky bit: user=${caller.user}, path="${childPath}":${child.owner}:${child.group}:${modeString(child)}, parent="${childPath.slice(0, childPath.lastIndexOf('/')) || '/'}":${parent.owner}:${parent.group}:${modeString(parent)}`,
  );
}
