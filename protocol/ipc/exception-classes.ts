/**
 * Java exception class names as Hadoop sends them in
 * RpcResponseHeaderProto.exceptionClassName (and WebHDFS in a
 * RemoteException's javaClassName). Clients switch on these exact
 * strings (the Go client maps FileNotFound, AccessControl,
 * PathIsNotEmptyDirectory, FileAlreadyExists, AlreadyBeingCreated,
 * HadoopIllegalArgument and Standby), so never abbreviate them. XAttr
 * failures have no class of their own: Hadoop uses IOException or
 * HadoopIllegalArgumentException.
 */
export const ExceptionClass = {
  FileNotFound: 'java.io.FileNotFoundException',
  FileAlreadyExists: 'org.apache.hadoop.fs.FileAlreadyExistsException',
  ParentNotDirectory: 'org.apache.hadoop.fs.ParentNotDirectoryException',
  PathIsNotEmptyDirectory: 'org.apache.hadoop.fs.PathIsNotEmptyDirectoryException',
  AccessControl: 'org.apache.hadoop.security.AccessControlException',
  InvalidPath: 'org.apache.hadoop.fs.InvalidPathException',
  HadoopIllegalArgument: 'org.apache.hadoop.HadoopIllegalArgumentException',
  IllegalArgument: 'java.lang.IllegalArgumentException',
  AlreadyBeingCreated: 'org.apache.hadoop.hdfs.protocol.AlreadyBeingCreatedException',
  LeaseExpired: 'org.apache.hadoop.hdfs.server.namenode.LeaseExpiredException',
  RecoveryInProgress: 'org.apache.hadoop.hdfs.protocol.RecoveryInProgressException',
  NotReplicatedYet: 'org.apache.hadoop.hdfs.server.namenode.NotReplicatedYetException',
  // A nested class: Class.getName() joins it to its outer class with '$'.
  PathComponentTooLong: 'org.apache.hadoop.hdfs.protocol.FSLimitException$PathComponentTooLongException',
  MaxDirectoryItemsExceeded: 'org.apache.hadoop.hdfs.protocol.FSLimitException$MaxDirectoryItemsExceededException',
  NSQuotaExceeded: 'org.apache.hadoop.hdfs.protocol.NSQuotaExceededException',
  DSQuotaExceeded: 'org.apache.hadoop.hdfs.protocol.DSQuotaExceededException',
  QuotaByStorageTypeExceeded: 'org.apache.hadoop.hdfs.protocol.QuotaByStorageTypeExceededException',
  PathIsNotDirectory: 'org.apache.hadoop.fs.PathIsNotDirectoryException',
  UnsupportedAction: 'org.apache.hadoop.hdfs.protocol.UnsupportedActionException',
  UnresolvedLink: 'org.apache.hadoop.fs.UnresolvedLinkException',
  // What HDFS's namenode throws for a path through a symlink; DFSClient unwraps it and resolves the link.
  UnresolvedPath: 'org.apache.hadoop.hdfs.protocol.UnresolvedPathException',
  SafeMode: 'org.apache.hadoop.hdfs.server.namenode.SafeModeException',
  Retriable: 'org.apache.hadoop.ipc.RetriableException',
  Standby: 'org.apache.hadoop.ipc.StandbyException',
  RpcNoSuchMethod: 'org.apache.hadoop.ipc.RpcNoSuchMethodException',
  RpcNoSuchProtocol: 'org.apache.hadoop.ipc.RpcNoSuchProtocolException',
  RpcServer: 'org.apache.hadoop.ipc.RpcServerException',
  VersionMismatch: 'org.apache.hadoop.ipc.RPC$VersionMismatch',
  IO: 'java.io.IOException',
  UnsupportedOperation: 'java.lang.UnsupportedOperationException',
  Acl: 'org.apache.hadoop.hdfs.protocol.AclException',
  UnregisteredNode: 'org.apache.hadoop.hdfs.protocol.UnregisteredNodeException',
  Snapshot: 'org.apache.hadoop.hdfs.protocol.SnapshotException',
  SnapshotAccessControl: 'org.apache.hadoop.hdfs.protocol.SnapshotAccessControlException',
  DisallowedDatanode: 'org.apache.hadoop.hdfs.server.protocol.DisallowedDatanodeException',
} as const;

export type ExceptionClassName = (typeof ExceptionClass)[keyof typeof ExceptionClass];
