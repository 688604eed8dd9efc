import { AclScope, AclType, type AclEntry } from '../domain/acl';
import { isDirectory, isFile, type InodeRow } from '../dal/inode-row';
import { aclError } from '../errors';

/**
 * Hadoop's AclStorage: how a logical ACL lives on an inode row. The owner
 * and other entries are the permission's user and other bits; with an
 * extended access ACL the group bits hold the mask (so chmod changes the
 * mask, as POSIX wants), and the row's `acl` holds the rest: the named
 * users, the owning group, the named groups, and every default entry.
 * A row without an ACL has `acl` null and costs nothing more to read.
 */

const STICKY = 0o1000;
const bits = (p: number, shift: number): number => (p >> shift) & 7;
const entry = (scope: AclScope, type: AclType, permission: number, name?: string): AclEntry => ({ scope, type, name, permission });

/** The three entries the permission bits stand for. */
export const minimalAcl = (permission: number): AclEntry[] => [
  entry(AclScope.Access, AclType.User, bits(permission, 6)),
  entry(AclScope.Access, AclType.Group, bits(permission, 3)),
  entry(AclScope.Access, AclType.Other, bits(permission, 0)),
];

const isMinimal = (entries: readonly AclEntry[]): boolean => entries.length === 3;

/** The row has named or group entries of its own to enforce (not only a default ACL). */
export const hasAccessAcl = (row: Pick<InodeRow, 'acl'>): boolean => row.acl?.[0]?.scope === AclScope.Access;

/** readINodeLogicalAcl: the full ACL, entries from the row and from the permission bits. */
export function logicalAcl(row: InodeRow): AclEntry[] {
  const stored = row.acl ?? [];
  const access = stored.filter((e) => e.scope === AclScope.Access);
  const defaults = stored.filter((e) => e.scope === AclScope.Default);
  if (access.length === 0) return [...minimalAcl(row.permission), ...defaults];
  return [
    entry(AclScope.Access, AclType.User, bits(row.permission, 6)),
    ...access,
    entry(AclScope.Access, AclType.Mask, bits(row.permission, 3)),
    entry(AclScope.Access, AclType.Other, bits(row.permission, 0)),
    ...defaults,
  ];
}

const permissionOf = (user: number, group: number, other: number, old: number): number => (old & STICKY) | (user << 6) | (group << 3) | other;

/** What the row keeps of an extended ACL: its access entries but owner, mask and other; all defaults. */
function storedEntries(access: readonly AclEntry[], defaults: readonly AclEntry[]): AclEntry[] {
  return [...(isMinimal(access) ? [] : access.slice(1, access.length - 2)), ...defaults];
}

/** First entry and last two of a sorted access ACL: owner, then mask (or group) and other. */
function permissionForAccess(access: readonly AclEntry[], old: number): number {
  const [first, groupOrMask, other] = [access[0], access[access.length - 2], access[access.length - 1]];
  return permissionOf(first?.permission ?? 0, groupOrMask?.permission ?? 0, other?.permission ?? 0, old);
}

/** updateINodeAcl: the row holding `acl` (a full, sorted, validated ACL). */
export function withAcl(row: InodeRow, acl: readonly AclEntry[]): InodeRow {
  if (isMinimal(acl)) return { ...row, acl: null, permission: permissionForAccess(acl, row.permission) };
  const access = acl.filter((e) => e.scope === AclScope.Access);
  const defaults = acl.filter((e) => e.scope === AclScope.Default);
  if (defaults.length > 0 && !isDirectory(row)) throw aclError('Invalid ACL: only directories may have a default ACL.');
  return { ...row, acl: storedEntries(access, defaults), permission: permissionForAccess(access, row.permission) };
}

/** removeAcl: the owning group's entry goes back into the group bits, in place of the mask. */
export function withoutAcl(row: InodeRow): InodeRow {
  if (row.acl === null) return row;
  const group = hasAccessAcl(row) ? row.acl.find((e) => e.scope === AclScope.Access && e.type === AclType.Group && e.name === undefined) : undefined;
  const permission = group ? permissionOf(bits(row.permission, 6), group.permission, bits(row.permission, 0), row.permission) : row.permission;
  return { ...row, acl: null, permission };
}

/**
 * AclStorage.copyINodeDefaultAcl with HDFS-6962 (posix ACL inheritance): a
 * new file or directory under a directory with a default ACL gets that ACL
 * as its access ACL, filtered by its mode; a directory also inherits the
 * default ACL itself. The mode is the client's unmasked one when it sent it
 * (the default ACL replaces the umask), else the masked one.
 */
export function inheritDefaultAcl(child: InodeRow, parent: InodeRow, masked: number, unmasked: number | undefined): InodeRow {
  const defaults = (parent.acl ?? []).filter((e) => e.scope === AclScope.Default);
  if (defaults.length === 0 || !(isFile(child) || isDirectory(child))) return { ...child, permission: masked & 0o1777 };
  const mode = (unmasked ?? masked) & 0o1777;
  const parentMinimal = isMinimal(defaults);
  const access = defaults.map((e) => {
    const filter =
      e.type === AclType.User && e.name === undefined
        ? bits(mode, 6)
        : (e.type === AclType.Group && parentMinimal) || e.type === AclType.Mask
          ? bits(mode, 3)
          : e.type === AclType.Other
            ? bits(mode, 0)
            : 7;
    return { ...e, scope: AclScope.Access, permission: e.permission & filter };
  });
  const inheritedDefaults = isDirectory(child) ? defaults : [];
  const permission = permissionForAccess(access, mode);
  if (isMinimal(access) && inheritedDefaults.length === 0) return { ...child, acl: null, permission };
  return { ...child, acl: storedEntries(access, inheritedDefaults), permission };
}
