import type { RetryKey } from '../domain/retry-key';
import { isDirectory, isFile, type InodeRow } from '../dal/inode-row';
import { notEmptyDirectory } from '../errors';
import { parsePath } from '../path/hdfs-path';
import type { Caller } from '../security/caller';
import { checkAccess, checkStickyBit, checkTraverse, FsAction } from '../security/permission-checker';
import { notADirectory } from './resolve-target';
import { prefixText } from '../tx/path-resolver';
import type { WriteContext } from '../tx/tx-contexts';
import { removeFileBlocks } from '../blocks/remove-blocks';
import type { OpContext } from '../tx/op-context';
import { walkSubtree } from './subtree';
import { withChildDelta } from './directory-items';
import { checkSubtreeDeletable } from './subtree-access';

const CHUNK = 500;

/**
 * Removes `victims` and everything that hangs off them (xattrs, lease
 * paths, blocks and their replicas). Shared by delete and by rename/create with overwrite.
 */
export async function removeInodes(tx: WriteContext, victims: readonly InodeRow[]): Promise<void> {
  const changes = tx.changes;
  const holders = new Set<string>();
  for (const v of victims) {
    changes.delete(v);
    if (v.ucClient) holders.add(v.ucClient);
  }
  const ids = victims.map((v) => v.id);
  const { xattrs, leases } = tx.dal;
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    changes.add(xattrs.deleteByInodesBatched(chunk), leases.deletePathsByInodesBatched(chunk));
  }
  for (const h of holders) changes.add(leases.deleteIfEmpty(h));
  await removeFileBlocks(tx, victims.filter(isFile).map((v) => v.id));
}

export async function deletePath(ctx: OpContext, caller: Caller, src: string, recursive: boolean, retryKey?: RetryKey): Promise<boolean> {
  const path = parsePath(src);
  const n = path.components.length;
  const prefix = (d: number) => prefixText(path, d);
  if (n === 0) return false; // HDFS refuses to delete the root and answers false.
  return ctx.runner.write('delete', [{ path, parent: 'exclusive', target: 'exclusive', followLink: false }], async ([lp], tx) => {
    if (!lp) throw new Error('unreachable');
    const target = lp.target;
    const parent = lp.parent;
    // resolvePath's traverse check comes first in HDFS: before a missing path answers false.
    checkTraverse(caller, lp.rows, n, prefix);
    if (lp.throughFile) throw notADirectory(path, lp.rows.length - 1);
    if (!target || !parent) return false;
    checkAccess(caller, parent, FsAction.WRITE, prefix(n - 1));
    checkStickyBit(caller, parent, target, path.text);
    const victims: InodeRow[] = [target];
    if (isDirectory(target)) {
      if (!recursive) {
        if (await tx.run(tx.dal.inodes.hasChildrenByParent(target.id))) throw notEmptyDirectory(`\`${path.text} is non empty': Directory is not empty`);
      } else {
        await walkSubtree(target, tx, (rows) => victims.push(...rows));
        checkSubtreeDeletable(caller, target, victims, path.text);
      }
    }
    await removeInodes(tx, victims);
    tx.changes.update(parent, withChildDelta({ ...parent, mtime: tx.now }, -1, ctx.config.maxDirectoryItems, prefix(n - 1)));
    tx.onCommit(() => ctx.runner.forgetPath(path));
    return true;
  }, { retryKey });
}
