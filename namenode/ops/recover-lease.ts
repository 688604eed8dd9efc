import { isFile } from '../dal/inode-row';
import { fileNotFound } from '../errors';
import { parsePath } from '../path/hdfs-path';
import type { Caller } from '../security/caller';
import { checkAccess, checkTraverse, FsAction } from '../security/permission-checker';
import { prefixText } from '../tx/path-resolver';
import { recoverFile } from '../blocks/file-recovery';
import type { OpContext } from '../tx/op-context';

/** DistributedFileSystem.recoverLease: true once the file is closed, false while its last block recovers. */
export async function recoverLease(ctx: OpContext, caller: Caller, src: string): Promise<boolean> {
  const path = parsePath(src);
  return ctx.runner.write('recoverLease', [{ path, parent: 'shared', target: 'exclusive' }], async ([lp], tx) => {
    if (!lp) throw new Error('unreachable');
    checkTraverse(caller, lp.rows, path.components.length, (d) => prefixText(path, d));
    const file = lp.target;
    if (!file) throw fileNotFound(`File does not exist: ${path.text}`);
    if (!isFile(file)) throw fileNotFound(`Path is not a file: ${path.text}`);
    // As FSNamesystem.recoverLease: a closed file answers true before any permission check.
    if (file.ucClient === null) return true;
    checkAccess(caller, file, FsAction.WRITE, path.text);
    return (await recoverFile(ctx, file, tx)) === 'closed';
  });
}
