import { isFile } from '../dal/inode-row';
import { deleteEmptyLeasesByHolder, deleteLeasePathsByInodesBatched } from '../dal/lease-dal';
import { fileNotFound, NamesystemError } from '../errors';
import { parsePath } from '../path/hdfs-path';
import type { Caller } from '../security/caller';
import { checkTraverse } from '../security/permission-checker';
import { prefixText } from '../tx/path-resolver';
import type { OpContext } from './op-context';

/**
 * Closes a file its writer holds the lease on. A file already closed
 * answers true: that is a retry whose first answer was lost.
 */
export async function complete(ctx: OpContext, caller: Caller, src: string, clientName: string): Promise<boolean> {
  const path = parsePath(src);
  const prefix = (d: number) => prefixText(path, d);
  return ctx.runner.write('complete', [{ path, parent: 'shared', target: 'exclusive' }], async ([lp], tx) => {
    if (!lp) throw new Error('unreachable');
    const file = lp.target;
    if (!file || !isFile(file)) throw fileNotFound(`File does not exist: ${path.text}`);
    checkTraverse(caller, lp.rows, path.components.length, prefix);
    if (file.ucClient === null) return true;
    if (file.ucClient !== clientName) {
      throw new NamesystemError(
        'LeaseExpired',
        `Lease mismatch on ${path.text} (inodeId: ${file.id}) owned by ${file.ucClient} but is accessed by ${clientName}`,
      );
    }
    tx.changes.update(file, { ...file, ucClient: null, ucMachine: null, mtime: tx.now });
    tx.changes.add(deleteLeasePathsByInodesBatched([file.id]));
    tx.changes.add(deleteEmptyLeasesByHolder(clientName));
    return true;
  });
}
