import type { AclEntry, AclScope, AclType } from '../../domain/acl';

/**
 * `inodes.acl`: each entry as one byte (scope << 5 | type << 3 | permission,
 * HDFS's AclEntryStatusFormat order of fields), one byte of name length (0:
 * unnamed) and the name's UTF-8 bytes. Binary so that any name round-trips:
 * no separator can be confused with a name's own characters.
 */
export const MAX_ACL_NAME_BYTES = 255;

export function encodeAcl(acl: readonly AclEntry[] | null): Buffer | null {
  if (acl === null) return null;
  const parts: Buffer[] = [];
  for (const e of acl) {
    const name = Buffer.from(e.name ?? '', 'utf8');
    if (name.length > MAX_ACL_NAME_BYTES) throw new Error(`ACL entry name of ${name.length} bytes: the ops layer bounds names to ${MAX_ACL_NAME_BYTES}`);
    parts.push(Buffer.from([(e.scope << 5) | (e.type << 3) | (e.permission & 7), name.length]), name);
  }
  return Buffer.concat(parts);
}

export function decodeAcl(v: unknown): AclEntry[] | null {
  if (v === null || v === undefined) return null;
  const buf = Buffer.isBuffer(v) ? v : Buffer.from(String(v), 'binary');
  const out: AclEntry[] = [];
  for (let at = 0; at + 2 <= buf.length; ) {
    const head = buf[at] as number;
    const len = buf[at + 1] as number;
    const name = buf.subarray(at + 2, at + 2 + len).toString('utf8');
    out.push({ scope: ((head >> 5) & 1) as AclScope, type: ((head >> 3) & 3) as AclType, permission: head & 7, name: len === 0 ? undefined : name });
    at += 2 + len;
  }
  return out;
}
