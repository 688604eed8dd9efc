import type { RpcCallContext } from '../../protocol/ipc/rpc-handler';
import type { RetryKey } from '../domain/retry-key';

/**
 * The at-most-once key of a call (Hadoop's RetryCache): only with a real
 * 16-byte client id and a non-negative call id.
 */
export const retryKey = (ctx: RpcCallContext): RetryKey | undefined =>
  ctx.clientId.length === 16 && ctx.callId >= 0 ? { clientId: ctx.clientId, callId: ctx.callId, method: ctx.method, user: ctx.user } : undefined;
