import type { Logger } from 'pino';

export interface AdmissionLimits {
  /** ipc.server.max.connections: connections held at once (0: no limit). */
  readonly maxConnections: number;
  /** Connections held at once from one remote address (0: no limit). */
  readonly maxConnectionsPerAddress: number;
  /** A refused address is logged at most once per this many ms. */
  readonly refusalLogIntervalMs: number;
}

/** Addresses remembered for log throttling; beyond it the oldest are forgotten. */
const MAX_REMEMBERED_REFUSALS = 1024;

/**
 * Counts connections globally and per remote address and decides at accept
 * whether one more may be held; refusals are logged once per address per
 * interval so a flood cannot flood the log as well.
 */
export class ConnectionAdmission {
  readonly #limits: AdmissionLimits;
  readonly #log: Logger;
  readonly #perAddress = new Map<string, number>();
  readonly #lastLogged = new Map<string, number>();
  #total = 0;
  #refused = 0;

  constructor(limits: AdmissionLimits, log: Logger) {
    this.#limits = limits;
    this.#log = log;
  }

  get total(): number {
    return this.#total;
  }

  /** Connections refused at accept since start. */
  get refused(): number {
    return this.#refused;
  }

  /** True when the connection is admitted (and counted until release()). */
  admit(address: string): boolean {
    const held = this.#perAddress.get(address) ?? 0;
    const { maxConnections, maxConnectionsPerAddress } = this.#limits;
    const reason =
      maxConnections > 0 && this.#total >= maxConnections
        ? 'ipc.server.max.connections reached'
        : maxConnectionsPerAddress > 0 && held >= maxConnectionsPerAddress
          ? 'connections per address reached'
          : undefined;
    if (reason !== undefined) {
      this.#refused++;
      this.#logRefusal(address, reason, held);
      return false;
    }
    this.#total++;
    this.#perAddress.set(address, held + 1);
    return true;
  }

  release(address: string): void {
    this.#total--;
    const held = (this.#perAddress.get(address) ?? 1) - 1;
    if (held <= 0) this.#perAddress.delete(address);
    else this.#perAddress.set(address, held);
  }

  #logRefusal(address: string, reason: string, held: number): void {
    const now = Date.now();
    const last = this.#lastLogged.get(address);
    if (last !== undefined && now - last < this.#limits.refusalLogIntervalMs) return;
    this.#lastLogged.delete(address);
    this.#lastLogged.set(address, now);
    if (this.#lastLogged.size > MAX_REMEMBERED_REFUSALS) {
      const oldest = this.#lastLogged.keys().next().value;
      if (oldest !== undefined) this.#lastLogged.delete(oldest);
    }
    this.#log.warn({ remote: address, held, total: this.#total, refusedSoFar: this.#refused }, `connection refused: ${reason}`);
  }
}
