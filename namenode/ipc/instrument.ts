import type { RpcHandler } from '../../protocol/ipc/rpc-handler';
import type { NamenodeMetrics } from '../http/metrics';

/** Wraps each handler to record its latency and outcome. */
export function instrument(handlers: Record<string, RpcHandler>, metrics: NamenodeMetrics): Record<string, RpcHandler> {
  const out: Record<string, RpcHandler> = {};
  for (const [method, handler] of Object.entries(handlers)) {
    out[method] = async (ctx, body) => {
      const started = performance.now();
      try {
        const res = await handler(ctx, body);
        metrics.observeCall(method, 'ok', (performance.now() - started) / 1000);
        return res;
      } catch (e) {
        metrics.observeCall(method, 'error', (performance.now() - started) / 1000);
        throw e;
      }
    };
  }
  return out;
}
