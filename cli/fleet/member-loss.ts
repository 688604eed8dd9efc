/** What a member of the local fleet is, which decides whether the fleet outlives it. */
export type MemberKind = 'database' | 'namenode' | 'balancer' | 'datanode' | 'object-store' | 'cache';

export interface Loss {
  readonly kind?: MemberKind;
  readonly left: number;
  readonly fatal?: string;
}

/**
 * Counts what is running by kind and judges an unexpected exit. The
 * database, the balancer and the private Swift are single points of a local
 * fleet: losing one ends it. Namenodes and datanodes are redundant — surviving the loss of one
 * is the product's point — so the fleet goes on until the last of a kind
 * is gone. The private Redis of the metadata cache is neither: without it
 * the fleet reads the database, slower but the same.
 */
export class MemberLoss {
  readonly #kinds = new Map<string, MemberKind>();
  readonly #running = new Map<MemberKind, number>();
  readonly #lost: string[] = [];

  track(name: string, kind: MemberKind): void {
    this.#kinds.set(name, kind);
    this.#running.set(kind, (this.#running.get(kind) ?? 0) + 1);
  }

  /** Records the loss and judges it: `fatal` says why the fleet cannot go on; `left` of the same kind still run. */
  lose(name: string): Loss {
    this.#lost.push(name);
    const kind = this.#kinds.get(name);
    if (kind === undefined) return { left: 0, fatal: `${name} is gone` };
    const left = (this.#running.get(kind) ?? 1) - 1;
    this.#running.set(kind, left);
    if (kind === 'database' || kind === 'balancer' || kind === 'object-store') return { kind, left, fatal: `the ${kind} is gone` };
    // The metadata cache's Redis: without it the namenodes read the database (namenode/cache/README.md).
    if (kind === 'cache') return { kind, left };
    return left === 0 ? { kind, left, fatal: `no ${kind} is left` } : { kind, left };
  }

  /** Members lost so far, in order: a fleet that lost any exits non-zero. */
  get lost(): readonly string[] {
    return this.#lost;
  }
}
