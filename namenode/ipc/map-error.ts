import type { Logger } from 'pino';
import type { ErrorMapper } from '../../protocol/ipc/rpc-handler';
import { clientMessageOf, hadoopExceptionOf } from '../domain/hadoop-exceptions';

/**
 * The Hadoop IPC front door's one error mapping: typed errors to Java
 * exception classes; anything untyped is logged in full and answered with
 * an incident id, never with its own text (no SQL reaches a client).
 */
export function namesystemErrorMapper(logger: Logger): ErrorMapper {
  return (err) => {
    const { message, incidentId } = clientMessageOf(err);
    if (incidentId !== undefined) logger.error({ err, incidentId }, 'internal error answered to a client');
    return { className: hadoopExceptionOf(err).javaClassName, message };
  };
}
