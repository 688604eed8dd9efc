/**
 * The last answer of `load` for `ttlMs`, shared by every caller meanwhile:
 * however many browsers poll the overview, its table scans run at most
 * once per interval per namenode. A failed load is not kept.
 */
export function cached<T>(load: () => Promise<T>, ttlMs: number, now: () => number = Date.now): () => Promise<T> {
  let entry: { at: number; value: Promise<T> } | undefined;
  return () => {
    const t = now();
    if (entry && t - entry.at < ttlMs) return entry.value;
    const value = load();
    const mine = { at: t, value };
    entry = mine;
    value.catch(() => {
      if (entry === mine) entry = undefined;
    });
    return value;
  };
}
