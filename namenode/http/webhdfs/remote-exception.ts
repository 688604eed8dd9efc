import type { ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { clientMessageOf, hadoopExceptionOf } from '../../domain/hadoop-exceptions';
import { remoteExceptionJson } from '../../../protocol/webhdfs/remote-exception-json';

/**
 * WebHDFS's one error mapping, as Hadoop's web/resources/ExceptionHandler
 * answers: the status of the error's kind and the RemoteException JSON
 * (`exception`, `javaClassName`, `message`) the Java client rethrows as
 * the same class. An untyped error is logged in full and answered with
 * an incident id, never its own text.
 */
export function sendRemoteException(res: ServerResponse, err: unknown, logger: Logger): void {
  const { message, incidentId } = clientMessageOf(err);
  if (incidentId !== undefined) logger.error({ err, incidentId }, 'internal error answered to a WebHDFS client');
  const { javaClassName, httpStatus } = hadoopExceptionOf(err);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJsonText(res, httpStatus, remoteExceptionJson(javaClassName, message));
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  sendJsonText(res, status, JSON.stringify(body));
}

function sendJsonText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
