/** A connection as the budget sees it. */
export interface BudgetMember {
  /** Reading may go on: the budget has room again. */
  resume(): void;
  /** Closed to free its bytes: every holder was waiting, so none could finish a frame. */
  evict(): void;
}

/**
 * The server-wide budget of bytes held for incomplete request frames.
 *
 * The rule, and why it cannot deadlock:
 * - A connection grows its partial frame only within the free budget. Bytes
 *   it cannot take stay in its last socket read, reading stops, and it waits
 *   here (FIFO). So the total never exceeds the limit.
 * - Whenever bytes are freed (a frame completes, a connection closes) the
 *   waiters are resumed in order while room is left.
 * - A holder that is still reading will complete its frame or close, and so
 *   free bytes. The only stuck state is every holder waiting: then the one
 *   holding the most is closed (the likeliest hog, and the most bytes freed).
 *   Repeated, this ends with one holder alone, and its frame completes if it
 *   alone fits (frames are at most ipc.maximum.data.length; keep the budget
 *   above it so that any legal frame fits).
 */
export class FrameBufferBudget {
  readonly limit: number;
  readonly #holdings = new Map<BudgetMember, number>();
  readonly #waiters = new Set<BudgetMember>();
  #held = 0;
  #peak = 0;
  #evictions = 0;

  constructor(limit: number) {
    this.limit = Math.max(1, limit);
  }

  get held(): number {
    return this.#held;
  }

  /** The most ever held at once. */
  get peak(): number {
    return this.#peak;
  }

  get evictions(): number {
    return this.#evictions;
  }

  free(): number {
    return this.limit - this.#held;
  }

  /** Records what a member now holds; freed bytes go to the waiters. */
  set(member: BudgetMember, bytes: number): void {
    const before = this.#holdings.get(member) ?? 0;
    if (bytes === 0) this.#holdings.delete(member);
    else this.#holdings.set(member, bytes);
    this.#held += bytes - before;
    this.#peak = Math.max(this.#peak, this.#held);
    if (bytes < before) this.#wake();
  }

  wait(member: BudgetMember): void {
    this.#waiters.add(member);
    for (const holder of this.#holdings.keys()) if (!this.#waiters.has(holder)) return;
    let largest: BudgetMember | undefined;
    let most = 0;
    for (const [holder, bytes] of this.#holdings) {
      if (bytes > most) [largest, most] = [holder, bytes];
    }
    if (largest === undefined) return;
    this.#evictions++;
    largest.evict();
  }

  /** A closing member: its bytes are freed and it waits no more. */
  release(member: BudgetMember): void {
    this.#waiters.delete(member);
    this.set(member, 0);
  }

  #wake(): void {
    for (const waiter of [...this.#waiters]) {
      if (this.free() <= 0) return;
      if (!this.#waiters.delete(waiter)) continue;
      waiter.resume();
    }
  }
}
