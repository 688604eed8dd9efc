import { ExceptionClass } from '../../protocol/ipc/exception-classes';
import type { MappedError } from '../../protocol/ipc/rpc-handler';
import { NamesystemError, type NamesystemErrorKind } from '../errors';

const PATH_COMPONENT_TOO_LONG = 'org.apache.hadoop.hdfs.protocol.FSLimitException$PathComponentTooLongException';

const CLASS_OF: Record<NamesystemErrorKind, string> = {
  FileNotFound: ExceptionClass.FileNotFound,
  AlreadyExists: ExceptionClass.FileAlreadyExists,
  ParentNotDirectory: ExceptionClass.ParentNotDirectory,
  PathIsNotEmptyDirectory: ExceptionClass.PathIsNotEmptyDirectory,
  AccessDenied: ExceptionClass.AccessControl,
  InvalidPath: ExceptionClass.InvalidPath,
  PathComponentTooLong: PATH_COMPONENT_TOO_LONG,
  IllegalArgument: ExceptionClass.HadoopIllegalArgument,
  AlreadyBeingCreated: ExceptionClass.AlreadyBeingCreated,
  LeaseExpired: ExceptionClass.LeaseExpired,
  NotReplicatedYet: ExceptionClass.NotReplicatedYet,
  RecoveryInProgress: ExceptionClass.RecoveryInProgress,
  UnregisteredNode: ExceptionClass.UnregisteredNode,
  Unsupported: ExceptionClass.UnsupportedOperation,
  // The client retries a RetriableException by itself; a busy database is exactly that.
  TransientStorage: ExceptionClass.Retriable,
  IO: ExceptionClass.IO,
};

/** The Hadoop IPC front door's one error mapping: typed errors to Java exception classes. */
export function mapNamesystemError(err: unknown): MappedError {
  if (err instanceof NamesystemError) return { className: CLASS_OF[err.kind], message: err.message };
  return { className: ExceptionClass.IO, message: err instanceof Error ? err.message : String(err) };
}
