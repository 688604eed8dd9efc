import { randomUUID } from 'node:crypto';
import { ExceptionClass } from '../../protocol/ipc/exception-classes';
import { NamesystemError, type NamesystemErrorKind } from '../errors';

/** grpc.status names (@grpc/grpc-js `status` enum keys) a namesystem error can become. */
export type GrpcStatusName =
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'PERMISSION_DENIED'
  | 'INVALID_ARGUMENT'
  | 'RESOURCE_EXHAUSTED'
  | 'FAILED_PRECONDITION'
  | 'UNAVAILABLE'
  | 'UNIMPLEMENTED'
  | 'INTERNAL';

/**
 * How one kind of error looks at each front door: the Java class Hadoop IPC
 * sends as exceptionClassName and WebHDFS as javaClassName, the HTTP status
 * WebHDFS answers with, and the gRPC status.
 */
export interface HadoopException {
  readonly javaClassName: string;
  /**
   * As Hadoop's web/resources/ExceptionHandler picks it: 404 for
   * FileNotFoundException, 403 for any other IOException (AccessControl,
   * FileAlreadyExists… are IOExceptions), 400 for IllegalArgument and
   * UnsupportedOperation, 500 for the rest.
   */
  readonly httpStatus: 400 | 403 | 404 | 500;
  readonly grpcStatus: GrpcStatusName;
}

/** The one taxonomy every front door maps NamesystemError through. */
export const HADOOP_EXCEPTIONS: Readonly<Record<NamesystemErrorKind, HadoopException>> = {
  FileNotFound: { javaClassName: ExceptionClass.FileNotFound, httpStatus: 404, grpcStatus: 'NOT_FOUND' },
  AlreadyExists: { javaClassName: ExceptionClass.FileAlreadyExists, httpStatus: 403, grpcStatus: 'ALREADY_EXISTS' },
  ParentNotDirectory: { javaClassName: ExceptionClass.ParentNotDirectory, httpStatus: 403, grpcStatus: 'FAILED_PRECONDITION' },
  PathIsNotEmptyDirectory: { javaClassName: ExceptionClass.PathIsNotEmptyDirectory, httpStatus: 403, grpcStatus: 'FAILED_PRECONDITION' },
  AccessDenied: { javaClassName: ExceptionClass.AccessControl, httpStatus: 403, grpcStatus: 'PERMISSION_DENIED' },
  // Hadoop's InvalidPathException is a HadoopIllegalArgumentException, hence 400.
  InvalidPath: { javaClassName: ExceptionClass.InvalidPath, httpStatus: 400, grpcStatus: 'INVALID_ARGUMENT' },
  // An FSLimitException is a QuotaExceededException, an IOException, hence 403.
  PathComponentTooLong: { javaClassName: ExceptionClass.PathComponentTooLong, httpStatus: 403, grpcStatus: 'INVALID_ARGUMENT' },
  MaxDirectoryItemsExceeded: { javaClassName: ExceptionClass.MaxDirectoryItemsExceeded, httpStatus: 403, grpcStatus: 'RESOURCE_EXHAUSTED' },
  // QuotaExceededExceptions are IOExceptions, hence 403.
  NSQuotaExceeded: { javaClassName: ExceptionClass.NSQuotaExceeded, httpStatus: 403, grpcStatus: 'RESOURCE_EXHAUSTED' },
  DSQuotaExceeded: { javaClassName: ExceptionClass.DSQuotaExceeded, httpStatus: 403, grpcStatus: 'RESOURCE_EXHAUSTED' },
  QuotaByStorageTypeExceeded: { javaClassName: ExceptionClass.QuotaByStorageTypeExceeded, httpStatus: 403, grpcStatus: 'RESOURCE_EXHAUSTED' },
  PathIsNotDirectory: { javaClassName: ExceptionClass.PathIsNotDirectory, httpStatus: 403, grpcStatus: 'FAILED_PRECONDITION' },
  UnsupportedAction: { javaClassName: ExceptionClass.UnsupportedAction, httpStatus: 403, grpcStatus: 'UNIMPLEMENTED' },
  IllegalArgument: { javaClassName: ExceptionClass.HadoopIllegalArgument, httpStatus: 400, grpcStatus: 'INVALID_ARGUMENT' },
  // Guava's Preconditions.checkArgument in HDFS (concat's "No sources given"): the plain Java class.
  JavaIllegalArgument: { javaClassName: ExceptionClass.IllegalArgument, httpStatus: 400, grpcStatus: 'INVALID_ARGUMENT' },
  // An UnresolvedLinkException is an IOException, hence 403; the client resolves the link and retries.
  UnresolvedLink: { javaClassName: ExceptionClass.UnresolvedPath, httpStatus: 403, grpcStatus: 'FAILED_PRECONDITION' },
  // Another client holds the lease: retrying soon will not help.
  AlreadyBeingCreated: { javaClassName: ExceptionClass.AlreadyBeingCreated, httpStatus: 403, grpcStatus: 'FAILED_PRECONDITION' },
  LeaseExpired: { javaClassName: ExceptionClass.LeaseExpired, httpStatus: 403, grpcStatus: 'FAILED_PRECONDITION' },
  // Both are waits the HDFS client sits out by retrying: UNAVAILABLE tells a gRPC client the same.
  NotReplicatedYet: { javaClassName: ExceptionClass.NotReplicatedYet, httpStatus: 403, grpcStatus: 'UNAVAILABLE' },
  RecoveryInProgress: { javaClassName: ExceptionClass.RecoveryInProgress, httpStatus: 403, grpcStatus: 'UNAVAILABLE' },
  UnregisteredNode: { javaClassName: ExceptionClass.UnregisteredNode, httpStatus: 403, grpcStatus: 'FAILED_PRECONDITION' },
  Unsupported: { javaClassName: ExceptionClass.UnsupportedOperation, httpStatus: 400, grpcStatus: 'UNIMPLEMENTED' },
  // An AclException is an IOException, hence 403.
  Acl: { javaClassName: ExceptionClass.Acl, httpStatus: 403, grpcStatus: 'INVALID_ARGUMENT' },
  // The client retries a RetriableException by itself; a busy database is exactly that.
  TransientStorage: { javaClassName: ExceptionClass.Retriable, httpStatus: 403, grpcStatus: 'UNAVAILABLE' },
  // A write into a subtree a live namenode's big delete or rename holds: the client retries later (Hadoop's RetriableException).
  SubtreeLocked: { javaClassName: ExceptionClass.Retriable, httpStatus: 403, grpcStatus: 'UNAVAILABLE' },
  // A mutation refused while the fleet is in safe mode: it is an IOException (403); a gRPC client may retry later.
  SafeMode: { javaClassName: ExceptionClass.SafeMode, httpStatus: 403, grpcStatus: 'UNAVAILABLE' },
  // SnapshotException and SnapshotAccessControlException (an AccessControlException) are IOExceptions, hence 403.
  Snapshot: { javaClassName: ExceptionClass.Snapshot, httpStatus: 403, grpcStatus: 'FAILED_PRECONDITION' },
  SnapshotAccessControl: { javaClassName: ExceptionClass.SnapshotAccessControl, httpStatus: 403, grpcStatus: 'PERMISSION_DENIED' },
  // The namesystem's plain IOExceptions refuse a request the namespace's state does not allow.
  IO: { javaClassName: ExceptionClass.IO, httpStatus: 403, grpcStatus: 'FAILED_PRECONDITION' },
};

