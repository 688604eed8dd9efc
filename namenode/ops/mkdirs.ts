import { isDirectory, type InodeRow } from '../dal/inode-row';
import { alreadyExists, fileNotFound, parentNotDirectory } from '../errors';
import { parsePath } from '../path/hdfs-path';
import type { Caller } from '../security/caller';
import { checkAccess, checkTraverse, FsAction } from '../security/permission-checker';
import { prefixText } from '../tx/path-resolver';
import { addedTo } from './directory-items';
import { inodeCharge, policyUnder, quotaDirsOf } from '../quota/file-charge';
import { applyUsageDelta } from '../quota/usage-ledger';
import { usageOf } from '../domain/quota';
import { makeDirectories, withImplicitUwx } from './inode-factory';
import type { OpContext } from '../tx/op-context';

/** `unmasked` (Hadoop 3 clients) is the mode before the umask: a default ACL above takes it instead. */
export async function mkdirs(ctx: OpContext, caller: Caller, src: string, masked: number, createParent: boolean, unmasked?: number): Promise<boolean> {
  const path = parsePath(src);
  const n = path.components.length;
  const prefix = (d: number) => prefixText(path, d);
  const specs = (exact: boolean) => [{ path, parent: exact ? 'exclusive' : 'none', target: 'shared', touchesParent: true }] as const;
  return ctx.runner.write('mkdirs', specs, async ([lp], tx) => {
    if (!lp) throw new Error('unreachable');
    const k = lp.rows.length - 1;
    // DirOp.CREATE: resolvePath's traverse check throws its ParentNotDirectoryException as it is.
    if (lp.throughFile) throw parentNotDirectory(`${prefix(k)} (is not a directory)`);
    if (lp.target) {
      checkTraverse(caller, lp.rows, n, prefix);
      if (!isDirectory(lp.target)) throw alreadyExists(`Path is not a directory: ${path.text}`);
      return true;
    }
    const deepest = lp.rows[k] as InodeRow;
    checkTraverse(caller, lp.rows, k + 1, prefix);
    checkAccess(caller, deepest, FsAction.WRITE, prefix(k));
    if (!createParent && k < n - 1) throw fileNotFound(`Parent directory doesn't exist: ${prefix(n - 1)}`);
    const made = await makeDirectories(
      deepest,
      path.components,
      k,
      n,
      (d) => (d === n - 1 ? { masked, unmasked: ctx.config.posixAclInheritance ? unmasked : undefined } : { masked: withImplicitUwx(masked) }),
      caller,
      tx.now,
      () => ctx.inodeIds.next(),
    );
    for (const dir of made) tx.changes.insert(dir);
    addedTo(tx, deepest, 1, ctx.config.maxDirectoryItems, prefix(k));
    await applyUsageDelta(tx, quotaDirsOf(lp.rows, path, k), usageOf(made.map((d) => inodeCharge(d, policyUnder(lp.rows)))));
    tx.onCommit(() => made.forEach((dir, i) => ctx.runner.rememberPath(parsePath(prefix(k + i + 1)), dir)));
    return true;
  });
}
