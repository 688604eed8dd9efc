import type { RpcHandler } from '../../protocol/ipc/rpc-handler';
import type { CallsInProgress } from './calls-in-progress';

/** Where call latencies go (the namenode's metrics registry fits). */
export interface CallObserver {
  observeCall(method: string, outcome: 'ok' | 'error', seconds: number): void;
}

/** Wraps each handler to record its latency and outcome, and to count it in `calls` while it runs. */
export function instrument(handlers: Record<string, RpcHandler>, metrics: CallObserver, calls?: CallsInProgress): Record<string, RpcHandler> {
  const out: Record<string, RpcHandler> = {};
  for (const [method, handler] of Object.entries(handlers)) {
    out[method] = async (ctx, body) => {
      const started = performance.now();
      calls?.begin();
      try {
        const res = await handler(ctx, body);
        metrics.observeCall(method, 'ok', (performance.now() - started) / 1000);
        return res;
      } catch (e) {
        metrics.observeCall(method, 'error', (performance.now() - started) / 1000);
        throw e;
      } finally {
        calls?.end();
      }
    };
  }
  return out;
}
