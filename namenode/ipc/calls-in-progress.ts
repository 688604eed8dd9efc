/** How long one window of CallsInProgress.recentPeak lasts. */
const PEAK_WINDOW_MS = 1_000;

/**
 * How many RPC calls this namenode is serving right now (received, not yet
 * answered) over the protocols `instrument` counts in it. Group commit
 * and the lookup flights read it (as a namenode/tx/call-count.ts CallCount)
 * to tell whether a short batch can still get company from another caller.
 */
export class CallsInProgress {
  #count = 0;
  readonly #listeners: (() => void)[] = [];
  readonly #now: () => number;
  /** The most calls at once in this window and in the one before. */
  #peak = 0;
  #previousPeak = 0;
  #windowEnds = 0;

  constructor(now: () => number = () => performance.now()) {
    this.#now = now;
  }

  get count(): number {
    return this.#count;
  }

  get recentPeak(): number {
    this.#roll();
    return Math.max(this.#peak, this.#previousPeak);
  }

  #roll(): void {
    const now = this.#now();
    if (now < this.#windowEnds) return;
    // A window with no call in it (an idle namenode) leaves no peak behind.
    this.#previousPeak = now < this.#windowEnds + PEAK_WINDOW_MS ? this.#peak : 0;
    this.#peak = this.#count;
    this.#windowEnds = now + PEAK_WINDOW_MS;
  }

  onEnd(listener: () => void): void {
    this.#listeners.push(listener);
  }

  begin(): void {
    this.#count++;
    if (this.#count > this.#peak) {
      this.#roll();
      this.#peak = Math.max(this.#peak, this.#count);
    }
  }

  end(): void {
    this.#count--;
    for (const l of this.#listeners) l();
  }
}
