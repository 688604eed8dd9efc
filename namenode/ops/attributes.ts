import { isFile, type InodeRow } from '../dal/inode-row';
import { accessDenied, fileNotFound } from '../errors';
import { parsePath, type HdfsPath } from '../path/hdfs-path';
import type { Caller } from '../security/caller';
import { checkAccess, checkOwner, checkTraverse, FsAction } from '../security/permission-checker';
import type { LockedPath } from '../tx/lock-plan';
import { prefixText } from '../tx/path-resolver';
import type { WriteContext } from '../tx/transaction-runner';
import { checkReplication } from './create';
import { notADirectory } from './resolve-target';
import type { OpContext } from '../tx/op-context';
import { fileBytes, policyUnder, quotaDirsOf } from '../quota/file-charge';
import { applyUsageDelta } from '../quota/usage-ledger';
import { negateUsage, sumUsage, usageOf } from '../domain/quota';

/** Locks the target of `src` exclusively and hands it over, traverse-checked. */
async function onTarget<T>(
  ctx: OpContext,
  caller: Caller,
  op: string,
  src: string,
  missing: (p: HdfsPath) => T | never,
  apply: (target: InodeRow, lp: LockedPath, tx: WriteContext) => T | Promise<T>,
): Promise<T> {
  const path = parsePath(src);
  return ctx.runner.write(op, [{ path, parent: 'shared', target: 'exclusive' }], async ([lp], tx) => {
    if (!lp) throw new Error('unreachable');
    checkTraverse(caller, lp.rows, path.components.length, (d) => prefixText(path, d));
    if (lp.throughFile) throw notADirectory(path, lp.rows.length - 1);
    if (!lp.target) return missing(path);
    return apply(lp.target, lp, tx);
  });
}

const notFound = (p: HdfsPath): never => {
  throw fileNotFound(`File does not exist: ${p.text}`);
};

export function setPermission(ctx: OpContext, caller: Caller, src: string, permission: number): Promise<void> {
  return onTarget(ctx, caller, 'setPermission', src, notFound, (t, lp, tx) => {
    checkOwner(caller, t, lp.path.text);
    tx.changes.update(t, { ...t, permission: permission & 0o1777 });
  });
}

export function setOwner(ctx: OpContext, caller: Caller, src: string, owner: string | undefined, group: string | undefined): Promise<void> {
  return onTarget(ctx, caller, 'setOwner', src, notFound, (t, lp, tx) => {
    checkOwner(caller, t, lp.path.text);
    if (!caller.isSuperuser) {
      if (owner !== undefined && owner !== caller.user) {
        throw accessDenied(`User ${caller.user} is not a super user (non-super user cannot change owner).`);
      }
      if (group !== undefined && !caller.groups.includes(group)) {
        throw accessDenied(`User ${caller.user} does not belong to ${group}`);
      }
    }
    tx.changes.update(t, { ...t, owner: owner ?? t.owner, group: group ?? t.group });
  });
}

/** -1 leaves a time as it is. */
export function setTimes(ctx: OpContext, caller: Caller, src: string, mtime: number, atime: number): Promise<void> {
  return onTarget(
    ctx,
    caller,
    'setTimes',
    src,
    (p) => {
      throw fileNotFound(`File/Directory ${p.text} does not exist.`);
    },
    (t, lp, tx) => {
      checkAccess(caller, t, FsAction.WRITE, lp.path.text);
      tx.changes.update(t, { ...t, mtime: mtime === -1 ? t.mtime : mtime, atime: atime === -1 ? t.atime : atime });
    },
  );
}

/** False for a directory or a missing path, as HDFS answers. */
export async function setReplication(ctx: OpContext, caller: Caller, src: string, replication: number): Promise<boolean> {
  checkReplication(ctx, replication, src, 'client');
  return onTarget(ctx, caller, 'setReplication', src, () => false, async (t, lp, tx) => {
    checkAccess(caller, t, FsAction.WRITE, lp.path.text);
    if (!isFile(t)) return false;
    // FSDirAttrOp.unprotectedSetReplication: more replicas are checked against the quotas above.
    const dirs = quotaDirsOf(lp.rows, lp.path, lp.rows.length - 2);
    if (dirs.length > 0 && replication !== t.replication) {
      const bytes = fileBytes(t, t.ucClient === null ? undefined : await tx.run(tx.dal.blocks.findByInode(t.id)));
      const policy = policyUnder(lp.rows);
      const charge = (r: number) => usageOf([{ namespace: 0, bytes, replication: r, storagePolicy: policy }]);
      await applyUsageDelta(tx, dirs, sumUsage(charge(replication), negateUsage(charge(t.replication))));
    }
    tx.changes.update(t, { ...t, replication });
    if (replication !== t.replication) tx.changes.add(tx.dal.replicationQueue.enqueueFile(t.id, tx.now));
    return true;
  });
}
