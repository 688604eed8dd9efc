import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { clientMessageOf, hadoopExceptionOf } from '../domain/hadoop-exceptions';

/** Trailer naming the Hadoop exception class, so a client can tell, e.g., SafeModeException from RetriableException. */
export const EXCEPTION_CLASS_TRAILER = 'x-hadoop-exception-class';

/**
 * The gRPC front door's one error mapping: a typed namesystem error becomes
 * its status (NOT_FOUND, ALREADY_EXISTS, PERMISSION_DENIED,
 * FAILED_PRECONDITION, UNAVAILABLE for what a client should retry…) with
 * the Java class in a trailer; anything untyped is logged under an incident
 * id and answered INTERNAL without its text.
 */
export function grpcErrorOf(err: unknown, logger: Logger): ServiceError {
  const { message, incidentId } = clientMessageOf(err);
  if (incidentId !== undefined) logger.error({ err, incidentId }, 'internal error answered to a gRPC client');
  const mapped = hadoopExceptionOf(err);
  const metadata = new Metadata();
  metadata.set(EXCEPTION_CLASS_TRAILER, mapped.javaClassName);
  return Object.assign(new Error(message), { code: status[mapped.grpcStatus], details: message, metadata });
}
