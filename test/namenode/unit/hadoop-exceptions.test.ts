import { status as grpcStatus } from '@grpc/grpc-js';
import { HADOOP_EXCEPTIONS, hadoopExceptionOf, simpleClassName, UNCLASSIFIED_EXCEPTION } from '../../../namenode/domain/hadoop-exceptions';
import { NamesystemError, type NamesystemErrorKind } from '../../../namenode/errors';
import pino from 'pino';
import { namesystemErrorMapper } from '../../../namenode/ipc/map-error';

// Spelled out, not taken from ExceptionClass: a typo there must fail here.
// Checked against the Hadoop 3.x sources (package and nested-class spelling).
const EXPECTED: Record<NamesystemErrorKind, [javaClassName: string, httpStatus: number, grpc: keyof typeof grpcStatus]> = {
  FileNotFound: ['java.io.FileNotFoundException', 404, 'NOT_FOUND'],
  AlreadyExists: ['org.apache.hadoop.fs.FileAlreadyExistsException', 403, 'ALREADY_EXISTS'],
  ParentNotDirectory: ['org.apache.hadoop.fs.ParentNotDirectoryException', 403, 'FAILED_PRECONDITION'],
  PathIsNotEmptyDirectory: ['org.apache.hadoop.fs.PathIsNotEmptyDirectoryException', 403, 'FAILED_PRECONDITION'],
  AccessDenied: ['org.apache.hadoop.security.AccessControlException', 403, 'PERMISSION_DENIED'],
  InvalidPath: ['org.apache.hadoop.fs.InvalidPathException', 400, 'INVALID_ARGUMENT'],
  PathComponentTooLong: ['org.apache.hadoop.hdfs.protocol.FSLimitException$PathComponentTooLongException', 403, 'INVALID_ARGUMENT'],
  MaxDirectoryItemsExceeded: ['org.apache.hadoop.hdfs.protocol.FSLimitException$MaxDirectoryItemsExceededException', 403, 'RESOURCE_EXHAUSTED'],
  NSQuotaExceeded: ['org.apache.hadoop.hdfs.protocol.NSQuotaExceededException', 403, 'RESOURCE_EXHAUSTED'],
  DSQuotaExceeded: ['org.apache.hadoop.hdfs.protocol.DSQuotaExceededException', 403, 'RESOURCE_EXHAUSTED'],
  QuotaByStorageTypeExceeded: ['org.apache.hadoop.hdfs.protocol.QuotaByStorageTypeExceededException', 403, 'RESOURCE_EXHAUSTED'],
  PathIsNotDirectory: ['org.apache.hadoop.fs.PathIsNotDirectoryException', 403, 'FAILED_PRECONDITION'],
  UnsupportedAction: ['org.apache.hadoop.hdfs.protocol.UnsupportedActionException', 403, 'UNIMPLEMENTED'],
  IllegalArgument: ['org.apache.hadoop.HadoopIllegalArgumentException', 400, 'INVALID_ARGUMENT'],
  JavaIllegalArgument: ['java.lang.IllegalArgumentException', 400, 'INVALID_ARGUMENT'],
  UnresolvedLink: ['org.apache.hadoop.hdfs.protocol.UnresolvedPathException', 403, 'FAILED_PRECONDITION'],
  AlreadyBeingCreated: ['org.apache.hadoop.hdfs.protocol.AlreadyBeingCreatedException', 403, 'FAILED_PRECONDITION'],
  LeaseExpired: ['org.apache.hadoop.hdfs.server.namenode.LeaseExpiredException', 403, 'FAILED_PRECONDITION'],
  NotReplicatedYet: ['org.apache.hadoop.hdfs.server.namenode.NotReplicatedYetException', 403, 'UNAVAILABLE'],
  RecoveryInProgress: ['org.apache.hadoop.hdfs.protocol.RecoveryInProgressException', 403, 'UNAVAILABLE'],
  UnregisteredNode: ['org.apache.hadoop.hdfs.protocol.UnregisteredNodeException', 403, 'FAILED_PRECONDITION'],
  Unsupported: ['java.lang.UnsupportedOperationException', 400, 'UNIMPLEMENTED'],
  Acl: ['org.apache.hadoop.hdfs.protocol.AclException', 403, 'INVALID_ARGUMENT'],
  TransientStorage: ['org.apache.hadoop.ipc.RetriableException', 403, 'UNAVAILABLE'],
  SafeMode: ['org.apache.hadoop.hdfs.server.namenode.SafeModeException', 403, 'UNAVAILABLE'],
  SubtreeLocked: ['org.apache.hadoop.ipc.RetriableException', 403, 'UNAVAILABLE'],
  Snapshot: ['org.apache.hadoop.hdfs.protocol.SnapshotException', 403, 'FAILED_PRECONDITION'],
  SnapshotAccessControl: ['org.apache.hadoop.hdfs.protocol.SnapshotAccessControlException', 403, 'PERMISSION_DENIED'],
  IO: ['java.io.IOException', 403, 'FAILED_PRECONDITION'],
};

