/**
 * How many RPC calls this namenode is serving right now (received, not yet
 * answered) over the protocols `instrument` counts in it. Group commit
 * reads it (as a namenode/tx/call-count.ts CallCount) to tell whether a
 * short group can still get company from another caller.
 */
export class CallsInProgress {
  #count = 0;
  readonly #listeners: (() => void)[] = [];

  get count(): number {
    return this.#count;
  }

  onEnd(listener: () => void): void {
    this.#listeners.push(listener);
  }

  begin(): void {
    this.#count++;
  }

  end(): void {
    this.#count--;
    for (const l of this.#listeners) l();
  }
}
