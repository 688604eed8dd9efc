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
    // Not async: one reaction on the handler's promise (an async wrapper with try/finally cost two more microtask turns a call).
    out[method] = (ctx, body) => {
      const started = performance.now();
      calls?.begin();
      const done = (outcome: 'ok' | 'error'): void => {
        calls?.end();
        metrics.observeCall(method, outcome, (performance.now() - started) / 1000);
      };
      let answer: ReturnType<RpcHandler>;
      try {
        answer = handler(ctx, body);
      } catch (e) {
        answer = Promise.reject(e);
      }
      return answer.then(
        (res) => {
          done('ok');
          return res;
        },
        (e: unknown) => {
          done('error');
          throw e;
        },
      );
    };
  }
  return out;
}