test.each(Object.entries(EXPECTED))('%s maps to %j', (kind, [javaClassName, httpStatus, grpc]) => {
  expect(HADOOP_EXCEPTIONS[kind as NamesystemErrorKind]).toEqual({ javaClassName, httpStatus, grpcStatus: grpc });
});

test('every kind is in the table and every gRPC name is a grpc-js status', () => {
  expect(Object.keys(HADOOP_EXCEPTIONS).sort()).toEqual(Object.keys(EXPECTED).sort());
  for (const e of [...Object.values(HADOOP_EXCEPTIONS), UNCLASSIFIED_EXCEPTION]) expect(grpcStatus[e.grpcStatus]).toEqual(expect.any(Number));
});

test('anything but a NamesystemError is unclassified: an IOException to IPC, a server fault to HTTP and gRPC', () => {
  expect(hadoopExceptionOf(new TypeError('x is undefined'))).toEqual({ javaClassName: 'java.io.IOException', httpStatus: 500, grpcStatus: 'INTERNAL' });
  expect(hadoopExceptionOf('a string')).toBe(UNCLASSIFIED_EXCEPTION);
  expect(hadoopExceptionOf(new NamesystemError('LeaseExpired', 'gone'))).toBe(HADOOP_EXCEPTIONS.LeaseExpired);
});

test('WebHDFS simple names are Class.getSimpleName(), nested classes included', () => {
  expect(simpleClassName('java.io.FileNotFoundException')).toBe('FileNotFoundException');
  expect(simpleClassName('org.apache.hadoop.hdfs.protocol.FSLimitException$PathComponentTooLongException')).toBe('PathComponentTooLongException');
});

test('the IPC front door sends the table\'s class with the error\'s message; an untyped error only as an incident id', () => {
  const logged: unknown[] = [];
  const logger = pino({ level: 'error' }, { write: (line: string) => void logged.push(JSON.parse(line)) });
  const mapNamesystemError = namesystemErrorMapper(logger);
  expect(mapNamesystemError(new NamesystemError('AlreadyExists', '/a already exists'))).toEqual({
    className: 'org.apache.hadoop.fs.FileAlreadyExistsException',
    message: '/a already exists',
  });
  expect(logged).toHaveLength(0);
  const sqlError = Object.assign(new Error("You have an error in your SQL syntax near 'SELECT id FROM inodes'"), { errno: 1064 });
  const mapped = mapNamesystemError(sqlError);
  expect(mapped.className).toBe('java.io.IOException');
  expect(mapped.message).not.toMatch(/SQL|SELECT|inodes/);
  const id = /incident ([0-9a-f-]{36})/.exec(mapped.message)?.[1];
  expect(id).toBeDefined();
  expect(logged).toEqual([expect.objectContaining({ incidentId: id, err: expect.objectContaining({ message: sqlError.message }) })]);
});