/**
 * Anything thrown that is not a NamesystemError is a bug or an unforeseen
 * failure. IPC clients have always seen it as a plain IOException; HTTP and
 * gRPC say it is the server's fault.
 */
export const UNCLASSIFIED_EXCEPTION: HadoopException = { javaClassName: ExceptionClass.IO, httpStatus: 500, grpcStatus: 'INTERNAL' };

export function hadoopExceptionOf(err: unknown): HadoopException {
  return err instanceof NamesystemError ? HADOOP_EXCEPTIONS[err.kind] : UNCLASSIFIED_EXCEPTION;
}

/**
 * What a client is told. A typed error's message is written for clients;
 * anything else (a driver error with SQL text, a bug) is an internal error:
 * the client gets a short message with an id to quote, the front door logs
 * the details under that id.
 */
export function clientMessageOf(err: unknown): { readonly message: string; readonly incidentId?: string } {
  if (err instanceof NamesystemError) return { message: err.message };
  const incidentId = randomUUID();
  return { message: `Internal error in the namenode (incident ${incidentId}); the details are in its log`, incidentId };
}

/** Class.getSimpleName(), which WebHDFS sends as RemoteException.exception. */
export const simpleClassName = (javaClassName: string): string =>
  javaClassName.slice(Math.max(javaClassName.lastIndexOf('.'), javaClassName.lastIndexOf('$')) + 1);
