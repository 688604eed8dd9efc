import type { PhaseResult } from '../loadgen-result';
import { PhaseRecorder } from '../phase-recorder';
import { runAutocannon, type AutocannonRequest } from './autocannon-driver';

/** One origin a phase loads (a namenode, the balancer, a datanode) and how much. */
export interface HttpTarget {
  /** http://host:port */
  readonly origin: string;
  readonly connections: number;
  /** Requests in all for this origin (still stopped at `durationSeconds`); unset: for `durationSeconds`. */
  readonly amount?: number;
}

export interface HttpPhase {
  readonly name: string;
  /** The operation name each answer is recorded under. */
  readonly op: string;
  readonly targets: readonly HttpTarget[];
  readonly durationSeconds: number;
  /** The next request to send to `origin`. */
  next(origin: string): AutocannonRequest;
  /** Sees the body of each answer (only when given: autocannon then keeps bodies). */
  onBody?(status: number, body: string): void;
}

/**
 * One timed phase of HTTP load through autocannon, an instance per origin,
 * with every answer recorded as the other modes record theirs: 2xx a
 * success with its latency, anything else an error by status (or by the
 * socket error's code).
 */
export async function runHttpPhase(p: HttpPhase): Promise<PhaseResult> {
  const recorder = new PhaseRecorder(p.name, p.targets.reduce((n, t) => n + t.connections, 0));
  await Promise.all(
    p.targets
      .filter((t) => t.amount === undefined || t.amount > 0)
      .map((t) =>
        runAutocannon(
          {
            url: t.origin,
            connections: t.connections,
            ...(t.amount !== undefined ? { amount: t.amount } : { duration: p.durationSeconds }),
            timeout: 30,
            requests: [
              {
                setupRequest: (req) => ({ ...req, ...p.next(t.origin) }),
                ...(p.onBody ? { onResponse: (status: number, body: string) => p.onBody?.(status, body) } : {}),
              },
            ],
          },
          (instance) => {
            instance.on('response', (_client, status, _bytes, ms) => {
              if (status >= 200 && status < 300) recorder.recordSuccess(p.op, performance.now() - ms);
              else recorder.recordError(p.op, `HTTP ${status}`);
            });
            instance.on('reqError', (err) => recorder.recordError(p.op, err.code ?? err.name));
            if (t.amount !== undefined) {
              const stop = setTimeout(() => instance.stop(), p.durationSeconds * 1000);
              instance.on('done', () => clearTimeout(stop));
            }
          },
        ),
      ),
  );
  return recorder.finish({});
}
