import type { InodeRow } from '../dal/inode-row';
import { isFile } from '../dal/inode-row';
import { fileNotFound, NamesystemError } from '../errors';
import type { QueryRunner } from '../tx/tx-contexts';

/**
 * The file must exist, be open for writing, and be held by `clientName`:
 * every block operation of a writer starts here, in HDFS 3.4's words
 * (FSNamesystem.checkLease with leaseExceptionString: the path, the inode,
 * then the caller's lease or that it holds nothing). The caller's own lease
 * is read only when the check fails. A missing file names inode 0: the id
 * the client sent is not carried this far.
 */
export async function checkLease(q: QueryRunner, file: InodeRow | undefined, clientName: string, path: string): Promise<InodeRow> {
  if (file && isFile(file) && file.ucClient === clientName) return file;
  const held = await q.run(q.dal.leases.countPaths(clientName));
  const lease = held > 0 ? `[Lease.  Holder: ${clientName}, pending creates: ${held}]` : `Holder ${clientName} does not have any open files.`;
  const what = `${path} (inode ${file?.id ?? 0}) ${lease}`;
  if (!file) throw fileNotFound(`File does not exist: ${what}`);
  if (!isFile(file)) throw new NamesystemError('LeaseExpired', `INode is not a regular file: ${what}`);
  if (file.ucClient === null) throw new NamesystemError('LeaseExpired', `File is not open for writing: ${what}`);
  throw new NamesystemError('LeaseExpired', `Client (=${clientName}) is not the lease owner (=${file.ucClient}: ${what}`);
}

/**
 * The pipeline calls name a block, not a path (updateBlockForPipeline,
 * updatePipeline): the block's file must be open and held by `clientName`.
 */
export function checkLeaseOfInode(file: InodeRow | undefined, clientName: string, inodeId: number): InodeRow {
  const path = `inode ${inodeId}`;
  if (!file || !isFile(file)) throw fileNotFound(`File does not exist: ${path}`);
  if (file.ucClient === null) {
    throw new NamesystemError('LeaseExpired', `No lease on ${path}: File is not open for writing. Holder ${clientName} does not have any open files.`);
  }
  if (file.ucClient !== clientName) {
    throw new NamesystemError('LeaseExpired', `Lease mismatch on ${path} owned by ${file.ucClient} but is accessed by ${clientName}`);
  }
  return file;
}
