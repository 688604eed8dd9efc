import { AclScope, AclType, type AclEntry } from '../../domain/acl';
import { NamesystemError } from '../../errors';

const TYPES: Readonly<Record<string, AclType>> = { user: AclType.User, group: AclType.Group, mask: AclType.Mask, other: AclType.Other };

/**
 * AclEntry.parseAclSpec: comma-separated `[default:]type:[name][:perm]`
 * entries; with `withPermission` false (REMOVEACLENTRIES) the permission
 * is not given. A malformed entry is Hadoop's HadoopIllegalArgumentException.
 */
export function parseAclSpec(spec: string, withPermission: boolean): AclEntry[] {
  return spec
    .split(',')
    .filter((e) => e.trim() !== '')
    .map((text) => parseAclEntry(text.trim(), withPermission));
}

function parseAclEntry(text: string, withPermission: boolean): AclEntry {
  const parts = text.split(':');
  let i = 0;
  let scope = AclScope.Access;
  if (parts[0]?.toLowerCase() === 'default') {
    scope = AclScope.Default;
    i++;
  }
  const type = TYPES[(parts[i++] ?? '').toLowerCase()];
  if (type === undefined) throw bad(`Invalid type of acl in <aclSpec> :${text}`);
  const name = parts[i++] ?? '';
  let permission = 0;
  if (withPermission) {
    const symbol = parts[i++] ?? '';
    const m = /^([r-])([w-])([x-])$/.exec(symbol);
    if (!m) throw bad(`Invalid permission in <aclSpec> : ${text}`);
    permission = (m[1] === 'r' ? 4 : 0) | (m[2] === 'w' ? 2 : 0) | (m[3] === 'x' ? 1 : 0);
  }
  if (parts.length > i) throw bad(`Invalid <aclSpec> : ${text}`);
  return { scope, type, name: name === '' ? undefined : name, permission };
}

const bad = (message: string) => new NamesystemError('IllegalArgument', message);
