import { AclScope, AclType, type AclEntry } from '../../../namenode/domain/acl';
import { isNamesystemError } from '../../../namenode/errors';
import { inheritDefaultAcl, logicalAcl, withAcl, withoutAcl } from '../../../namenode/security/acl-storage';
import {
  aclEntryText,
  filterAclEntriesByAclSpec,
  filterDefaultAclEntries,
  mergeAclEntries,
  replaceAclEntries,
} from '../../../namenode/security/acl-transformation';
import { makeCaller } from '../../../namenode/security/caller';
import { FsAction, hasAccess } from '../../../namenode/security/permission-checker';
import { dirRow, fileRow } from '../../fakes/row-fixtures';

/** `user:alice:rwx`, `default:group::r-x` (getfacl's spelling). */
function e(text: string): AclEntry {
  const parts = text.split(':');
  const scope = parts[0] === 'default' ? AclScope.Default : AclScope.Access;
  if (scope === AclScope.Default) parts.shift();
  const [type, name, perm] = parts as [string, string, string];
  const bits = (perm[0] === 'r' ? 4 : 0) | (perm[1] === 'w' ? 2 : 0) | (perm[2] === 'x' ? 1 : 0);
  return { scope, type: { user: AclType.User, group: AclType.Group, mask: AclType.Mask, other: AclType.Other }[type]!, name: name || undefined, permission: bits };
}
const spec = (...t: string[]) => t.map(e);
const texts = (acl: readonly AclEntry[]) => acl.map(aclEntryText);
const aclError = (f: () => unknown, message: string) => {
  let err: unknown;
  try {
    f();
  } catch (x) {
    err = x;
  }
  expect(isNamesystemError(err, 'Acl')).toBe(true);
  expect((err as Error).message).toBe(message);
};

const cfg = { superuser: 'hdfs', supergroup: 'supergroup' };
const alice = makeCaller('alice', ['staff'], cfg);
const bob = makeCaller('bob', ['bob'], cfg);
const carol = makeCaller('carol', ['eng', 'staff'], cfg);
const owner = makeCaller('olga', ['olga'], cfg);

describe('AclTransformation', () => {
  const minimal = spec('user::rwx', 'group::r-x', 'other::---');

  test('modify adds a named user and calculates the mask from the group class', () => {
    expect(texts(mergeAclEntries(minimal, spec('user:alice:rw-')))).toEqual(['user::rwx', 'user:alice:rw-', 'group::r-x', 'mask::rwx', 'other::---']);
  });

  test('a given mask is kept; a default entry pulls in copies of the access base entries', () => {
    expect(texts(mergeAclEntries(minimal, spec('user:alice:rwx', 'mask::r--')))).toEqual(['user::rwx', 'user:alice:rwx', 'group::r-x', 'mask::r--', 'other::---']);
    expect(texts(mergeAclEntries(minimal, spec('default:user:bob:r-x')))).toEqual([
      'user::rwx', 'group::r-x', 'other::---', 'default:user::rwx', 'default:user:bob:r-x', 'default:group::r-x', 'default:mask::r-x', 'default:other::---',
    ]);
  });

  test('remove drops named entries and recalculates the mask; removing a needed mask is refused', () => {
    const full = mergeAclEntries(minimal, spec('user:alice:rw-', 'group:eng:r--'));
    expect(texts(filterAclEntriesByAclSpec(full, spec('user:alice:---')))).toEqual(['user::rwx', 'group::r-x', 'group:eng:r--', 'mask::r-x', 'other::---']);
    aclError(() => filterAclEntriesByAclSpec(full, spec('mask::---')), 'Invalid ACL: mask is required, but it was deleted.');
  });

  test('set replaces only the scopes it names; removeDefault keeps the access entries', () => {
    const withDefault = mergeAclEntries(minimal, spec('default:user:bob:r-x'));
    expect(texts(replaceAclEntries(withDefault, spec('user::rw-', 'group::r--', 'other::r--')))).toContain('default:user:bob:r-x');
    expect(texts(filterDefaultAclEntries(withDefault))).toEqual(['user::rwx', 'group::r-x', 'other::---']);
  });

  test('validation: too many entries, duplicates, named mask, missing base entries', () => {
    const many = Array.from({ length: 33 }, (_, i) => e(`user:u${i}:r--`));
    aclError(() => mergeAclEntries(minimal, many), 'Invalid ACL: ACL spec has 33 entries, which exceeds maximum of 32.');
    const thirty = Array.from({ length: 30 }, (_, i) => e(`user:u${i}:r--`));
    aclError(() => mergeAclEntries(minimal, thirty), 'Invalid ACL: ACL has 34 entries, which exceeds maximum of 32.');
    aclError(() => mergeAclEntries(minimal, spec('user:alice:r--', 'user:alice:rw-')), 'Invalid ACL: multiple entries with same scope, type and name.');
    aclError(() => mergeAclEntries(minimal, spec('mask:m:r--')), 'Invalid ACL: this entry type must not have a name: mask:m:r--.');
    aclError(() => replaceAclEntries(minimal, spec('user::rwx', 'group::r--')), 'Invalid ACL: the user, group and other entries are required.');
  });
});

