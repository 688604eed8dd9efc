import type { MappedError } from '../../protocol/ipc/rpc-handler';
import { hadoopExceptionOf } from '../domain/hadoop-exceptions';

/** The Hadoop IPC front door's one error mapping: typed errors to Java exception classes. */
export function mapNamesystemError(err: unknown): MappedError {
  return { className: hadoopExceptionOf(err).javaClassName, message: err instanceof Error ? err.message : String(err) };
}
