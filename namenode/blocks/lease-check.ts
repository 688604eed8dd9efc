import type { InodeRow } from '../dal/inode-row';
import { isFile } from '../dal/inode-row';
import { fileNotFound, NamesystemError } from '../errors';

/**
 * The file must exist, be open for writing, and be held by `clientName`:
 * every block operation of a writer starts here (HDFS's checkLease).
 */
export function checkLease(file: InodeRow | undefined, clientName: string, path: string): InodeRow {
  if (!file) throw fileNotFound(`File does not exist: ${path}`);
  if (!isFile(file)) throw fileNotFound(`Path is not a file: ${path}`);
  if (file.ucClient === null) {
    throw new NamesystemError('LeaseExpired', `No lease on ${path} (inode ${file.id}): File is not open for writing. Holder ${clientName} does not have any open files.`);
  }
  if (file.ucClient !== clientName) {
    throw new NamesystemError('LeaseExpired', `Lease mismatch on ${path} (inode ${file.id}) owned by ${file.ucClient} but is accessed by ${clientName}`);
  }
  return file;
}
