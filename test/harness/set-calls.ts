import type { CallCount } from '../../namenode/tx/call-count';

/**
 * The calls a namenode serves, as a test sets them: a stand-in for the IPC
 * layer's real count (namenode/ipc/calls-in-progress.ts). `recentPeak`
 * follows `count` unless the test sets a peak of its own.
 */
export class SetCalls implements CallCount {
  count = 0;
  #peak: number | undefined;
  readonly #listeners: (() => void)[] = [];

  get recentPeak(): number {
    return this.#peak ?? this.count;
  }
  set recentPeak(peak: number) {
    this.#peak = peak;
  }

  onEnd(listener: () => void): void {
    this.#listeners.push(listener);
  }

  /** One call answered. */
  end(): void {
    this.count--;
    for (const l of this.#listeners) l();
  }
}
