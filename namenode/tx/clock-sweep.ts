/** What a CLOCK sweep reads and clears: whether the entry was used since the sweep last passed it. */
export interface ClockEntry {
  used: boolean;
}

/**
 * CLOCK (second chance) eviction over a Map's insertion order, for caches
 * whose hits only mark their entry used (never delete and re-insert it):
 * from the oldest, a used entry goes to the back unused, an unused one is
 * dropped by `drop`, until `overBudget` answers false.
 */
export function sweepClock<K, E extends ClockEntry>(entries: Map<K, E>, overBudget: () => boolean, drop: (key: K) => void): void {
  for (const [key, e] of entries) {
    if (!overBudget()) return;
    if (e.used) {
      e.used = false;
      entries.delete(key);
      entries.set(key, e);
    } else {
      drop(key);
    }
  }
}
