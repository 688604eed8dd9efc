/** One holder at a time, in arrival order. */
export class AsyncMutex {
  #tail: Promise<void> = Promise.resolve();

  /** Resolves, once the lock is ours, to the function that releases it. */
  acquire(): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const acquired = this.#tail.then(() => release);
    this.#tail = this.#tail.then(() => held);
    return acquired;
  }
}
