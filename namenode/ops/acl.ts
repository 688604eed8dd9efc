import type { AclEntry, AclStatus } from '../domain/acl';
import type { InodeRow } from '../dal/inode-row';
import { accessDenied, aclError, fileNotFound } from '../errors';
import { parsePath, type HdfsPath } from '../path/hdfs-path';
import { logicalAcl, withAcl, withoutAcl } from '../security/acl-storage';
import {
  checkAclSpecSize,
  filterAclEntriesByAclSpec,
  filterDefaultAclEntries,
  mergeAclEntries,
  replaceAclEntries,
} from '../security/acl-transformation';
import type { Caller } from '../security/caller';
import { checkOwner, STICKY_BIT } from '../security/permission-checker';
import type { OpContext } from '../tx/op-context';
import { resolveReadTarget } from './snapshot-view';
import { checkWriteTraverse } from './resolve-target';

/** inodes.acl keeps a name in at most this many bytes, as the owner and group columns. */
const MAX_NAME_BYTES = 255;

/** FSDirAclOp.checkAclsConfigFlag. */
function checkAclsEnabled(ctx: OpContext): void {
  if (!ctx.config.aclsEnabled) {
    throw aclError('The ACL operation has been rejected.  Support for ACLs has been disabled by setting dfs.namenode.acls.enabled to false.');
  }
}

/** An empty name means unnamed, as Hadoop's AclEntry.Builder takes it; a permission is three bits. */
function normalisedSpec(spec: readonly AclEntry[]): AclEntry[] {
  checkAclSpecSize(spec.length);
  return spec.map((e) => {
    const name = e.name === '' ? undefined : e.name;
    if (name !== undefined && Buffer.byteLength(name) > MAX_NAME_BYTES) {
      throw aclError(`Invalid ACL: the name of an entry is longer than ${MAX_NAME_BYTES} bytes.`);
    }
    return { scope: e.scope, type: e.type, name, permission: e.permission & 7 };
  });
}

/**
 * The owner (or the superuser) changes an inode's ACL, in one transaction
 * holding the inode exclusively: HDFS's checkOwner after the traverse check.
 */
function changeAcl(ctx: OpContext, caller: Caller, op: string, src: string, change: (row: InodeRow) => InodeRow): Promise<void> {
  checkAclsEnabled(ctx);
  const path = parsePath(src);
  return ctx.runner.write(op, [{ path, parent: 'shared', target: 'exclusive' }], async ([lp], tx) => {
    if (!lp) throw new Error('unreachable');
    checkWriteTraverse(caller, lp);
    const target = lp.target;
    if (!target) throw missing(caller, path);
    checkOwner(caller, target, path.text);
    const changed = change(target);
    if (changed !== target) tx.changes.update(target, changed);
  });
}

/** HDFS checks ownership before existence: only the superuser learns that a path is missing. */
const missing = (caller: Caller, path: HdfsPath): Error =>
  caller.isSuperuser ? fileNotFound(`cannot find ${path.text}`) : accessDenied(`Permission denied. user=${caller.user} is not the owner of inode=${path.text}`);

export function modifyAclEntries(ctx: OpContext, caller: Caller, src: string, spec: readonly AclEntry[]): Promise<void> {
  const entries = normalisedSpec(spec);
  return changeAcl(ctx, caller, 'modifyAclEntries', src, (t) => withAcl(t, mergeAclEntries(logicalAcl(t), entries)));
}

export function removeAclEntries(ctx: OpContext, caller: Caller, src: string, spec: readonly AclEntry[]): Promise<void> {
  const entries = normalisedSpec(spec);
  return changeAcl(ctx, caller, 'removeAclEntries', src, (t) => withAcl(t, filterAclEntriesByAclSpec(logicalAcl(t), entries)));
}

export function removeDefaultAcl(ctx: OpContext, caller: Caller, src: string): Promise<void> {
  return changeAcl(ctx, caller, 'removeDefaultAcl', src, (t) => withAcl(t, filterDefaultAclEntries(logicalAcl(t))));
}

export function removeAcl(ctx: OpContext, caller: Caller, src: string): Promise<void> {
  return changeAcl(ctx, caller, 'removeAcl', src, withoutAcl);
}

/** An empty spec removes the ACL, as HDFS's unprotectedSetAcl. */
export function setAcl(ctx: OpContext, caller: Caller, src: string, spec: readonly AclEntry[]): Promise<void> {
  const entries = normalisedSpec(spec);
  return changeAcl(ctx, caller, 'setAcl', src, (t) => (entries.length === 0 ? withoutAcl(t) : withAcl(t, replaceAclEntries(logicalAcl(t), entries))));
}

/** Needs only the traverse check: getfacl reads no more than `ls -l` shows. */
export async function getAclStatus(ctx: OpContext, caller: Caller, src: string): Promise<AclStatus> {
  checkAclsEnabled(ctx);
  const path = parsePath(src);
  return ctx.runner.read('getAclStatus', async (r) => {
    const target = await resolveReadTarget(r, caller, path);
    if (!target) throw fileNotFound(`cannot find ${path.text}`);
    return {
      owner: target.owner,
      group: target.group,
      sticky: (target.permission & STICKY_BIT) !== 0,
      entries: target.acl ?? [],
      permission: target.permission,
    };
  });
}
