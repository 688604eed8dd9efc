/**
 * The namesystem's typed errors. Each front door maps them once: to a Java
 * exception class for Hadoop IPC, to RemoteException JSON for WebHDFS, to a
 * status code for gRPC.
 */
export type NamesystemErrorKind =
  | 'FileNotFound'
  | 'AlreadyExists'
  | 'ParentNotDirectory'
  | 'PathIsNotEmptyDirectory'
  | 'AccessDenied'
  | 'InvalidPath'
  | 'PathComponentTooLong'
  | 'MaxDirectoryItemsExceeded'
  | 'NSQuotaExceeded'
  | 'DSQuotaExceeded'
  | 'QuotaByStorageTypeExceeded'
  | 'PathIsNotDirectory'
  | 'UnsupportedAction'
  | 'IllegalArgument'
  | 'JavaIllegalArgument'
  | 'UnresolvedLink'
  | 'AlreadyBeingCreated'
  | 'LeaseExpired'
  | 'NotReplicatedYet'
  | 'RecoveryInProgress'
  | 'UnregisteredNode'
  | 'Unsupported'
  | 'Acl'
  | 'TransientStorage'
  | 'SafeMode'
  | 'SubtreeLocked'
  | 'Snapshot'
  | 'SnapshotAccessControl'
  | 'IO';

export class NamesystemError extends Error {
  readonly kind: NamesystemErrorKind;

  constructor(kind: NamesystemErrorKind, message: string) {
    super(message);
    this.kind = kind;
    this.name = kind;
  }
}

export const fileNotFound = (message: string) => new NamesystemError('FileNotFound', message);
export const alreadyExists = (message: string) => new NamesystemError('AlreadyExists', message);
export const parentNotDirectory = (message: string) => new NamesystemError('ParentNotDirectory', message);
export const notEmptyDirectory = (message: string) => new NamesystemError('PathIsNotEmptyDirectory', message);
export const accessDenied = (message: string) => new NamesystemError('AccessDenied', message);
export const invalidPath = (message: string) => new NamesystemError('InvalidPath', message);
export const illegalArgument = (message: string) => new NamesystemError('IllegalArgument', message);
export const ioError = (message: string) => new NamesystemError('IO', message);
/** Hadoop's AclException: an ACL that is invalid, or ACLs switched off. */
export const aclError = (message: string) => new NamesystemError('Acl', message);
/** The path goes through a symlink: the client resolves it (getLinkTarget) and asks again. */
export const unresolvedLink = (message: string) => new NamesystemError('UnresolvedLink', message);

/** The path enters a subtree that a live namenode's big delete or rename holds: RetriableException, retry later. */
export const subtreeLocked = (message: string) => new NamesystemError('SubtreeLocked', message);

/** Hadoop's SnapshotException: a snapshot call the namespace's snapshot state refuses. */
export const snapshotError = (message: string) => new NamesystemError('Snapshot', message);

export const isNamesystemError = (e: unknown, kind?: NamesystemErrorKind): e is NamesystemError =>
  e instanceof NamesystemError && (kind === undefined || e.kind === kind);
