/** A call admitted by a connection, waiting for a handler slot. */
export interface ScheduledCall {
  readonly expensive: boolean;
  /** Starts the handler; false when the call's connection has gone meanwhile (the slot is not taken). */
  start(): boolean;
}

export interface CallSchedulerLimits {
  /** Calls executing at once across the server (dfs.namenode.handler.count). */
  readonly handlers: number;
  /** Calls waiting for a handler across the server (handlers × ipc.server.handler.queue.size). */
  readonly queueSize: number;
  /** Expensive calls executing at once; they also take a handler slot. */
  readonly expensiveHandlers: number;
}

/** A FIFO whose shift is O(1): a busy server queues thousands of calls. */
class Fifo<T> {
  #items: (T | undefined)[] = [];
  #head = 0;

  get length(): number {
    return this.#items.length - this.#head;
  }

  push(item: T): void {
    this.#items.push(item);
  }

  shift(): T | undefined {
    if (this.#head >= this.#items.length) return undefined;
    const item = this.#items[this.#head];
    this.#items[this.#head++] = undefined;
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }
}

/**
 * The bounded call queue in front of the handlers (and so of the database
 * pool): at most `handlers` calls run, at most `queueSize` wait, and
 * anything beyond is refused at once so the caller can answer "server too
 * busy" instead of letting waits grow without bound. Expensive calls wait
 * in their own line so they never hold up cheap ones behind them.
 */
export class CallScheduler {
  readonly #limits: CallSchedulerLimits;
  readonly #cheap = new Fifo<ScheduledCall>();
  readonly #expensive = new Fifo<ScheduledCall>();
  #running = 0;
  #runningExpensive = 0;
  #refused = 0;

  constructor(limits: CallSchedulerLimits) {
    this.#limits = limits;
  }

  get running(): number {
    return this.#running;
  }

  get waiting(): number {
    return this.#cheap.length + this.#expensive.length;
  }

  /** Calls refused because the queue was full, since start. */
  get refused(): number {
    return this.#refused;
  }

  /** False when the queue is full: the call was not taken. */
  submit(call: ScheduledCall): boolean {
    if (this.waiting >= this.#limits.queueSize && !this.#canRun(call.expensive)) {
      this.#refused++;
      return false;
    }
    (call.expensive ? this.#expensive : this.#cheap).push(call);
    this.#dispatch();
    return true;
  }

  /** A started call has finished; its slot goes to the next waiting call. */
  finished(expensive: boolean): void {
    this.#running--;
    if (expensive) this.#runningExpensive--;
    this.#dispatch();
  }

  #canRun(expensive: boolean): boolean {
    return this.#running < this.#limits.handlers && (!expensive || this.#runningExpensive < this.#limits.expensiveHandlers);
  }

  #dispatch(): void {
    for (;;) {
      const line = this.#expensive.length > 0 && this.#canRun(true) ? this.#expensive : this.#cheap.length > 0 && this.#canRun(false) ? this.#cheap : undefined;
      const call = line?.shift();
      if (call === undefined) return;
      if (!call.start()) continue;
      this.#running++;
      if (call.expensive) this.#runningExpensive++;
    }
  }
}