describe('AclStorage', () => {
  const dir = dirRow(5, 1, 'd', { owner: 'olga', group: 'staff', permission: 0o1750 });

  test('an extended ACL puts the mask in the group bits and keeps the sticky bit; removeAcl restores the group', () => {
    const row = withAcl(dir, mergeAclEntries(logicalAcl(dir), spec('user:alice:rwx')));
    expect(row.permission).toBe(0o1770);
    expect(texts(row.acl!)).toEqual(['user:alice:rwx', 'group::r-x']);
    expect(texts(logicalAcl(row))).toEqual(['user::rwx', 'user:alice:rwx', 'group::r-x', 'mask::rwx', 'other::---']);
    const back = withoutAcl(row);
    expect([back.permission, back.acl]).toEqual([0o1750, null]);
  });

  test('a minimal ACL is no ACL: the permission bits alone', () => {
    const row = withAcl(dir, replaceAclEntries(logicalAcl(dir), spec('user::rwx', 'group::rwx', 'other::r--')));
    expect([row.permission, row.acl]).toEqual([0o1774, null]);
  });

  test('a file takes no default ACL', () => {
    aclError(() => withAcl(fileRow(6, 1, 'f'), mergeAclEntries(logicalAcl(fileRow(6, 1, 'f')), spec('default:user:bob:r--'))), 'Invalid ACL: only directories may have a default ACL.');
  });

  test('inheritance: the default ACL becomes the access ACL filtered by the mode; a directory keeps the default too', () => {
    const parent = withAcl(dir, mergeAclEntries(logicalAcl(dir), spec('default:user:bob:rwx', 'default:other::r-x')));
    const file = inheritDefaultAcl(fileRow(7, 5, 'f', { permission: 0 }), parent, 0o644, 0o666);
    expect(file.permission).toBe(0o664); // owner rw-, mask rwx & rw-, other r-x & rw-
    expect(texts(file.acl!)).toEqual(['user:bob:rwx', 'group::r-x']);
    const sub = inheritDefaultAcl(dirRow(8, 5, 's'), parent, 0o755, 0o777);
    expect(sub.permission).toBe(0o775);
    expect(texts(sub.acl!).filter((t) => t.startsWith('default:'))).toEqual(texts(parent.acl!).filter((t) => t.startsWith('default:')));
    // Without the client's unmasked mode the masked one filters (the pre-HDFS-6962 rule).
    expect(inheritDefaultAcl(fileRow(9, 5, 'g'), parent, 0o600, undefined).permission).toBe(0o600);
    // No default ACL above: the masked mode, no ACL.
    const plain = inheritDefaultAcl(fileRow(10, 1, 'h'), dir, 0o644, 0o666);
    expect([plain.permission, plain.acl]).toEqual([0o644, null]);
  });
});

describe('permission checks with an ACL', () => {
  const file = fileRow(11, 1, 'f', { owner: 'olga', group: 'olga', permission: 0o600 });
  const withSpec = (...t: string[]) => withAcl(file, mergeAclEntries(logicalAcl(file), spec(...t)));

  test('owner bits first; named user through the mask; groups through the mask; other only when nothing matched', () => {
    const row = withSpec('user:alice:rw-', 'group:eng:r--', 'other::r--');
    expect(hasAccess(owner, row, FsAction.READ_WRITE)).toBe(true);
    expect(hasAccess(alice, row, FsAction.WRITE)).toBe(true);
    expect(hasAccess(carol, row, FsAction.READ)).toBe(true);
    expect(hasAccess(carol, row, FsAction.WRITE)).toBe(false);
    expect(hasAccess(bob, row, FsAction.READ)).toBe(true);
    const masked = { ...row, permission: (row.permission & ~0o70) | 0o40 }; // chmod g=r: the mask
    expect(hasAccess(alice, masked, FsAction.WRITE)).toBe(false);
    expect(hasAccess(alice, masked, FsAction.READ)).toBe(true);
  });

  test('a matching entry that does not grant denies even when other would grant', () => {
    const row = withSpec('user:alice:---', 'other::rwx');
    expect(hasAccess(alice, row, FsAction.READ)).toBe(false);
    expect(hasAccess(bob, row, FsAction.READ)).toBe(true);
  });
});
