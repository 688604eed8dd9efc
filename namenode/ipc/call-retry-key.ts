import type { RpcCallContext } from '../../protocol/ipc/rpc-handler';
import type { RetryKey } from '../domain/retry-key';

/**
 * The at-most-once key of a call (Hadoop's RetryCache): only with a real
 * 16-byte client id and a non-negative call id. The id is copied out of the
 * request frame it views (a key outlives the call in group commit's queue
 * and the retry cache's rows).
 */
export const retryKey = (ctx: RpcCallContext): RetryKey | undefined =>
  ctx.clientId.length === 16 && ctx.callId >= 0 ? { clientId: Buffer.from(ctx.clientId), callId: ctx.callId, method: ctx.method, user: ctx.user } : undefined;
