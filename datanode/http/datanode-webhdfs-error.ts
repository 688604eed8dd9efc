import type { ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { BlockMissingError, ChecksumError, NotReplicatedError, PipelineAckError, PipelineSetupError, ShortReadError } from '../../protocol/client/data-errors';
import { ConnectError } from '../../protocol/datatransfer/socket-io';
import { IpcConnectionError, RemoteError } from '../../protocol/ipc/ipc-errors';
import { remoteExceptionJson } from '../../protocol/webhdfs/remote-exception-json';

/** A request the datanode refuses before doing anything: IllegalArgumentException, 400. */
export class BadWebHdfsRequest extends Error {
  override readonly name = 'BadWebHdfsRequest';
}

/** IOExceptions raised on the datanode itself (not by the namenode): 403 as any IOException. */
export class DatanodeIOError extends Error {
  constructor(
    readonly javaClassName: string,
    message: string,
  ) {
    super(message);
  }
}

const ILLEGAL_ARGUMENT = new Set([
  'java.lang.IllegalArgumentException',
  'org.apache.hadoop.HadoopIllegalArgumentException',
  'org.apache.hadoop.fs.InvalidPathException',
  'java.lang.UnsupportedOperationException',
]);

/** The data path's own failures, as the Java client's classes name them. */
function dataPathClass(err: unknown): string | undefined {
  if (err instanceof ChecksumError) return 'org.apache.hadoop.fs.ChecksumException';
  if (err instanceof BlockMissingError) return 'org.apache.hadoop.hdfs.BlockMissingException';
  if (err instanceof PipelineSetupError || err instanceof PipelineAckError || err instanceof ShortReadError || err instanceof NotReplicatedError) return 'java.io.IOException';
  if (err instanceof ConnectError || err instanceof IpcConnectionError) return 'java.net.ConnectException';
  // The client went away mid-request (node's IncomingMessage 'aborted', a reset): its loss, not a fault here.
  if (err instanceof Error && (err.message === 'aborted' || (err as NodeJS.ErrnoException).code === 'ECONNRESET')) return 'java.io.IOException';
  return undefined;
}

/**
 * The datanode's WebHDFS error answer, as Hadoop's ExceptionHandler gives
 * it after unwrapping the namenode's RemoteException: the namenode's own
 * class and message, 404 for FileNotFoundException, 400 for the
 * illegal-argument and unsupported-operation classes, 403 for every other
 * IOException; anything else is a fault of the datanode (500, logged, no
 * details sent).
 */
export function sendDatanodeError(res: ServerResponse, err: unknown, logger: Logger): void {
  let javaClassName: string;
  let message: string;
  let status: number;
  if (err instanceof RemoteError) {
    javaClassName = err.className;
    message = err.message;
    status = javaClassName === 'java.io.FileNotFoundException' ? 404 : ILLEGAL_ARGUMENT.has(javaClassName) ? 400 : 403;
  } else if (err instanceof BadWebHdfsRequest) {
    [javaClassName, message, status] = ['java.lang.IllegalArgumentException', err.message, 400];
  } else if (err instanceof DatanodeIOError) {
    [javaClassName, message, status] = [err.javaClassName, err.message, 403];
  } else {
    const dataClass = dataPathClass(err);
    if (dataClass !== undefined) {
      [javaClassName, message, status] = [dataClass, (err as Error).message, 403];
    } else {
      logger.error({ err }, 'WebHDFS request failed on the datanode');
      [javaClassName, message, status] = ['java.io.IOException', 'Internal error in the datanode; the details are in its log', 500];
    }
  }
  if (res.headersSent) {
    // The answer has begun (OPEN streams its bytes): all that is left is to cut it short.
    res.destroy();
    return;
  }
  const body = remoteExceptionJson(javaClassName, message);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}
