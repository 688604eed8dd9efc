import type { Logger } from 'pino';

export interface HealthState {
  readonly healthy: boolean;
  /** For operators; never the database's own error text (that goes to the log). */
  readonly reason: string;
}

/**
 * Checks the database in the background, one check at a time, and keeps
 * the answer: /healthz reads it in constant time, whatever the request
 * rate (haproxy polls every second from every balancer), and never puts
 * a query on the shared pool per request. A check that fails, hangs past
 * `timeoutMs`, or is older than three intervals makes the namenode
 * unhealthy.
 */
export class HealthProbe {
  readonly #check: () => Promise<void>;
  readonly #intervalMs: number;
  readonly #timeoutMs: number;
  readonly #logger: Logger;
  #lastOk = -Infinity;
  #reason = 'no database check has finished yet';
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(check: () => Promise<void>, opts: { intervalMs: number; timeoutMs: number; logger: Logger }) {
    this.#check = check;
    this.#intervalMs = opts.intervalMs;
    this.#timeoutMs = opts.timeoutMs;
    this.#logger = opts.logger;
  }

  start(): void {
    void this.checkNow();
    this.#timer = setInterval(() => void this.checkNow(), this.#intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  /** One check (joined if one is running); resolves when its answer is recorded. */
  checkNow(): Promise<void> {
    this.#running ??= this.#runCheck().finally(() => (this.#running = undefined));
    return this.#running;
  }

  async #runCheck(): Promise<void> {
    const wasHealthy = this.current().healthy;
    try {
      await withTimeout(this.#check(), this.#timeoutMs);
      this.#lastOk = performance.now();
      if (!wasHealthy) this.#logger.info('database reachable again');
    } catch (err) {
      this.#lastOk = -Infinity;
      this.#reason = err instanceof CheckTimeout ? `database check did not answer within ${this.#timeoutMs} ms` : 'database unreachable';
      if (wasHealthy) this.#logger.warn({ err }, 'database check failed: /healthz answers 503');
    }
  }

  current(): HealthState {
    if (performance.now() - this.#lastOk <= 3 * this.#intervalMs) return { healthy: true, reason: 'ok' };
    return { healthy: false, reason: this.#lastOk === -Infinity ? this.#reason : 'the last database check is too old' };
  }
}

class CheckTimeout extends Error {}

function withTimeout(p: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CheckTimeout(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
