/**
 * A FIFO between the packet receiver and the ack responder: the receiver
 * pushes one entry per packet, the responder takes them in order.
 */
export class AckQueue<T> {
  readonly #items: T[] = [];
  #waiter: ((item: T | undefined) => void) | undefined;
  #closed = false;

  push(item: T): void {
    const waiter = this.#waiter;
    if (waiter) {
      this.#waiter = undefined;
      waiter(item);
    } else {
      this.#items.push(item);
    }
  }

  /** Nothing more will be pushed; take() answers undefined once drained. */
  close(): void {
    this.#closed = true;
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.(undefined);
  }

  take(): Promise<T | undefined> {
    if (this.#items.length > 0) return Promise.resolve(this.#items.shift());
    if (this.#closed) return Promise.resolve(undefined);
    return new Promise((resolve) => (this.#waiter = resolve));
  }
}
