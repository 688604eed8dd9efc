/**
 * A per-register stale-read checker for histories of concurrent operations
 * (the necessary condition of linearizability a cache can break): a read
 * that began after a write was acknowledged must not return a state that
 * write replaced. Registers are named by the test (e.g. `stat /d0/a`).
 *
 * A write's effect on a register is what the client knows of the value it
 * left: exactly `v`, some present value, anything (an outcome it cannot
 * know), or absent. A read R returning r is accepted when some write C whose
 * effect admits r (the initial state included) began before R ended and no
 * write W2 whose effect excludes r ran wholly between C's end and R's start.
 * Sound: in any linearization the last write before R admits r and nothing
 * can be linearized between it and R, so every flagged read is a real
 * violation; the checker is not complete (it checks no order among reads).
 */
export type Effect = { readonly kind: 'absent' } | { readonly kind: 'exact'; readonly value: string } | { readonly kind: 'present' } | { readonly kind: 'any' };

export const ABSENT = 'absent';

export interface WriteEvent {
  readonly register: string;
  readonly effect: Effect;
  readonly inv: number;
  readonly resp: number;
  readonly what: string;
}

export interface ReadEvent {
  readonly register: string;
  readonly value: string;
  readonly inv: number;
  readonly resp: number;
  readonly what: string;
}

export interface Violation {
  readonly read: ReadEvent;
  /** The write that replaced the newest state the read could have seen. */
  readonly supersededBy: WriteEvent | undefined;
}

export const admits = (e: Effect, value: string): boolean => {
  switch (e.kind) {
    case 'absent':
      return value === ABSENT;
    case 'exact':
      return value === e.value;
    case 'present':
      return value !== ABSENT;
    case 'any':
      return true;
  }
};

/** The reads no linearization can explain. Registers without writes start absent. */
export function staleReads(writes: readonly WriteEvent[], reads: readonly ReadEvent[]): Violation[] {
  const byRegister = new Map<string, WriteEvent[]>();
  for (const w of writes) {
    const list = byRegister.get(w.register) ?? [];
    list.push(w);
    byRegister.set(w.register, list);
  }
  const violations: Violation[] = [];
  for (const r of reads) {
    const initial: WriteEvent = { register: r.register, effect: { kind: 'absent' }, inv: -Infinity, resp: -Infinity, what: 'initial state' };
    const ws = [initial, ...(byRegister.get(r.register) ?? [])];
    let lastSuperseder: WriteEvent | undefined;
    const explained = ws.some((c) => {
      if (!admits(c.effect, r.value) || c.inv > r.resp) return false;
      const w2 = ws.find((w) => w.inv > c.resp && w.resp < r.inv && !admits(w.effect, r.value));
      lastSuperseder = w2;
      return w2 === undefined;
    });
    if (!explained) violations.push({ read: r, supersededBy: lastSuperseder });
  }
  return violations;
}
